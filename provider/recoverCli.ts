#!/usr/bin/env node
/**
 * `pulumi stack export | npx pulumi-databricks-scim-recover` (or `… recover FILE`), in the Pulumi project's
 * folder, before the `pulumi up` that follows an interrupted one on a machine without that run's files (README
 * "Interrupted runs"). Notes the state's pending creates of users, groups and service principals in the create
 * journal (runtime/pendingCreates.ts), so that the `up` takes over what the dead run made instead of failing
 * with "already exists" or duplicating a service principal. Prints what it noted; changes nothing else.
 */
import * as fs from "node:fs";
import { notePendingCreates, type ExportedStack } from "./runtime/pendingCreates";

function main(): number {
  const file = process.argv[2];
  const text = fs.readFileSync(file ?? 0, "utf8");
  let exported: ExportedStack;
  try {
    exported = JSON.parse(text) as ExportedStack;
  } catch {
    process.stderr.write(`pulumi-databricks-scim-recover: ${file ?? "stdin"} is not JSON: pipe \`pulumi stack export\` into it.\n`);
    return 2;
  }
  if (process.env.DATABRICKS_SCIM_JOURNAL === "off") {
    process.stderr.write("pulumi-databricks-scim-recover: DATABRICKS_SCIM_JOURNAL=off: nothing can be noted.\n");
    return 2;
  }
  const noted = notePendingCreates(exported);
  for (const p of noted) process.stdout.write(`pending create noted: ${p.urn} (${p.kind} ${p.naturalKey})\n`);
  process.stdout.write(
    `${noted.length} pending create${noted.length === 1 ? "" : "s"} of users, groups and service principals noted in the create journal. ` +
      "Next: `pulumi up`, then `pulumi refresh --clear-pending-creates --yes` to drop the pending operations from the state.\n",
  );
  return 0;
}

process.exit(main());
