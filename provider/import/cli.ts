#!/usr/bin/env node
/**
 * databricks-scim-import: reads a Databricks workspace or account and writes a TypeScript module declaring
 * what it found, and (with --stack) the matching resources into that stack's state, so that the next
 * `pulumi preview` shows no changes. Nothing is ever written to Databricks. `--help` lists the options.
 */
// First, before anything loads undici: a clear error on a Node.js that is too old (../nodeVersion.ts).
import "../nodeVersion";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { AuthError, CredentialError, NetworkError, type ScimClient } from "../client";
import { quote } from "../client/filter";
import { KINDS, readDirectory, type Kind } from "./read";
import { COLLECTION_THRESHOLD, planImport, type Plan } from "./plan";
import { renderModule } from "./render";
import { stderrProgress } from "./progress";
import { connectionFor, statesOf, typeToken, useStackConfig, type ResourceState } from "./stateOf";
import { exportState, importState, managedIds, mergeState, openStack, stackConfig } from "./stackState";
import { DatabricksScimError } from "../shared/packageError";

export const USAGE = `usage: databricks-scim-import --out FILE [options]

Reads every user, service principal, group and membership of a Databricks workspace (or account) and writes a
TypeScript module declaring them, with their entitlements and roles, exactly as read. With --stack, also writes
the matching resources into that stack's state (pulumi stack import), so that \`pulumi preview\` of a program
that calls the module shows no changes. Nothing is ever written to Databricks.

Where to read (the same resolution as the resources: flags, then the stack configuration, then DATABRICKS_HOST,
DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/SECRET, ~/.databrickscfg, ~/.netrc, Entra ID on Azure hosts):
  --host URL              workspace URL, or the account console URL
  --level workspace|account
  --account-id ID         the account at account level (or DATABRICKS_ACCOUNT_ID); unset: the host's
                          /.well-known/databricks-config names it, as for the resources
  --profile NAME          a ~/.databrickscfg profile
What to write:
  --out FILE              the module to write (required); an existing file is kept unless --force
  --force                 overwrite --out
  --kinds LIST            comma list of users,servicePrincipals,groups,memberships (default: all)
  --group-prefix P        only groups whose displayName starts with P
  --group-filter F        only groups matching a SCIM filter, e.g. 'displayName co "eng"'
  --identities MODE       auto (default: collections from ${COLLECTION_THRESHOLD} users and service principals on), collection (one
                          ScimUsers keyed by userName, one ScimServicePrincipals keyed by applicationId) or resources
                          (a ScimUser / ScimServicePrincipal per identity); with --stack, auto keeps the stack's shape
  --memberships MODE      members (default: one authoritative GroupMembers per group) or pairs (GroupMembership)
  --idp-owned MODE        lookup (default: objects with an externalId are referred to, not managed) or include
  --members-from MODE     list (workspace default) or get (one GET per group; account default)
  --adopt                 put adopt: true on users, groups and service principals (for a take-over without --stack)
The take-over:
  --stack NAME            write the resources into this stack's state (it must exist: pulumi stack init)
  --project-dir DIR       the Pulumi project of the stack (default: the current directory)
  --quiet                 no progress on stderr
  --help
`;

const ACCOUNT_ID_REQUIRED =
  "--account-id is required at account level: nothing names the account (no --account-id, DATABRICKS_ACCOUNT_ID, " +
  "databricks-scim:accountId in the stack or account_id in the profile), and the host's /.well-known/databricks-config " +
  "did not name one either. Pass --account-id <the account's UUID, as shown in the account console>.";

export interface CliIo {
  stdout: (s: string) => void;
  stderr: NodeJS.WriteStream;
  env: Record<string, string>;
  cwd: string;
}

export async function runImport(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      level: { type: "string" },
      "account-id": { type: "string" },
      profile: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean", default: false },
      kinds: { type: "string" },
      "group-prefix": { type: "string" },
      "group-filter": { type: "string" },
      memberships: { type: "string", default: "members" },
      identities: { type: "string", default: "auto" },
      "idp-owned": { type: "string", default: "lookup" },
      "members-from": { type: "string" },
      adopt: { type: "boolean", default: false },
      stack: { type: "string" },
      "project-dir": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  // Everything the user can get wrong is refused before the first request, and before any file or state is touched.
  if (!values.out) throw new UsageError("--out FILE is required: the TypeScript module to write.");
  const outFile = path.resolve(io.cwd, values.out);
  if (fs.existsSync(outFile) && !values.force) {
    throw new UsageError(`${values.out} exists; pass --force to overwrite it (a rerun's diff then shows what changed in Databricks).`);
  }
  const kinds = new Set<Kind>(values.kinds ? (values.kinds.split(",").map((k) => k.trim()) as Kind[]) : KINDS);
  for (const k of kinds) if (!KINDS.includes(k)) throw new UsageError(`--kinds: '${k}' is not a kind; use ${KINDS.join(",")}.`);
  const memberships = oneOf("--memberships", values.memberships, ["members", "pairs"] as const);
  const identities = oneOf("--identities", values.identities, ["auto", "collection", "resources"] as const);
  const idpOwned = oneOf("--idp-owned", values["idp-owned"], ["lookup", "include"] as const);
  const level = values.level === undefined ? undefined : oneOf("--level", values.level, ["workspace", "account"] as const);
  const membersFrom = values["members-from"] === undefined ? undefined : oneOf("--members-from", values["members-from"], ["list", "get"] as const);
  if (values["group-prefix"] && values["group-filter"]) throw new UsageError("--group-prefix and --group-filter: give one of them.");
  const groupFilter = values["group-prefix"] ? `displayName sw ${quote(values["group-prefix"])}` : values["group-filter"];

  // The stack first: its configuration is part of where to read and as whom, as for the resources.
  const projectDir = path.resolve(io.cwd, values["project-dir"] ?? ".");
  const stack = values.stack ? await openStack(projectDir, values.stack, io.env) : undefined;
  const config = stack ? await stackConfig(stack) : undefined;
  useStackConfig(config?.values ?? {});

  let client: ScimClient;
  let probe: ScimClient;
  let conn: Awaited<ReturnType<typeof connectionFor>>["conn"];
  try {
    ({ conn, client, probe } = await connectionFor({ host: values.host, level, accountId: values["account-id"], profile: values.profile }));
  } catch (e) {
    // At account level the host's metadata is asked for the account id only when nothing else names one.
    if (e instanceof CredentialError && e.setting === "accountId") throw new UsageError(ACCOUNT_ID_REQUIRED);
    throw new UsageError(`no usable Databricks connection: ${(e as Error).message}`);
  }
  if (client.level === "account" && !client.accountId) throw new UsageError(ACCOUNT_ID_REQUIRED);
  // One small request first, asking for an attribute only admins may read: reachability, credentials, rights.
  try {
    for await (const _ of probe.users.iterate({ attributes: "id,externalId", pageSize: 1 })) break;
  } catch (e) {
    await client.close();
    throw explainReadError(e, probe);
  } finally {
    await probe.close();
  }

  const progress = stderrProgress(io.stderr, values.quiet);
  let directory;
  try {
    directory = await readDirectory(client, { kinds, groupFilter, membersFrom, progress });
  } catch (e) {
    throw explainReadError(e, client);
  } finally {
    await client.close();
  }

  // Where the host's metadata named the cloud, it decides whether Databricks generates application ids (AWS, GCP).
  const cloud = conn.cloudSource === "metadata" ? conn.cloud : undefined;
  let planOpts = { kinds, memberships, idpOwned, adopt: values.adopt, identities, ...(cloud ? { cloud } : {}) };
  let plan: Plan = planImport(directory, planOpts);
  let write: (() => Promise<string>) | undefined;
  if (stack && config) {
    const deployment = await exportState(stack);
    const project = await projectName(stack);
    const urns = (p: Plan) => new Set([...p.collections, ...p.users, ...p.servicePrincipals, ...p.groups, ...p.memberships].map((d) => d.name));
    // The stack's identities from an earlier import in the other shape: dropping them from the module would make the
    // next `up` delete those users in Databricks. `auto` keeps the stack's shape; an explicit mode that differs stops.
    const other = planImport(directory, { ...planOpts, identities: plan.identities === "collection" ? "resources" : "collection" });
    const mine = typedNames(plan);
    const held = new Set((deployment.deployment as { resources?: { urn: string }[] }).resources?.map((r) => r.urn.split("::").slice(-2).join("::")) ?? []);
    const dropped = [...typedNames(other)].filter((n) => !mine.has(n) && held.has(n)).map((n) => n.split("::").pop() as string);
    if (dropped.length > 0 && identities !== "auto") {
      throw new UsageError(
        `--identities ${identities}: stack ${values.stack} holds the identities of an earlier import as ${other.identities === "collection" ? "collections" : "one resource each"} ` +
          `(${dropped.slice(0, 3).join(", ")}${dropped.length > 3 ? `, … ${dropped.length} in all` : ""}); a module without them would make the next \`pulumi up\` delete ` +
          `those identities in Databricks. Rerun with --identities ${other.identities} (or auto, which keeps the stack's shape). Nothing was written.`,
      );
    }
    if (dropped.length > 0) planOpts = { ...planOpts, identities: other.identities };
    plan = dropped.length > 0 ? other : plan;
    // Objects the stack manages under other names are left out of the module (and referred to by id).
    const oursByName = urns(plan);
    const ours = new Set<string>();
    for (const r of (deployment.deployment as { resources?: { urn: string }[] }).resources ?? []) {
      const name = r.urn.split("::").pop() ?? "";
      if (oursByName.has(name)) ours.add(r.urn);
    }
    plan = planImport(directory, { ...planOpts, managedElsewhere: managedIds(deployment, ours) });
    const states: ResourceState[] = await statesOf(plan);
    // A new provider entry holds the stack's configuration as the engine would record it; secret values go in as
    // Pulumi's plaintext secret form, which `stack import` encrypts with the stack's own secrets provider.
    const providerInputs = providerInputsOf(config.values, config.secretKeys);
    const merged = mergeState(deployment, states, { stackName: values.stack as string, project, providerInputs });
    write = async () => {
      await importState(stack, merged.deployment);
      return `stack ${values.stack}: ${merged.added} added, ${merged.updated} updated, ${merged.unchanged} unchanged`;
    };
  }

  const source = `${directory.host} (${directory.level}${directory.accountId ? ` ${directory.accountId}` : ""})`;
  const text = renderModule(plan, source);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(`${outFile}.tmp`, text);
  fs.renameSync(`${outFile}.tmp`, outFile);
  const stateLine = write ? await write() : "no stack given: state not written";
  for (const s of plan.skipped) io.stderr.write(`left out ${s.kind} ${s.key} (id ${s.id}): the stack manages it as ${s.by}\n`);
  io.stdout(
    `read ${directory.users.length} users, ${directory.servicePrincipals.length} service principals, ${directory.groups.length} groups ` +
      `in ${(directory.elapsedMs / 1000).toFixed(1)} s (${directory.requests} requests); wrote ${values.out}: ` +
      `${identitiesLine(plan)}, ${plan.groups.length} groups, ` +
      `${plan.memberships.length} memberships, ${plan.lookups.length} lookups; ${stateLine}\n`,
  );
  return 0;
}

/** The identities' resources of a plan as `type::name`, the end of their URNs. */
function typedNames(p: Plan): Set<string> {
  return new Set([
    ...p.collections.map((c) => `${typeToken(c.kind)}::${c.name}`),
    ...[...p.users, ...p.servicePrincipals].map((d) => `${typeToken(d.kind)}::${d.name}`),
  ]);
}

/** "300 users in one ScimUsers, 2 service principals" or "3 users, 2 service principals". */
function identitiesLine(plan: Plan): string {
  const inCollection = (kind: string) => plan.collections.find((c) => c.kind === kind)?.entries.length ?? 0;
  const users = inCollection("users");
  const sps = inCollection("servicePrincipals");
  return (
    `${plan.users.length + users} users${users ? " in one ScimUsers" : ""}, ` +
    `${plan.servicePrincipals.length + sps} service principals${sps ? ` (${sps} in one ScimServicePrincipals)` : ""}`
  );
}

/** Pulumi's secret signature in deployments (apitype.SecretSig). */
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

function providerInputsOf(values: Record<string, string>, secretKeys: string[]): Record<string, unknown> {
  const secret = new Set(secretKeys);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secret.has(k) ? { ...SECRET_SIG, plaintext: JSON.stringify(v) } : v]));
}

async function projectName(stack: Awaited<ReturnType<typeof openStack>>): Promise<string> {
  const settings = await stack.workspace.projectSettings();
  return settings.name;
}

/** The command line is wrong: exit code 2, as CLIs do. */
export class UsageError extends DatabricksScimError {
  readonly code = "USAGE";
}

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag}: '${v}' is not allowed; use ${allowed.join(" or ")}.`);
  return v as T;
}

/** A read failure in words: which host, and what to do. Never a credential. */
function explainReadError(e: unknown, client: ScimClient): Error {
  const where = `${client.origin} (${client.level})`;
  const message = (e as Error).message ?? String(e);
  if (e instanceof AuthError && /only accessible by admins|Only account admins|disabled for users without/i.test(message)) {
    return new UsageError(
      `${where}: the caller may not read every identity (${message}). The importer needs a ` +
        `${client.level === "account" ? "account admin" : "workspace admin (a member of admins)"}.`,
    );
  }
  if (e instanceof AuthError) return new UsageError(`${where}: ${message}`);
  if (e instanceof NetworkError) return new UsageError(`${where} is unreachable: ${message}. Check --host (or DATABRICKS_HOST) and the network.`);
  // plain Error: something thrown that is no Error at all, wrapped only so that main can print its message.
  return e instanceof Error ? e : new Error(String(e));
}

if (require.main === module) {
  runImport(process.argv.slice(2), {
    stdout: (s) => void process.stdout.write(s),
    stderr: process.stderr,
    env: process.env as Record<string, string>,
    cwd: process.cwd(),
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const err = e as Error & { stderr?: string };
      process.stderr.write(`databricks-scim-import: ${err.stderr ?? err.message}\n`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
