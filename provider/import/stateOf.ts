/**
 * The ONE place where the importer depends on the provider's internals (provider/runtime and the lifecycles):
 * how a resource's inputs and outputs look in the state after `pulumi up` would have created it, and the
 * connection the resources themselves would use. Everything else in provider/import works on plain values.
 *
 * Inputs come from the provider's own `check`, fed exactly what the resource class registers, so they are what
 * the engine stores. Outputs are what `create` returns for an object that already holds those values: until
 * the lifecycles expose their output derivation, this module spells it out per kind (test/unit/import checks
 * it against the real `create` of each kind), and every entry is then put through the provider's own `diff`,
 * which must answer "no changes": that is exactly what `pulumi preview` will ask.
 */
import type { ResolvedConnection } from "../auth";
import { ScimClient } from "../client";
import { resolveFor, newClient } from "../runtime/connection";
import { configure, lifecycle } from "../runtime";
import { providerSource } from "../resources/dynamicResource";
import type { ResourceKind } from "../shims/shim";
import { compareIds } from "./read";
import type { IdentityDecl, MembershipDecl, Plan } from "./plan";

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
 * Where and as whom to read: the resources' own resolution (stack config, environment, profile, Entra), with
 * their client (pacing, retries). `probe` is a second client to the same place that gives up after two quick
 * retries: an unreachable host or a refused credential is reported in seconds, not after five minutes of backoff.
 */
export function connectionFor(target: Target): { conn: ResolvedConnection; client: ScimClient; probe: ScimClient } {
  const connection = target.profile ? { connection: { profile: target.profile } } : {};
  const conn = resolveFor({ host: target.host, level: target.level, accountId: target.accountId, ...connection } as never);
  const probe = new ScimClient({
    host: conn.host,
    level: conn.level,
    accountId: conn.accountId,
    auth: conn.auth,
    retry: { maxRetries: 2, maxElapsedMs: 10_000 },
  });
  return { conn, client: newClient(conn), probe };
}

const TYPES: Record<ResourceKind, string> = {
  user: "User",
  group: "Group",
  servicePrincipal: "ServicePrincipal",
  groupMembership: "GroupMembership",
  groupMembers: "GroupMembers",
};

export function typeToken(kind: ResourceKind): string {
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
}

type Json = Record<string, unknown>;

/** State for every resource of the plan; throws naming the resource if check fails or diff would not be a no-op. */
export async function statesOf(plan: Plan): Promise<ResourceState[]> {
  const out: ResourceState[] = [];
  for (const d of [...plan.users, ...plan.servicePrincipals, ...plan.groups]) out.push(await identityState(plan, d));
  for (const m of plan.memberships) out.push(await membershipState(plan, m));
  return out;
}

async function checked(kind: ResourceKind, name: string, registered: Json): Promise<Json> {
  const r = await lifecycle(kind).check({}, registered as never);
  if (r.failures?.length) {
    throw new Error(`${name}: the provider refuses what was read: ${r.failures.map((f) => f.reason).join("; ")}`);
  }
  return r.inputs as unknown as Json;
}

async function verified(s: Omit<ResourceState, "inputs" | "outputs"> & { inputs: Json; outputs: Json }): Promise<ResourceState> {
  const d = await lifecycle(s.kind).diff(s.id, s.outputs as never, s.inputs as never);
  if (d.changes !== false || (d.replaces?.length ?? 0) > 0) {
    throw new Error(`${s.name}: the provider's diff of the imported state is not empty (${JSON.stringify(d)}); nothing was written.`);
  }
  const provider = providerSource(`pulumi-databricks-scim/dist/provider/shims/${s.kind}.js`);
  return { ...s, inputs: { ...s.inputs, __provider: provider }, outputs: { ...s.outputs, __provider: provider } };
}

async function identityState(plan: Plan, d: IdentityDecl): Promise<ResourceState> {
  const registered: Json = { ...plan.target, ...d.args };
  const inputs = await checked(d.kind, d.name, registered);
  const outputs = identityOutputs(d, inputs);
  return verified({ kind: d.kind, name: d.name, type: typeToken(d.kind), id: d.id, inputs, outputs, dependsOn: {} });
}

const OPTIONAL: Record<"user" | "servicePrincipal" | "group", readonly string[]> = {
  user: ["displayName", "givenName", "familyName", "externalId", "entitlements", "roles"],
  servicePrincipal: ["displayName", "externalId", "entitlements", "roles"],
  group: ["externalId", "entitlements", "roles"],
};

/** What each kind's create returns for an object holding exactly `inputs` (the args were read from it). */
function identityOutputs(d: IdentityDecl, inputs: Json): Json {
  const a = d.args;
  const target: Json = { host: inputs.host, level: inputs.level, ...(inputs.accountId ? { accountId: inputs.accountId } : {}) };
  if (inputs.connection) target.connection = inputs.connection;
  const managed = OPTIONAL[d.kind].filter((f) => inputs[f] !== undefined);
  const roles = [...((a.roles as string[] | undefined) ?? [])].sort();
  const workspace = inputs.level === "workspace";
  if (d.kind === "group") {
    const outs: Json = {
      ...target,
      displayName: a.displayName,
      adopt: inputs.adopt,
      roles,
      managed,
      aclPrincipalId: `groups/${String(a.displayName)}`,
      url: `${String(inputs.host)}${workspace ? "/api/2.0/preview/scim/v2" : `/api/2.0/accounts/${encodeURIComponent(String(inputs.accountId ?? ""))}/scim/v2`}/Groups/${d.id}`,
    };
    if (a.externalId !== undefined) outs.externalId = a.externalId;
    if (workspace && managed.includes("entitlements")) outs.entitlements = a.entitlements;
    return outs;
  }
  const outs: Json = { ...target, active: a.active ?? true, onDelete: inputs.onDelete, adopt: inputs.adopt, roles, managed };
  if (a.displayName !== undefined) outs.displayName = a.displayName;
  if (a.externalId !== undefined) outs.externalId = a.externalId;
  if (workspace) outs.entitlements = [...((a.entitlements as string[] | undefined) ?? [])].sort();
  if (d.kind === "user") {
    const userName = String(a.userName).toLowerCase();
    outs.userName = userName;
    if (a.givenName !== undefined) outs.givenName = a.givenName;
    if (a.familyName !== undefined) outs.familyName = a.familyName;
    return { ...outs, home: `/Users/${userName}`, aclPrincipalId: `users/${userName}` };
  }
  const applicationId = String(a.applicationId ?? d.key).toLowerCase();
  return { ...outs, applicationId, home: `/Users/${applicationId}`, aclPrincipalId: `servicePrincipals/${applicationId}` };
}

async function membershipState(plan: Plan, m: MembershipDecl): Promise<ResourceState> {
  const scope: Json = { ...plan.target, resourceName: m.name };
  const groupDeps = "declared" in m.group ? [m.group.name] : [];
  const memberDeps = m.members.flatMap((r) => ("declared" in r ? [r.name] : []));
  if (m.kind === "groupMembers") {
    const registered: Json = { groupId: m.group.id, memberIds: m.members.map((r) => r.id), scope };
    const inputs = await checked("groupMembers", m.name, registered);
    const outputs = { ...targetOf(inputs), groupId: m.group.id, memberIds: m.members.map((r) => r.id).sort(compareIds) };
    const dependsOn = { groupId: groupDeps, memberIds: memberDeps, scope: [] };
    return verified({ kind: "groupMembers", name: m.name, type: typeToken("groupMembers"), id: m.group.id, inputs, outputs, dependsOn });
  }
  const member = m.members[0];
  if (!member) throw new Error(`${m.name}: a membership without a member`);
  const registered: Json = { groupId: m.group.id, memberId: member.id, scope };
  const inputs = await checked("groupMembership", m.name, registered);
  const outputs = { ...targetOf(inputs), groupId: m.group.id, memberId: member.id };
  const dependsOn = { groupId: groupDeps, memberId: memberDeps, scope: [] };
  const id = `${m.group.id}|${member.id}`;
  return verified({ kind: "groupMembership", name: m.name, type: typeToken("groupMembership"), id, inputs, outputs, dependsOn });
}

function targetOf(t: Json): Json {
  return { host: t.host, level: t.level, ...(t.accountId ? { accountId: t.accountId } : {}), ...(t.connection ? { connection: t.connection } : {}) };
}
