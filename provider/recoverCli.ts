#!/usr/bin/env node
/**
 * `pulumi stack export | npx pulumi-databricks-scim-recover` (or `… recover FILE`; `… recover --take ID`, below), in the Pulumi project's
 * folder, before the `pulumi up` that follows an interrupted one on a machine without that run's files (README
 * "Interrupted runs"). Notes the state's pending creates of users, groups and service principals in the create
 * journal (runtime/pendingCreates.ts), so that the `up` takes over what the dead run made instead of failing
 * with "already exists" or duplicating a service principal. Prints what it noted; changes nothing else.
 */
// First, before anything loads undici: a clear error on a Node.js that is too old (./nodeVersion.ts).
import "./nodeVersion";
import * as fs from "node:fs";
import { CreateJournalStore } from "./runtime/createJournal";
import { notePendingCreates, type ExportedStack } from "./runtime/pendingCreates";
import { processSettings } from "./runtime/settings";

/** The journal the next `pulumi up` in this folder reads (the provider process's cwd is the project folder). */
function journal(): CreateJournalStore {
  const settings = processSettings(process.env);
  return new CreateJournalStore(settings.journalFile, settings.project);
}

const USAGE = `usage: pulumi-databricks-scim-recover [FILE]
       pulumi-databricks-scim-recover --take ID

Run in the Pulumi project's folder, before the \`pulumi up\` that follows an interrupted one on a machine without that
run's files (README "Interrupted runs"). Changes nothing in Databricks and nothing in the state.

  pulumi stack export | npx pulumi-databricks-scim-recover
              notes the state's pending creates of users, groups and service principals in the create journal,
              so that the next \`pulumi up\` takes over what the interrupted run made (FILE: an exported state
              instead of stdin)
  --take ID   after \`pulumi up\` refused an object as "already exists" and named this command with its SCIM id:
              marks that object as the interrupted run's, so that the next \`pulumi up\` takes it over
  --help      print this help
`;

function main(): number {
  const arg = process.argv[2];
  if (arg === "--help" || arg === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (arg === "--take") return take(process.argv[3]);
  if (arg?.startsWith("-")) {
    process.stderr.write(`pulumi-databricks-scim-recover: unknown option '${arg}'.\n\n${USAGE}`);
    return 2;
  }
  const file = arg;
  if (file !== undefined && !fs.existsSync(file)) {
    process.stderr.write(`pulumi-databricks-scim-recover: no file '${file}': pipe \`pulumi stack export\` into it, or name the file it wrote.\n`);
    return 2;
  }
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
  const noted = notePendingCreates(journal(), exported);
  for (const p of noted) process.stdout.write(`pending create noted: ${p.urn} (${p.kind} ${p.naturalKey})\n`);
  process.stdout.write(
    `${noted.length} pending create${noted.length === 1 ? "" : "s"} of users, groups and service principals noted in the create journal. ` +
      "Next: `pulumi up`, then `pulumi refresh --clear-pending-creates --yes` to drop the pending operations from the state.\n",
  );
  return 0;
}

/**
 * `--take ID`: after a `pulumi up` refused an object as "already exists" with no record of this stack creating it
 * (its message names this command with the id), the person running it says that object is an interrupted run's.
 * By then the state may hold no pending create to read (the engine drops a pending create when the same
 * resource's create fails), so this is the way to say it; only an id a create in this folder was refused on counts.
 */
function take(id: string | undefined): number {
  if (!id || !/^\d+$/.test(id)) {
    process.stderr.write("pulumi-databricks-scim-recover: --take needs the SCIM id the `already exists` message names.\n");
    return 2;
  }
  if (process.env.DATABRICKS_SCIM_JOURNAL === "off") {
    process.stderr.write("pulumi-databricks-scim-recover: DATABRICKS_SCIM_JOURNAL=off: nothing can be noted.\n");
    return 2;
  }
  const key = journal().takeRefused(id);
  if (key === undefined) {
    process.stderr.write(
      `pulumi-databricks-scim-recover: no create in this folder was refused on id ${id} in the last 24 hours: run it in the ` +
        "Pulumi project folder where `pulumi up` printed the message (or run `pulumi up` here first).\n",
    );
    return 1;
  }
  const [, host, , , kind, naturalKey] = key.split("|");
  process.stdout.write(`noted: ${kind} '${naturalKey}' (id ${id}) in ${host} is the interrupted run's. Next: \`pulumi up\` takes it over.\n`);
  return 0;
}

process.exit(main());
