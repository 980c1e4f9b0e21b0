import type * as pulumi from "@pulumi/pulumi";

/**
 * The floor: a dynamic provider that does nothing (no HTTP), for the same resource graph. The benchmark
 * reports our times as `ours / floor`, which isolates this package's cost from the engine's.
 * Like the real shims, this module's export is the provider object, and bench/program.ts stores a one-line
 * require() of it exactly as this package's resources do (provider/resources/dynamicResource.ts).
 */
let next = 0;
const noop: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    const strip = (o: Record<string, unknown>): string =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(o)
            .filter(([k]) => k !== "__provider")
            .sort(),
        ),
      );
    return { changes: strip(olds) !== strip(news) };
  },
  async create(inputs) {
    next += 1;
    return { id: `${process.pid}-${Date.now()}-${next}`, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};
export = noop;
