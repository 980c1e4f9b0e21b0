#!/usr/bin/env node
/**
 * `node dist/bench/stateBytes.js [--users 20 --groups 4 --memberships 40] [--members] [--skip-checkpoints] [--keep FILE]`
 * `node dist/bench/stateBytes.js --from FILE` (the breakdown of an export kept before, nothing run)
 *
 * Where a stack's state bytes go, per resource kind and per part: runs `up` of the benchmark graph through the
 * real CLI (file backend, checkpoints on, package defaults) against the emulator, takes `pulumi stack export`
 * and prints, for each kind, the bytes per resource of the whole entry and of each of its parts (each input and
 * output key, the URN, dependencies, propertyDependencies, deletedWith, ...), as the export writes them, and each
 * resource object unindented (as the checkpoint file holds it), with its inputs, outputs and the engine's fields.
 * `--skip-checkpoints` only makes a large graph's `up` quicker: the state it ends with is the same.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CLASSIC_WORKSPACE, startEmulatorProcess } from "../scripts/emulatorProcess";
import { repoRoot } from "../scripts/repoRoot";
import { runStack } from "../scripts/stackProcess";
import { checkShape, type Shape } from "./shape";

const REPO = repoRoot();

interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [part: string]: unknown;
}

/** Bytes of a value as the export writes it (4-space indentation, as `pulumi stack export` does). */
const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v, null, 4));

/** Bytes of a whole `pulumi stack export` result. */
export const exportBytes = (exported: unknown): number => bytes(exported);

/** The same without indentation: what the file backend writes to the stack's checkpoint file after every step. */
export const checkpointBytes = (exported: unknown): number => Buffer.byteLength(JSON.stringify(exported));

/**
 * Bytes of `"key": value,` and its newline as the export writes it at `depth` (the export nests a resource's
 * keys four levels deep, `deployment.resources[i].key`, so every line of it carries 16 spaces and more).
 */
function entryBytes(key: string, value: unknown, depth: number): number {
  const lines = JSON.stringify(value, null, 4).split("\n");
  const text = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  return 4 * depth + Buffer.byteLength(JSON.stringify(key)) + 2 + 1 + text + (lines.length - 1) * 4 * depth;
}

export interface KindBytes {
  kind: string;
  count: number;
  /** What one resource adds to the export, indentation included. */
  perResource: number;
  /** The same resource object unindented (JSON.stringify), as the file backend writes it to the checkpoint. */
  perResourceUnindented: number;
  /** Bytes per resource, indentation included, of its inputs, its outputs, and the rest (the engine's own fields). */
  sections: { inputs: number; outputs: number; engine: number };
  /** part ("inputs.userName", "outputs.id", "urn", ...) -> bytes per resource, indentation included. */
  parts: Record<string, number>;
}

/** The breakdown of an exported deployment: one row per resource type, parts sorted by size. */
export function stateBreakdown(deployment: { resources?: StateResource[] }): KindBytes[] {
  const byKind = new Map<string, StateResource[]>();
  for (const r of deployment.resources ?? []) byKind.set(r.type, [...(byKind.get(r.type) ?? []), r]);
  const empty = bytes({ deployment: { resources: [] } });
  const out: KindBytes[] = [];
  for (const [kind, list] of byKind) {
    const parts: Record<string, number> = {};
    let total = 0;
    let unindented = 0;
    const sections = { inputs: 0, outputs: 0, engine: 0 };
    for (const r of list) {
      // Exactly what the resource adds to an export: one entry of `resources` (plus the comma between two).
      const one = bytes({ deployment: { resources: [r] } }) - empty + 1;
      total += one;
      unindented += Buffer.byteLength(JSON.stringify(r));
      const inputs = r.inputs === undefined ? 0 : entryBytes("inputs", r.inputs, 4);
      const outputs = r.outputs === undefined ? 0 : entryBytes("outputs", r.outputs, 4);
      sections.inputs += inputs;
      sections.outputs += outputs;
      sections.engine += one - inputs - outputs;
      for (const [key, value] of Object.entries(r)) {
        if ((key === "inputs" || key === "outputs") && value && typeof value === "object") {
          for (const [k, v] of Object.entries(value)) parts[`${key}.${k}`] = (parts[`${key}.${k}`] ?? 0) + entryBytes(k, v, 5);
        } else parts[key] = (parts[key] ?? 0) + entryBytes(key, value, 4);
      }
    }
    const sorted = Object.entries(parts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, Math.round(v / list.length)] as const);
    out.push({
      kind: kind.replace(/^pulumi-nodejs:dynamic\/scim:/, ""),
      count: list.length,
      perResource: Math.round(total / list.length),
      perResourceUnindented: Math.round(unindented / list.length),
      sections: {
        inputs: Math.round(sections.inputs / list.length),
        outputs: Math.round(sections.outputs / list.length),
        engine: Math.round(sections.engine / list.length),
      },
      parts: Object.fromEntries(sorted),
    });
  }
  return out.sort((a, b) => b.count - a.count);
}

/** Prints the breakdown of an export (what `pulumi stack export` wrote). */
export function printBreakdown(exported: { deployment: { resources?: StateResource[] } }): void {
  const rows = stateBreakdown(exported.deployment);
  const all = exportBytes(exported);
  const counted = rows.filter((r) => !/^pulumi:/.test(r.kind)).reduce((n, r) => n + r.count, 0);
  console.log(
    `export: ${all} bytes, ${counted} package resources, ${(all / Math.max(1, counted)).toFixed(0)} bytes per resource (whole export / package resources)`,
  );
  const compact = checkpointBytes(exported) / Math.max(1, counted);
  console.log(`checkpoint (the same unindented, as the file backend rewrites it after each step): ${compact.toFixed(0)} bytes per resource`);
  for (const r of rows) {
    console.log(
      `\n${r.kind}: ${r.count} resources, ${r.perResource} bytes each as exported, ${r.perResourceUnindented} unindented` +
        ` (inputs ${r.sections.inputs}, outputs ${r.sections.outputs}, the engine's fields ${r.sections.engine})`,
    );
    for (const [k, v] of Object.entries(r.parts)) console.log(`  ${String(v).padStart(6)}  ${k}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "20" },
      groups: { type: "string", default: "4" },
      memberships: { type: "string", default: "40" },
      members: { type: "boolean", default: false },
      keep: { type: "string" },
      "skip-checkpoints": { type: "boolean", default: false },
      from: { type: "string" },
    },
  });
  if (values.from) {
    // An export kept before (--keep, or `pulumi stack export --file`): its breakdown, nothing run.
    printBreakdown(JSON.parse(fs.readFileSync(values.from, "utf8")) as { deployment: { resources?: StateResource[] } });
    return;
  }
  const shape: Shape = { users: Number(values.users), groups: Number(values.groups), memberships: Number(values.memberships), changed: 0 };
  checkShape(shape);
  const emu = await startEmulatorProcess([...CLASSIC_WORKSPACE]);
  const workDir = path.join(REPO, "bench", ".work", `state-bytes-${Date.now()}`);
  const program = path.join(REPO, "dist", "bench", "program.js");
  const env = {
    DATABRICKS_HOST: emu.url,
    DATABRICKS_TOKEN: emu.tokens.admin,
    ...(values["skip-checkpoints"] ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
  };
  const config = { bench: JSON.stringify({ ...shape, members: values.members }) };
  try {
    const up = await runStack("up", { workDir, stack: "bytes", program, env, config });
    if (up.code !== 0) throw new Error(`up failed:\n${up.stdout.slice(-2000)}\n${up.stderr.slice(-2000)}`);
    const exported = await runStack("export", { workDir, stack: "bytes", program, env, config });
    if (values.keep) fs.writeFileSync(values.keep, JSON.stringify(exported.result, null, 4));
    printBreakdown(exported.result as { deployment: { resources: StateResource[] } });
    await runStack("destroy", { workDir, stack: "bytes", program, env, config });
  } finally {
    await emu.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error((err as Error).message ?? err);
    process.exit(1);
  });
