#!/usr/bin/env node
/**
 * One Pulumi operation on one program, through the real CLI, in its own process:
 *
 *   node dist/scripts/stack.js <up|preview|refresh|destroy|export|import|config|cancel> --dir DIR --stack NAME --program FILE.js
 *        [--config key=value]... [--secret key=value]... [--diff] [--refresh] [--expect-no-changes]
 *        [--clear-pending-creates] [--state FILE] [--result FILE]
 *
 * The program module's default export is the Pulumi program. The CLI's own output goes to stdout as it comes;
 * `--result FILE` writes a JSON summary (change counts, outputs, or the exported state) for tests to read.
 * Tests and benchmarks run this as a child process so that the Pulumi runtime runs in a plain Node process.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { openStack } from "./engine";

type Program = () => Promise<Record<string, unknown> | void>;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      stack: { type: "string", default: "dev" },
      program: { type: "string" },
      config: { type: "string", multiple: true, default: [] },
      secret: { type: "string", multiple: true, default: [] },
      diff: { type: "boolean", default: false },
      refresh: { type: "boolean", default: false },
      state: { type: "string" },
      "expect-no-changes": { type: "boolean", default: false },
      "run-program": { type: "boolean", default: false },
      "clear-pending-creates": { type: "boolean", default: false },
      parallel: { type: "string" },
      result: { type: "string" },
    },
  });
  const command = positionals[0];
  if (!command || !values.dir || !values.program) {
    process.stderr.write("usage: stack.js <up|preview|refresh|destroy|export|config> --dir DIR --program FILE.js [options]\n");
    return 2;
  }
  const workDir = path.resolve(values.dir);
  const programPath = path.resolve(values.program);
  // The program is a path given on the command line, loaded at run time as the Node.js language host loads one.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(programPath) as { default?: Program } | Program;
  const program: Program = typeof loaded === "function" ? loaded : (loaded.default as Program);
  // A state backend the caller chose (the benchmark's `--backend azblob`); else the file backend under --dir.
  const backendUrl = process.env.PULUMI_BACKEND_URL;
  const stack = await openStack({ workDir, stackName: values.stack, program, env: backendUrl ? { PULUMI_BACKEND_URL: backendUrl } : undefined });

  for (const [list, secret] of [
    [values.config, false],
    [values.secret, true],
  ] as const) {
    for (const kv of list) {
      const i = kv.indexOf("=");
      if (i < 1) throw new Error(`--config/--secret take key=value, got '${kv}'`);
      await stack.setConfig(kv.slice(0, i), { value: kv.slice(i + 1), secret });
    }
  }

  const onOutput = (s: string): void => void process.stdout.write(s);
  const parallel = values.parallel ? Number(values.parallel) : undefined;
  let result: unknown;
  switch (command) {
    case "config":
      result = await stack.getAllConfig();
      break;
    case "up": {
      const r = await stack.up({ onOutput, diff: values.diff, parallel, color: "never" });
      result = { summary: r.summary, outputs: r.outputs };
      break;
    }
    case "preview": {
      // Each planned step as the engine sends it: `diffs` are the fields a provider's diff answer let the engine
      // find (none for a `changes: true` answer), which the text display does not show.
      const steps: { op: string; urn: string; diffs: string[] }[] = [];
      const onEvent = (e: { resourcePreEvent?: { metadata: { op: string; urn: string; diffs?: string[] } } }): void => {
        const m = e.resourcePreEvent?.metadata;
        if (m && m.op !== "same") steps.push({ op: m.op, urn: m.urn, diffs: m.diffs ?? [] });
      };
      const r = await stack.preview({
        onOutput,
        onEvent,
        diff: values.diff,
        refresh: values.refresh,
        expectNoChanges: values["expect-no-changes"],
        parallel,
        color: "never",
      });
      result = { changeSummary: r.changeSummary, steps };
      break;
    }
    case "refresh": {
      const r = await stack.refresh({ onOutput, parallel, color: "never", clearPendingCreates: values["clear-pending-creates"] });
      result = { summary: r.summary };
      break;
    }
    case "destroy": {
      const r = await stack.destroy({ onOutput, parallel, color: "never", runProgram: values["run-program"] });
      result = { summary: r.summary };
      break;
    }
    case "export":
      result = await stack.exportStack();
      break;
    case "import":
      // A state a test wrote (`--state FILE`, an exported deployment), e.g. one as an older release left it.
      if (!values.state) throw new Error("import needs --state FILE");
      await stack.importStack(JSON.parse(fs.readFileSync(values.state, "utf8")) as Parameters<typeof stack.importStack>[0]);
      result = {};
      break;
    case "cancel":
      // Removes the lock an interrupted operation left (the local backend keeps it as a file).
      await stack.cancel();
      result = {};
      break;
    default:
      process.stderr.write(`unknown command '${command}'\n`);
      return 2;
  }
  if (values.result) fs.writeFileSync(values.result, JSON.stringify(result, null, 2));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Automation API errors carry the CLI's stderr; print it as the CLI would.
    const e = err as { stderr?: string; message?: string };
    process.stderr.write(`${e.stderr ?? e.message ?? String(err)}\n`);
    process.exit(1);
  },
);
