/**
 * What this package uses of @pulumi/pulumi beyond its declared API, checked against one installed copy of the
 * SDK (its folder): the installed devDependency (the lowest version the peer range admits,
 * test/unit/resources/membershipWave.test.ts) and the highest 3.x the range admits (test/e2e/pulumiSdkRange.test.ts).
 * One function for both, so the two cannot check different things. Returns the problems found, each naming what
 * broke and which file of the package depends on it; empty when the SDK still offers everything.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../../..");

/** The folder of the @pulumi/pulumi this checkout installed (node_modules). */
export function installedSdkDir(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO] }));
}

type Loaded = Record<string, unknown>;

/** The runtime names provider/plugin uses from one stub module (`provproto.DiffResponse.DiffChanges.DIFF_SOME`). */
function stubNamesUsed(alias: string): string[] {
  const dir = path.join(REPO, "provider/plugin");
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    const src = fs.readFileSync(path.join(dir, f), "utf8");
    for (const m of src.matchAll(new RegExp(`\\b${alias}\\.([A-Za-z_]+(?:\\.[A-Za-z_]+)*)`, "g"))) names.add(m[1]);
  }
  // Interfaces (IResourceProviderServer) are types only: nothing to find at run time.
  return [...names].filter((n) => !/^I[A-Z]/.test(n)).sort();
}

function lookup(root: unknown, dotted: string): unknown {
  let v = root;
  for (const part of dotted.split(".")) v = v === null || v === undefined ? undefined : (v as Loaded)[part];
  return v;
}

export async function sdkContractProblems(sdkDir: string): Promise<string[]> {
  const problems: string[] = [];
  const req = createRequire(path.join(sdkDir, "package.json"));
  const load = (what: string, usedBy: string): Loaded | undefined => {
    try {
      return req(what) as Loaded;
    } catch (e) {
      problems.push(`${what} no longer loads from ${sdkDir} (${usedBy}): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      return undefined;
    }
  };

  // The membership wave (provider/resources/membershipWave.ts) and plain ids (provider/resources/plainIds.ts)
  // watch an Output settle through its undeclared promise(withUnknowns?).
  const pulumi = load(sdkDir, "the SDK itself");
  const output = pulumi?.output as ((v: unknown) => unknown) | undefined;
  if (typeof output !== "function") problems.push("pulumi.output is not a function");
  else {
    const o = output(Promise.resolve("42")) as { promise?: (withUnknowns?: boolean) => Promise<unknown> };
    if (typeof o.promise !== "function") {
      problems.push(
        "an Output has no promise() (provider/resources/membershipWave.ts, plainIds.ts): the membership wave and plain ids are off, every membership registers on its own",
      );
    } else {
      const plain = await o.promise();
      const withUnknowns = await o.promise(true);
      if (plain !== "42") problems.push(`Output.promise() resolved with ${JSON.stringify(plain)}, not the Output's value "42"`);
      if (withUnknowns !== "42") problems.push(`Output.promise(true) resolved with ${JSON.stringify(withUnknowns)}, not "42"`);
    }
  }

  // The provider plugin (provider/plugin/server.ts, main.ts) serves the generated stubs.
  for (const [alias, mod] of [
    ["plugproto", "./proto/plugin_pb"],
    ["provproto", "./proto/provider_pb"],
    ["provrpc", "./proto/provider_grpc_pb"],
  ] as const) {
    const loaded = load(mod, "provider/plugin/server.ts");
    if (!loaded) continue;
    for (const name of stubNamesUsed(alias)) {
      if (lookup(loaded, name) === undefined) problems.push(`@pulumi/pulumi/${mod.slice(2)} has no ${name} (provider/plugin uses ${alias}.${name})`);
    }
  }
  const config = load("./runtime/config", "provider/plugin/server.ts");
  if (config && typeof config.setAllConfig !== "function") problems.push("@pulumi/pulumi/runtime/config has no setAllConfig (provider/plugin/server.ts)");
  // provider/plugin/grpc.ts takes the gRPC runtime and protobuf classes from where the stubs load them.
  const grpc = load("@grpc/grpc-js", "provider/plugin/grpc.ts");
  if (grpc && (typeof grpc.Server !== "function" || grpc.status === undefined)) problems.push("@grpc/grpc-js (from the SDK) has no Server or status");
  const struct = load("google-protobuf/google/protobuf/struct_pb", "provider/plugin/grpc.ts");
  if (struct && typeof (struct.Struct as Loaded | undefined)?.fromJavaScript !== "function")
    problems.push("google-protobuf (from the SDK) has no Struct.fromJavaScript");
  const empty = load("google-protobuf/google/protobuf/empty_pb", "provider/plugin/grpc.ts");
  if (empty && typeof empty.Empty !== "function") problems.push("google-protobuf (from the SDK) has no Empty");

  // The importer (provider/import/stackState.ts) and the dynamic-provider host the engine starts for the
  // dynamic resources (their serialized `require()` of a shim runs in it; provider/runtime/notice.ts).
  const automation = load("./automation", "provider/import/stackState.ts");
  if (automation && typeof (automation.LocalWorkspace as Loaded | undefined)?.create !== "function")
    problems.push("@pulumi/pulumi/automation has no LocalWorkspace.create");
  if (!fs.existsSync(path.join(sdkDir, "cmd/dynamic-provider/index.js")))
    problems.push("@pulumi/pulumi/cmd/dynamic-provider/index.js is gone (the host of every dynamic resource)");
  return problems;
}
