#!/usr/bin/env node
/**
 * `npx pulumi-databricks-scim-to-plugin [--stack NAME] [--dry-run]`, in the Pulumi project's folder: moves a stack's
 * dynamic resources of this package to the plugin's types without writing to Databricks (docs/commands/
 * pulumi-resource-databricks-scim.md "Moving a stack"). First one `pulumi import --file` (reads by id only), then,
 * once that succeeded, `pulumi state delete` of each dynamic entry; a failed import leaves the state as it was.
 */
import "../nodeVersion";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planMove, type ExportedState } from "./toPlugin";

const USAGE = `usage: pulumi-databricks-scim-to-plugin [--stack NAME] [--dry-run]

Run in the Pulumi project's folder, with the plugin (pulumi-resource-databricks-scim) on PATH and its provider
configured for the same workspace or account (pulumi config set databricks-scim:host …, --secret databricks-scim:token …).
Moves every dynamic resource of this package (pulumi-nodejs:dynamic/scim:*) to the plugin's type of the same name:
  1. pulumi import --file <plan> --protect=false   (GETs only: the plugin reads each by the id the state holds)
  2. pulumi state delete <dynamic urn>             (each, once the import succeeded; dependents first)
Nothing is written to Databricks. Then change the program to declare the plugin's types (listed at the end) and
check that \`pulumi preview\` shows no changes.

  --stack NAME  the stack (default: the selected one)
  --dry-run     print the plan (the import file and the commands) and change nothing
  --help        print this help
`;

function pulumi(args: string[], stack: string | undefined): string {
  return execFileSync("pulumi", [...args, ...(stack ? ["--stack", stack] : []), "--non-interactive"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

function main(): number {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const si = argv.indexOf("--stack");
  const stack = si >= 0 ? argv[si + 1] : undefined;
  const dryRun = argv.includes("--dry-run");
  const unknown = argv.filter((a, i) => a.startsWith("-") && !["--stack", "--dry-run"].includes(a) && argv[i - 1] !== "--stack");
  if (unknown.length > 0 || (si >= 0 && !stack)) {
    process.stderr.write(`pulumi-databricks-scim-to-plugin: ${unknown.length > 0 ? `unknown option ${unknown[0]}` : "--stack needs a name"}\n\n${USAGE}`);
    return 2;
  }
  const plan = planMove(JSON.parse(pulumi(["stack", "export"], stack)) as ExportedState);
  for (const s of plan.skipped) process.stdout.write(`skipped ${s.urn}: ${s.why}\n`);
  if (plan.importFile.resources.length === 0) {
    process.stdout.write("No dynamic resources of pulumi-databricks-scim to move in this stack.\n");
    return 0;
  }
  if (plan.hosts.length > 1) {
    process.stderr.write(
      `pulumi-databricks-scim-to-plugin: the resources live at ${plan.hosts.length} hosts (${plan.hosts.join(", ")}); the plugin's default provider serves one. ` +
        "Move them host by host with `pulumi import --file` and an explicit provider per host (see --dry-run for the file).\n",
    );
    return 1;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scim-to-plugin-")), "import.json");
  fs.writeFileSync(file, `${JSON.stringify(plan.importFile, null, 2)}\n`);
  const where = plan.hosts[0] ? ` (the resources live at ${plan.hosts[0]}: the plugin's provider must be configured for it)` : "";
  process.stdout.write(`Moving ${plan.importFile.resources.length} resources${where}.\n`);
  const importArgs = ["import", "--file", file, "--protect=false", "--generate-code=false", "--yes"];
  if (dryRun) {
    process.stdout.write(`${fs.readFileSync(file, "utf8")}\npulumi ${importArgs.join(" ")}\n`);
    for (const urn of plan.deletes) process.stdout.write(`pulumi state delete '${urn}' --yes\n`);
    return 0;
  }
  try {
    process.stdout.write(pulumi(importArgs, stack));
  } catch {
    process.stderr.write("pulumi-databricks-scim-to-plugin: the import failed (above); the state is as it was: nothing was deleted.\n");
    return 1;
  }
  for (const urn of plan.deletes) pulumi(["state", "delete", urn, "--yes"], stack);
  process.stdout.write(`Deleted ${plan.deletes.length} dynamic entries from the state. Declare in the program (same names, the plugin's types):\n`);
  for (const r of plan.importFile.resources) process.stdout.write(`  ${r.type}  ${r.name}  (id ${r.id})\n`);
  return 0;
}

process.exitCode = main();
