// mirrorEntraGroups: reads Entra groups through Microsoft Graph when the program runs (so `pulumi preview` shows
// who joins and who leaves) and declares their Databricks counterpart with this package's public resources:
// ScimUser, ScimServicePrincipal, ScimGroup and one authoritative GroupMembers per mirrored group.
// docs/guides/entra.md describes the behaviour; this file wires the steps together.
import * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import type { DatabricksConnection, DatabricksConnectionArgs } from "../resources/connection";
import { GroupMembers } from "../resources/groupMembers";
import { ScimGroup } from "../resources/group";
import { ScimServicePrincipal } from "../resources/servicePrincipal";
import { ScimUser } from "../resources/user";
import { ScimUsers, type ScimUsersEntry } from "../resources/users";
import { ScimServicePrincipals, type ScimServicePrincipalsEntry } from "../resources/servicePrincipals";
import { graphUrl, resolveGraphCredential, type GraphSettings } from "./credentials";
import { EntraDirectory, type EntraGroupRef } from "./directory";
import { checkExistingGroups, type GroupFinder } from "./existing";
import { GraphClient, type GraphStats } from "./graphClient";
import { reportingFailures } from "./failure";
import { MirrorArgumentError, planMirror, type MirrorMode, type MirrorPlan } from "./plan";
import { readRoots } from "./read";
import { readPreviousDeclaration, type PreviousDeclaration, type PreviousUser } from "./previous";
import type { UserNameSource } from "./userName";

export interface EntraGroupSpec {
  /** The Entra group: its object id, or its display name (which must name exactly one group). */
  entraGroup: EntraGroupRef;
  /** "flatten" (default): one Databricks group of all transitive users and service principals. "nested": the tree. */
  mode?: MirrorMode;
  /** The Databricks group's name; default the Entra group's display name. */
  name?: string;
  /** Workspace level only (Databricks keeps entitlements per workspace). Enforced exactly when set. */
  entitlements?: Entitlement[];
  roles?: string[];
  /** Take over an existing Databricks group of this name that has no externalId. */
  adoptUnmanaged?: boolean;
}

/** What happens in Databricks to a user or service principal who is no longer in any mirrored group. */
export type LeaverPolicy = "deactivate" | "delete" | "keep";

/**
 * How the mirror declares people: "collection", one ScimUsers (keyed by userName) and one ScimServicePrincipals
 * (keyed by applicationId) for everyone; "perIdentity", one ScimUser / ScimServicePrincipal per person.
 */
export type MirrorModel = "collection" | "perIdentity";

export interface MirrorEntraGroupsArgs {
  groups: EntraGroupSpec[];
  /** Where the mirror writes: as on every resource of this package. */
  host?: pulumi.Input<string>;
  level?: "workspace" | "account";
  accountId?: pulumi.Input<string>;
  connection?: pulumi.Input<DatabricksConnection | DatabricksConnectionArgs>;
  /** Databricks userName from "userPrincipalName" (default) or "mail"; guests (`#EXT#` UPNs) always by mail. */
  userName?: UserNameSource;
  /** Default "deactivate" (the user stays, inactive, with their id and permissions; back in a group, active again). */
  onLeave?: LeaverPolicy;
  /**
   * "collection" (one ScimUsers and one ScimServicePrincipals: one step and one checkpoint for everyone) or
   * "perIdentity" (one resource per person). Default: "collection" for a new mirror; a stack whose mirror already
   * declares one resource per person keeps "perIdentity" until this says "collection", which then moves the people
   * into the collections without deleting or deactivating anyone (docs/guides/entra.md). onLeave "keep" needs
   * "perIdentity".
   */
  model?: MirrorModel;
  /** Prefix of the Databricks names of nested (non-root) groups in nested mode; default none. */
  nestedGroupPrefix?: string;
  graph?: GraphSettings;
  /**
   * Look up the Databricks groups by name when the program runs, and refuse ones another source manages
   * (default: when the target is plain values, i.e. no connection naming its own credentials and no Output host).
   */
  checkExisting?: boolean;
}

export interface EntraGroupMirrorResult {
  /** By Databricks group name. */
  groups: Record<string, ScimGroup>;
  /** By userName; leavers kept inactive (onLeave "deactivate") included. Model "perIdentity" only ({} otherwise). */
  users: Record<string, ScimUser>;
  /** By applicationId. Model "perIdentity" only ({} otherwise). */
  servicePrincipals: Record<string, ScimServicePrincipal>;
  /** The model used in this run. */
  model: MirrorModel;
  /** Model "collection": every user (`idOf(userName)`, `ids`) and every service principal (`idOf(applicationId)`). */
  people?: { users: ScimUsers; servicePrincipals: ScimServicePrincipals };
  /** By Databricks group name. */
  members: Record<string, GroupMembers>;
  plan: MirrorPlan;
  /** Graph requests, and how long reading Graph took (wall time, retries and waits included). */
  graph: GraphStats & { readMs: number };
}

/** The component every mirrored resource is parented to, so `pulumi preview` shows them together. */
export class EntraGroupMirror extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("databricks-scim:entra:EntraGroupMirror", name, {}, opts);
  }

  /** Every child is declared. */
  complete(): void {
    this.registerOutputs({});
  }
}

/**
 * Reads the groups from Graph, plans who is in which group, and declares the resources. Put every Entra group
 * of one Databricks target in one call: a person in several of them is then one user.
 */
export type MirrorEntraGroups = (name: string, args: MirrorEntraGroupsArgs, opts?: pulumi.ComponentResourceOptions) => Promise<EntraGroupMirrorResult>;

/**
 * The mirror, given the Databricks group lookup (the package's listGroups; handed in by provider/entraMirror.ts
 * so that this folder does not import the package's entry points, which re-export it).
 */
export function createMirror(findGroups: GroupFinder): MirrorEntraGroups {
  return (name, args, opts) => mirror(findGroups, name, args, opts);
}

async function mirror(
  findGroups: GroupFinder,
  name: string,
  args: MirrorEntraGroupsArgs,
  opts?: pulumi.ComponentResourceOptions,
): Promise<EntraGroupMirrorResult> {
  return reportingFailures(async () => {
    checkArgs(args);
    const component = new EntraGroupMirror(name, opts);
    const previous = readPreviousDeclaration(name, component);
    const { credential, source } = await resolveGraphCredential(args.graph ?? {});
    const graph = new GraphClient({ baseUrl: graphUrl(args.graph ?? {}), credential, credentialSource: source, scope: args.graph?.scope });
    const dir = new EntraDirectory(graph);
    const started = Date.now();
    const reads = await readRoots(
      dir,
      args.groups.map((g) => ({ ...g, mode: g.mode ?? "flatten" })),
    );
    const readMs = Date.now() - started;
    const plan = planMirror(reads, { userName: args.userName ?? "userPrincipalName", nestedGroupPrefix: args.nestedGroupPrefix ?? "" });
    for (const w of plan.warnings) void pulumi.log.warn(`${name}: ${w}`, component);

    const plainTarget = lookupTarget(args);
    if (args.checkExisting ?? plainTarget !== undefined) {
      if (!plainTarget)
        throw new MirrorArgumentError(
          `${name}: checkExisting: the target is not known when the program runs (an Output host, or a connection with its own credentials); set checkExisting: false.`,
        );
      await checkExistingGroups([...plan.groups.values()], plainTarget, findGroups);
    }
    const before = await previous;
    const model = chooseModel(args, before);
    if (model === "perIdentity" && args.model === undefined && args.onLeave !== "keep")
      void pulumi.log.info(
        `${name}: this stack's mirror declares one resource per person (${before?.perIdentity ?? 0}), so it keeps doing so; ` +
          `set model: "collection" to move everyone into one ScimUsers and one ScimServicePrincipals (faster runs, a smaller state; nobody is deleted or deactivated).`,
        component,
      );
    const stats = { ...graph.stats, readMs };
    return model === "collection" ? declareCollections(component, name, args, plan, before, stats) : declare(component, name, args, plan, before, stats);
  });
}

/** The model asked for, else "collection" unless the stack's mirror already declares people one by one (or onLeave is "keep"). */
function chooseModel(args: MirrorEntraGroupsArgs, previous: PreviousDeclaration | undefined): MirrorModel {
  // Back from collections to one resource per person would delete the collections in the same run, and their
  // delete applies onDelete to everyone in them (deactivate or delete) after the per-person resources adopted
  // them: refused, before any call, rather than done as a two-run switch nobody has asked for yet.
  if (args.model === "perIdentity" && previous !== undefined && previous.collections > 0)
    throw new MirrorArgumentError(
      `model: "perIdentity": this stack's mirror declares its people in collections (ScimUsers / ScimServicePrincipals), ` +
        `and leaving them would ${args.onLeave === "delete" ? "delete" : "deactivate"} everyone in them. Keep model: "collection" (or leave model unset).`,
    );
  if (args.model) return args.model;
  if (args.onLeave === "keep") return "perIdentity";
  // The last state could not be read: the model cannot be told, and per-person resources are what was safe before.
  if (previous === undefined) return "perIdentity";
  return previous.perIdentity > 0 && previous.collections === 0 ? "perIdentity" : "collection";
}

function checkArgs(args: MirrorEntraGroupsArgs): void {
  if (!Array.isArray(args.groups) || args.groups.length === 0)
    throw new MirrorArgumentError('groups: list at least one Entra group to mirror, e.g. [{ entraGroup: "Data Engineering" }].');
  args.groups.forEach((g, i) => {
    if (g.mode !== undefined && g.mode !== "flatten" && g.mode !== "nested")
      throw new MirrorArgumentError(`groups[${i}].mode: '${String(g.mode)}' is not a mode; use "flatten" or "nested".`);
    if (args.level === "account" && g.entitlements !== undefined) {
      throw new MirrorArgumentError(
        `groups[${i}].entitlements: Databricks keeps entitlements per workspace, so an account-level group has none. ` +
          `Leave them out here and set them on the group in each workspace it is assigned to.`,
      );
    }
  });
  const policies: LeaverPolicy[] = ["deactivate", "delete", "keep"];
  if (args.onLeave !== undefined && !policies.includes(args.onLeave))
    throw new MirrorArgumentError(`onLeave: '${String(args.onLeave)}' is not a policy; use ${policies.map((p) => `"${p}"`).join(", ")}.`);
  if (args.model !== undefined && args.model !== "collection" && args.model !== "perIdentity")
    throw new MirrorArgumentError(`model: '${String(args.model)}' is not a model; use "collection" or "perIdentity".`);
  if (args.model === "collection" && args.onLeave === "keep")
    throw new MirrorArgumentError(
      `model: "collection" cannot honour onLeave "keep" (a person removed from a collection is deleted or deactivated by its onDelete). ` +
        `Use model: "perIdentity" with onLeave "keep", or onLeave "deactivate".`,
    );
  if (args.userName !== undefined && args.userName !== "userPrincipalName" && args.userName !== "mail") {
    throw new MirrorArgumentError(`userName: '${String(args.userName)}' is not a source; use "userPrincipalName" or "mail".`);
  }
}

/** The target as lookups take it, when it is plain values that the program's process can resolve itself. */
function lookupTarget(args: MirrorEntraGroupsArgs): { host?: string; level?: "workspace" | "account"; accountId?: string } | undefined {
  const plain = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";
  let { host, accountId } = args as { host?: unknown; accountId?: unknown };
  let level: unknown = args.level;
  const c = args.connection as Record<string, unknown> | undefined;
  if (c !== undefined) {
    if (typeof c !== "object" || pulumi.Output.isInstance(c)) return undefined;
    if (c.profile !== undefined || c.configFile !== undefined || c.tokenEnvVar !== undefined || c.clientIdEnvVar !== undefined || c.authType !== undefined)
      return undefined;
    host ??= c.host;
    accountId ??= c.accountId;
    level ??= c.level;
  }
  if (!plain(host) || !plain(accountId) || !plain(level)) return undefined;
  return { host, accountId, level: level as "workspace" | "account" | undefined };
}

function declare(
  component: EntraGroupMirror,
  name: string,
  args: MirrorEntraGroupsArgs,
  plan: MirrorPlan,
  previous: PreviousDeclaration | undefined,
  graph: EntraGroupMirrorResult["graph"],
): EntraGroupMirrorResult {
  const target = scimTarget(args);
  const onLeave = args.onLeave ?? "deactivate";
  // "keep": Pulumi forgets the resource instead of deleting it. The others: the provider's delete deletes, or
  // (onDelete "deactivate") sets active false and leaves the user and their permissions in place.
  const leaver: pulumi.CustomResourceOptions = { parent: component, ...(onLeave === "keep" ? { retainOnDelete: true } : {}) };
  const onDelete = onLeave === "delete" ? "delete" : "deactivate";
  const say = (message: string, resource: pulumi.Resource) => void pulumi.log.info(message, resource);
  // Users are named by userName, so that the preview says who joins, leaves or changes. A resource that had
  // another name at the last update (stacks made when users were named by Entra object id, entra-user-<id>) keeps
  // its state through an alias, without a change.
  interface Declared<T> {
    key: string;
    resource: T;
  }
  const usersBefore = previous?.users ?? new Map<string, PreviousUser>();
  const users = new Map<string, Declared<ScimUser>>(); // by userName
  const byEntraId = new Map<string, ScimUser>(); // the planned ones, for member lists
  const declareUser = (entry: { entraId: string; userName: string; displayName?: string; active: boolean }): ScimUser => {
    const resourceName = `${name}-user-${entry.userName}`;
    const was = usersBefore.get(entry.userName.toLowerCase())?.resourceName;
    const aliases = previous === undefined ? [`${name}-user-${entry.entraId}`] : was !== undefined && was !== resourceName ? [was] : [];
    const resource = new ScimUser(
      resourceName,
      { ...target, userName: entry.userName, displayName: entry.displayName, active: entry.active, externalId: entry.entraId, onDelete, adopt: true },
      { ...leaver, aliases: aliases.map((n) => ({ name: n })) },
    );
    users.set(entry.userName, { key: entry.userName, resource });
    return resource;
  };
  for (const u of plan.users.values()) {
    const resource = declareUser(u);
    byEntraId.set(u.entraId, resource);
    const was = usersBefore.get(u.userName.toLowerCase());
    if (!u.active && (was === undefined || was.active)) {
      say(`${u.userName}: disabled in Entra (accountEnabled false), so inactive in Databricks${was ? ": active true => false" : ""}`, resource);
    } else if (u.active && was !== undefined && !was.active) {
      say(`${u.userName}: ${was.left ? "back in a mirrored group" : "enabled in Entra again"}: active false => true`, resource);
    }
  }
  const sps = new Map<string, Declared<ScimServicePrincipal>>();
  const declareSp = (entry: { entraId: string; applicationId: string; displayName?: string; active: boolean }): ScimServicePrincipal => {
    const resource = new ScimServicePrincipal(
      `${name}-sp-${entry.entraId}`,
      { ...target, applicationId: entry.applicationId, displayName: entry.displayName, active: entry.active, externalId: entry.entraId, onDelete, adopt: true },
      leaver,
    );
    sps.set(entry.entraId, { key: entry.applicationId, resource });
    return resource;
  };
  const spsBefore = previous?.servicePrincipals ?? new Map();
  for (const s of plan.servicePrincipals.values()) {
    const resource = declareSp(s);
    const was = spsBefore.get(s.entraId);
    if (s.active && was !== undefined && !was.active && was.left)
      say(`${s.displayName ?? s.applicationId}: back in a mirrored group: active false => true`, resource);
  }
  if (onLeave === "deactivate") {
    // Leavers stay declared, inactive: an update of `active`, where an undeclared resource would preview as a delete.
    // A UPN changed in Entra is a new Databricks user (Databricks keys users by userName): the old one is a leaver.
    const userNames = new Set([...plan.users.values()].map((u) => u.userName.toLowerCase()));
    for (const was of usersBefore.values()) {
      if (userNames.has(was.userName.toLowerCase())) continue;
      const resource = declareUser({ ...was, active: false });
      const renamed = plan.users.get(was.entraId)?.userName;
      const why = renamed ? `renamed in Entra to ${renamed}, a new Databricks user` : "in no mirrored group any more";
      if (was.active) say(`${was.userName}: ${why} (onLeave "deactivate"): active true => false`, resource);
    }
    const appIds = new Set([...plan.servicePrincipals.values()].map((s) => s.applicationId));
    for (const was of spsBefore.values()) {
      if (sps.has(was.entraId) || appIds.has(was.applicationId)) continue;
      const resource = declareSp({ ...was, active: false });
      if (was.active) say(`${was.displayName ?? was.applicationId}: in no mirrored group any more (onLeave "deactivate"): active true => false`, resource);
    }
  }
  const groups = declareGroups(component, name, target, plan);
  const members: Record<string, GroupMembers> = {};
  for (const g of plan.groups.values()) {
    const list = g.members.map(
      (m) =>
        (m.kind === "user" ? byEntraId.get(m.key) : m.kind === "servicePrincipal" ? sps.get(m.key)?.resource : groups.get(m.key)) as
          ScimUser | ScimServicePrincipal | ScimGroup,
    );
    members[g.displayName] = new GroupMembers(`${name}-members-${g.key}`, { group: groups.get(g.key) as ScimGroup, members: list }, { parent: component });
  }
  component.complete();
  return {
    groups: Object.fromEntries([...groups].map(([k, r]) => [(plan.groups.get(k) as { displayName: string }).displayName, r])),
    users: Object.fromEntries([...users.values()].map((u) => [u.key, u.resource])),
    servicePrincipals: Object.fromEntries([...sps.values()].map((s) => [s.key, s.resource])),
    members,
    plan,
    graph,
    model: "perIdentity",
  };
}

/** Where every resource of the mirror goes: the Databricks target fields of the mirror's own args. */
type ScimTarget = Pick<MirrorEntraGroupsArgs, "host" | "level" | "accountId" | "connection">;
const scimTarget = (args: MirrorEntraGroupsArgs): ScimTarget => ({
  host: args.host,
  level: args.level,
  accountId: args.accountId,
  connection: args.connection,
});

/** The mirrored groups, one ScimGroup each (adopted by name), the same in both models. */
function declareGroups(component: EntraGroupMirror, name: string, target: ScimTarget, plan: MirrorPlan): Map<string, ScimGroup> {
  const groups = new Map<string, ScimGroup>();
  for (const g of plan.groups.values()) {
    const args = {
      ...target,
      displayName: g.displayName,
      externalId: g.entraId,
      entitlements: g.entitlements as Entitlement[] | undefined,
      roles: g.roles,
      adopt: true,
    };
    groups.set(g.key, new ScimGroup(`${name}-${g.key}`, args, { parent: component }));
  }
  return groups;
}

/** Names listed in the one diagnostic that says who joins (the rest are counted; `pulumi preview --diff` lists every one). */
const JOINERS_LISTED = 20;

/**
 * Model "collection": every person in one ScimUsers (by userName) and one ScimServicePrincipals (by applicationId),
 * so a run is one step and one checkpoint for all of them, and the preview still names each person: the engine
 * diffs the map by key (`~ bob@contoso.com: { ~ active: true => false }` under `--diff`), and the diagnostics on
 * the collection say who joins, who is disabled, who leaves and who returns. Leavers under onLeave "deactivate"
 * stay in the map with `active: false` (an update of `active`, not a removal), as in model "perIdentity".
 *
 * From a stack whose mirror declared one resource per person, the switch takes two runs and deletes no one: the
 * first declares the collections, which adopt every person (`adopt: true`; same SCIM ids), and declares the
 * per-person resources once more, unchanged but with `retainOnDelete: true` (the engine writes the option into the
 * state without calling the provider), with the collections depending on them so that they exist only once every
 * per-person resource carries the option; the next run no longer declares them, and the engine drops them from the
 * state without calling the provider's delete (the preview shows `delete[retain]`).
 */
function declareCollections(
  component: EntraGroupMirror,
  name: string,
  args: MirrorEntraGroupsArgs,
  plan: MirrorPlan,
  previous: PreviousDeclaration | undefined,
  graph: EntraGroupMirrorResult["graph"],
): EntraGroupMirrorResult {
  const target = scimTarget(args);
  const onLeave = args.onLeave ?? "deactivate";
  const onDelete = onLeave === "delete" ? "delete" : "deactivate";
  const usersBefore = previous?.users ?? new Map<string, PreviousUser>();
  const spsBefore = previous?.servicePrincipals ?? new Map();
  const notes: string[] = [];
  const spNotes: string[] = [];

  const userEntries: Record<string, ScimUsersEntry> = {};
  const joiners: string[] = [];
  for (const u of plan.users.values()) {
    userEntries[u.userName] = { displayName: u.displayName, active: u.active, externalId: u.entraId };
    const was = usersBefore.get(u.userName.toLowerCase());
    if (was === undefined) joiners.push(u.userName);
    if (!u.active && (was === undefined || was.active)) {
      notes.push(`${u.userName}: disabled in Entra (accountEnabled false), so inactive in Databricks${was ? ": active true => false" : ""}`);
    } else if (u.active && was !== undefined && !was.active) {
      notes.push(`${u.userName}: ${was.left ? "back in a mirrored group" : "enabled in Entra again"}: active false => true`);
    }
  }
  const spEntries: Record<string, ScimServicePrincipalsEntry> = {};
  for (const s of plan.servicePrincipals.values()) {
    spEntries[s.applicationId] = { displayName: s.displayName, active: s.active, externalId: s.entraId };
    const was = spsBefore.get(s.entraId);
    if (s.active && was !== undefined && !was.active && was.left)
      spNotes.push(`${s.displayName ?? s.applicationId}: back in a mirrored group: active false => true`);
  }
  if (onLeave === "deactivate") {
    const userNames = new Set([...plan.users.values()].map((u) => u.userName.toLowerCase()));
    for (const was of usersBefore.values()) {
      if (userNames.has(was.userName.toLowerCase())) continue;
      userEntries[was.userName] = { displayName: was.displayName, active: false, externalId: was.entraId };
      const renamed = plan.users.get(was.entraId)?.userName;
      const why = renamed ? `renamed in Entra to ${renamed}, a new Databricks user` : "in no mirrored group any more";
      if (was.active) notes.push(`${was.userName}: ${why} (onLeave "deactivate"): active true => false`);
    }
    const appIds = new Set([...plan.servicePrincipals.values()].map((s) => s.applicationId));
    for (const was of spsBefore.values()) {
      if (appIds.has(was.applicationId)) continue;
      spEntries[was.applicationId] = { displayName: was.displayName, active: false, externalId: was.entraId };
      if (was.active) spNotes.push(`${was.displayName ?? was.applicationId}: in no mirrored group any more (onLeave "deactivate"): active true => false`);
    }
  }

  // The switch from one resource per person (first run): those resources declared again, unchanged, retained.
  const retained: pulumi.Resource[] = [];
  if (previous !== undefined && previous.perIdentity > 0 && previous.collections === 0) {
    const keep: pulumi.CustomResourceOptions = { parent: component, retainOnDelete: true };
    for (const was of usersBefore.values()) {
      if (was.resourceName === "") continue;
      retained.push(
        new ScimUser(
          was.resourceName,
          { ...target, userName: was.userName, displayName: was.displayName, active: was.active, externalId: was.entraId, onDelete, adopt: true },
          keep,
        ),
      );
    }
    for (const was of spsBefore.values()) {
      retained.push(
        new ScimServicePrincipal(
          `${name}-sp-${was.entraId}`,
          { ...target, applicationId: was.applicationId, displayName: was.displayName, active: was.active, externalId: was.entraId, onDelete, adopt: true },
          keep,
        ),
      );
    }
    void pulumi.log.info(
      `${name}: moving ${retained.length} people from one resource each into ${name}-users and ${name}-service-principals: ` +
        `this run adopts them into the collections and marks the old resources retainOnDelete; the next run drops the old resources ` +
        `from the state without deleting or deactivating anyone.`,
      component,
    );
  }
  const collectionOpts: pulumi.CustomResourceOptions = { parent: component, ...(retained.length > 0 ? { dependsOn: retained } : {}) };
  const users = new ScimUsers(`${name}-users`, { ...target, users: userEntries, onDelete, adopt: true }, collectionOpts);
  const servicePrincipals = new ScimServicePrincipals(
    `${name}-service-principals`,
    { ...target, servicePrincipals: spEntries, onDelete, adopt: true },
    collectionOpts,
  );
  if (joiners.length > 0) {
    const listed = joiners.slice(0, JOINERS_LISTED).join(", ");
    const more = joiners.length > JOINERS_LISTED ? ` and ${joiners.length - JOINERS_LISTED} more (\`pulumi preview --diff\` lists each)` : "";
    notes.unshift(`${joiners.length === 1 ? "joins" : `${joiners.length} join`}: ${listed}${more}`);
  }
  for (const n of notes) void pulumi.log.info(n, users);
  for (const n of spNotes) void pulumi.log.info(n, servicePrincipals);

  const groups = declareGroups(component, name, target, plan);
  const members: Record<string, GroupMembers> = {};
  for (const g of plan.groups.values()) {
    const list = g.members.map((m) =>
      m.kind === "user"
        ? users.idOf((plan.users.get(m.key) as { userName: string }).userName)
        : m.kind === "servicePrincipal"
          ? servicePrincipals.idOf((plan.servicePrincipals.get(m.key) as { applicationId: string }).applicationId)
          : (groups.get(m.key) as ScimGroup),
    );
    members[g.displayName] = new GroupMembers(`${name}-members-${g.key}`, { group: groups.get(g.key) as ScimGroup, members: list }, { parent: component });
  }
  component.complete();
  return {
    groups: Object.fromEntries([...groups].map(([k, r]) => [(plan.groups.get(k) as { displayName: string }).displayName, r])),
    users: {},
    servicePrincipals: {},
    members,
    plan,
    graph,
    model: "collection",
    people: { users, servicePrincipals },
  };
}
