/**
 * The ONE place where the importer depends on the provider's internals (provider/runtime and the lifecycles):
 * how a resource's inputs and outputs look in the state after `pulumi up` would have created it, and the
 * connection the resources themselves would use. Everything else in provider/import works on plain values.
 *
 * Inputs come from the provider's own `check`, fed exactly what the resource class registers, so they are what
 * the engine stores. Outputs are what `create` returns for an object that already holds those values, derived
 * from each kind's field table (lifecycle/*Fields.ts) the way its lifecycle derives them (test/unit/import
 * checks them against the real `create` of each kind), and every entry is then put through the provider's own
 * `diff`, which must answer "no changes": that is exactly what `pulumi preview` will ask.
 */
import { createHash } from "node:crypto";
import type { ResolvedConnection } from "../auth";
import { ScimClient } from "../client";
import { configure, lifecycle, providerSession } from "../runtime";
import { storedOutputs } from "../lifecycle/storedShape";
import { storedProvider } from "../resources/dynamicResource";
import type { ResourceKind } from "../shims/shim";
import { aclPrincipalId, homeFolder } from "../lifecycle/derived";
import { reportedValues, setPath, type Fields } from "../lifecycle/fields";
import { targetOf as lifecycleTargetOf } from "../lifecycle/define";
import type { CollectionState } from "../lifecycle/collection";
import { GROUP_FIELDS } from "../lifecycle/groupFields";
import { memberLabel } from "../lifecycle/memberKeys";
import { servicePrincipalCollectionSpec } from "../lifecycle/servicePrincipalCollection";
import { SERVICE_PRINCIPAL_FIELDS } from "../lifecycle/servicePrincipalFields";
import { scimCollectionUrl } from "../lifecycle/target";
import type { TargetInputs } from "../lifecycle/types";
import { userCollectionSpec } from "../lifecycle/userCollection";
import { USER_FIELDS } from "../lifecycle/userFields";
import { ImportError } from "./errors";
import type { CollectionDecl, IdentityDecl, MembershipDecl, Plan, Ref } from "./plan";

/** Where a resource lives, as its lifecycle keeps it in state (the target fields only). */
const targetOf = (t: Json): Json => ({ ...lifecycleTargetOf(t as unknown as TargetInputs) });

export interface Target {
  host?: string;
  level?: "workspace" | "account";
  accountId?: string;
  profile?: string;
}

/** Gives the provider code the stack configuration, as the engine's `configure` does. */
export function useStackConfig(config: Record<string, string>): void {
  configure({ get: (key) => config[key] });
}

/**
 * Where and as whom to read: the resources' own resolution (stack config, environment, profile, Entra, and the
 * host's metadata for an account id or a unified host's workspace id nothing else names, as their check does),
 * with their client (pacing, retries). `probe` is a second client to the same place that gives up after two quick
 * retries: an unreachable host or a refused credential is reported in seconds, not after five minutes of backoff.
 */
export async function connectionFor(target: Target): Promise<{ conn: ResolvedConnection; client: ScimClient; probe: ScimClient }> {
  const connection = target.profile ? { connection: { profile: target.profile } } : {};
  const session = providerSession();
  const conn = await session.connections.resolveForAsync(
    { host: target.host, level: target.level, accountId: target.accountId, ...connection },
    session.stackSettings(),
  );
  const probe = new ScimClient({
    host: conn.host,
    level: conn.level,
    accountId: conn.accountId,
    ...(conn.workspaceId ? { workspaceId: conn.workspaceId } : {}),
    auth: conn.auth,
    retry: { maxRetries: 2, maxElapsedMs: 10_000 },
  });
  return { conn, client: session.connections.newClient(conn), probe };
}

/** The kinds the importer writes. */
type ImportedKind = "user" | "users" | "group" | "servicePrincipal" | "servicePrincipals" | "groupMembership" | "groupMembers";

const TYPES: Record<ImportedKind, string> = {
  user: "User",
  users: "Users",
  servicePrincipals: "ServicePrincipals",
  group: "Group",
  servicePrincipal: "ServicePrincipal",
  groupMembership: "GroupMembership",
  groupMembers: "GroupMembers",
};

export function typeToken(kind: ImportedKind): string {
  return `pulumi-nodejs:dynamic/scim:${TYPES[kind]}`;
}

export interface ResourceState {
  kind: ResourceKind;
  name: string;
  type: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Logical names of the declared resources it refers to (property → names). */
  dependsOn: Record<string, string[]>;
  /** The id is the resource's own (a collection's), not a SCIM id: a resource the stack already holds keeps its id. */
  ownId?: boolean;
}

type Json = Record<string, unknown>;

/** State for every resource of the plan; throws naming the resource if check fails or diff would not be a no-op. */
export async function statesOf(plan: Plan): Promise<ResourceState[]> {
  const out: ResourceState[] = [];
  for (const c of plan.collections) out.push(await collectionState(plan, c));
  for (const d of [...plan.users, ...plan.servicePrincipals, ...plan.groups]) out.push(await identityState(plan, d));
  for (const m of plan.memberships) out.push(await membershipState(plan, m));
  return out;
}

async function checked(kind: ResourceKind, name: string, registered: Json): Promise<Json> {
  const r = await lifecycle(kind).check({}, registered as never);
  if (r.failures?.length) {
    throw new ImportError("IMPORT_CHECK_REFUSED", `${name}: the provider refuses what was read: ${r.failures.map((f) => f.reason).join("; ")}`);
  }
  return r.inputs as unknown as Json;
}

async function verified(s: Omit<ResourceState, "inputs" | "outputs"> & { inputs: Json; outputs: Json }): Promise<ResourceState> {
  const d = await lifecycle(s.kind).diff(s.id, s.outputs as never, s.inputs as never);
  if (d.changes !== false || (d.replaces?.length ?? 0) > 0) {
    throw new ImportError(
      "IMPORT_INCONSISTENT",
      `${s.name}: the provider's diff of the imported state is not empty (${JSON.stringify(d)}); nothing was written. This is a bug of the importer: please report it with this message.`,
    );
  }
  const provider = storedProvider(s.kind);
  // Written as `up` through the shims writes it: inputs whole, outputs in the stored shape (lifecycle/storedShape.ts).
  const outputs = storedOutputs(s.kind, s.outputs, s.id);
  return { ...s, inputs: { ...s.inputs, __provider: provider }, outputs: { ...outputs, __provider: provider } };
}

async function identityState(plan: Plan, d: IdentityDecl): Promise<ResourceState> {
  const registered: Json = { ...plan.target, ...d.args };
  const inputs = await checked(d.kind, d.name, registered);
  const outputs = identityOutputs(d, inputs);
  return verified({ kind: d.kind, name: d.name, type: typeToken(d.kind), id: d.id, inputs, outputs, dependsOn: {} });
}

/**
 * A ScimUsers or ScimServicePrincipals: its inputs from the provider's check of what the class registers (the map
 * of entries, the key field left out), its outputs from the collection's own `recorded` (lifecycle/collection.ts),
 * fed per identity what its own kind's create returns (identityOutputs), then the collection's diff, which must
 * find no identity to change.
 */
async function collectionState(plan: Plan, c: CollectionDecl): Promise<ResourceState> {
  const byKey = new Map<string, IdentityDecl>();
  const entries: Json = {};
  for (const e of c.entries) {
    const { [c.keyField]: _key, ...entry } = e.args;
    entries[e.key] = entry;
    byKey.set(e.key.toLowerCase(), e);
  }
  const registered: Json = { ...plan.target, [c.kind]: entries, ...(c.adopt ? { adopt: true } : {}) };
  const inputs = await checked(c.kind, c.name, registered);
  const spec = c.kind === "users" ? userCollectionSpec : servicePrincipalCollectionSpec;
  const outputs = spec.recorded(inputs as CollectionState, (key, one) => {
    const d = byKey.get(key);
    if (!d)
      throw new ImportError("IMPORT_INCONSISTENT", `${c.name}: check made an entry '${key}' the plan does not hold (a bug of the importer: please report it)`);
    return { id: d.id, outs: identityOutputs(d, one as unknown as Json) as never };
  });
  const id = collectionId(plan, c);
  return verified({ kind: c.kind, name: c.name, type: typeToken(c.kind), id, inputs, outputs, dependsOn: {}, ownId: true });
}

/** A collection's id is its own (create makes a random UUID); the importer's is derived from where and what, so a rerun gives the same. */
function collectionId(plan: Plan, c: CollectionDecl): string {
  const h = createHash("sha256")
    .update(`${plan.target.host}|${plan.target.level}|${plan.target.accountId ?? ""}|${c.name}`)
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const FIELDS: Record<IdentityDecl["kind"], Fields> = { user: USER_FIELDS, servicePrincipal: SERVICE_PRINCIPAL_FIELDS, group: GROUP_FIELDS };
const COLLECTION = { user: "users", servicePrincipal: "servicePrincipals", group: "groups" } as const;

/**
 * What each kind's create returns for an object holding exactly what was read: the object is rebuilt from the
 * args along the kind's field table (each field's SCIM path), and its outputs come from the table's own
 * `reportedValues`, plus the values derived from the natural key, as in each lifecycle's outputsFrom.
 */
function identityOutputs(d: IdentityDecl, inputs: Json): Json {
  const fields = FIELDS[d.kind];
  const server: Json = { id: d.id };
  for (const [k, f] of Object.entries(fields)) {
    const v = d.args[k];
    if (!f.path || v === undefined) continue;
    setPath(server, f.path, f.type === "entitlements" || f.type === "roles" ? (v as string[]).map((value) => ({ value })) : v);
  }
  const outs: Json = { ...targetOf(inputs), ...reportedValues(fields, inputs as Json & { level: string }, server) };
  if (d.kind === "group") {
    const url = `${scimCollectionUrl(inputs as unknown as TargetInputs, "Groups")}/${d.id}`;
    return { ...outs, aclPrincipalId: aclPrincipalId("groups", String(outs.displayName)), url };
  }
  const key = d.kind === "user" ? String(outs.userName) : String(outs.applicationId ?? d.key).toLowerCase();
  if (d.kind === "servicePrincipal") outs.applicationId = key;
  return { ...outs, home: homeFolder(key), aclPrincipalId: aclPrincipalId(COLLECTION[d.kind], key) };
}

async function membershipState(plan: Plan, m: MembershipDecl): Promise<ResourceState> {
  const scope: Json = { ...plan.target, resourceName: m.name };
  const groupDeps = "declared" in m.group ? [m.group.resource] : [];
  // A resource once, however many members it holds (the SDK records each property's dependencies as a set).
  const memberDeps = [...new Set(m.members.flatMap((r) => ("declared" in r ? [r.resource] : [])))];
  if (m.kind === "groupMembers") {
    // As the GroupMembers class registers it: the ids in program order, each member's label next to it inside
    // `scope`; check pairs them into the `members` map (label → id) the state keeps and create returns.
    const registered: Json = { groupId: m.group.id, memberIds: m.members.map((r) => r.id), scope: { ...scope, memberNames: memberNamesOf(plan, m.members) } };
    const inputs = await checked("groupMembers", m.name, registered);
    const outputs = { ...targetOf(inputs), groupId: m.group.id, members: { ...(inputs.members as Record<string, string>) } };
    const dependsOn = { groupId: groupDeps, memberIds: memberDeps, scope: [] };
    return verified({ kind: "groupMembers", name: m.name, type: typeToken("groupMembers"), id: m.group.id, inputs, outputs, dependsOn });
  }
  const member = m.members[0];
  if (!member) throw new ImportError("IMPORT_INCONSISTENT", `${m.name}: a membership without a member (a bug of the importer's plan: please report it)`);
  const registered: Json = { groupId: m.group.id, memberId: member.id, scope };
  const inputs = await checked("groupMembership", m.name, registered);
  const outputs = { ...targetOf(inputs), groupId: m.group.id, memberId: member.id };
  const dependsOn = { groupId: groupDeps, memberId: memberDeps, scope: [] };
  const id = `${m.group.id}|${member.id}`;
  return verified({ kind: "groupMembership", name: m.name, type: typeToken("groupMembership"), id, inputs, outputs, dependsOn });
}

/**
 * The label each member's resource class records for GroupMembers (resources/user.ts, servicePrincipal.ts,
 * group.ts: `recordMemberLabel`), from the same arguments the generated module passes it: a user's userName,
 * a service principal's applicationId (else its displayName, when Databricks generates the id), a group's
 * displayName. A member the module only looks up is a bare SCIM id there, which registers no label (`null`).
 */
function memberNamesOf(plan: Plan, members: Ref[]): (string | null)[] {
  const declared = new Map<string, IdentityDecl>();
  for (const d of [...plan.users, ...plan.servicePrincipals, ...plan.groups, ...plan.collections.flatMap((c) => c.entries)]) declared.set(d.name, d);
  return members.map((r) => {
    const d = "declared" in r ? declared.get(r.name) : undefined;
    if (!d) return null;
    const name = d.kind === "user" ? d.args.userName : d.kind === "servicePrincipal" ? (d.args.applicationId ?? d.args.displayName) : d.args.displayName;
    return typeof name === "string" ? memberLabel(d.kind, name) : null;
  });
}
