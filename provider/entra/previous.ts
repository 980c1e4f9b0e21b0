// Who the mirror declared at the stack's last update, so that a leaver under onLeave "deactivate" stays declared
// with `active: false`: the preview then shows an update of `active` (true => false) instead of `- delete`, and a
// return the reverse instead of `+ create`. A program cannot see its stack's state through the SDK's resource
// API; the engine's builtin invoke `pulumi:pulumi:readStackResourceOutputs` (what the SDK's listResourceOutputs
// called; served by every backend) returns the outputs of every resource of a stack's last snapshot, so the
// mirror asks it about its own stack. It is read during preview as during up, and costs no resource in the state.
import * as pulumi from "@pulumi/pulumi";

export interface PreviousPrincipal {
  /** The Entra object id (the resource's externalId). */
  entraId: string;
  displayName?: string;
  active: boolean;
  /** In no mirrored group's member list at the last update: declared only because they had left. */
  left: boolean;
}
export interface PreviousUser extends PreviousPrincipal {
  userName: string;
  /** Its resource name: `<mirror>-user-<userName>`, or `<mirror>-user-<object id>` in stacks made before; "" for an entry of the collection. */
  resourceName: string;
}
export interface PreviousServicePrincipal extends PreviousPrincipal {
  applicationId: string;
}
export interface PreviousDeclaration {
  /** By userName (lower case): a UPN changed in Entra leaves two users of one object id, the old one inactive. */
  users: Map<string, PreviousUser>;
  /** By Entra object id. */
  servicePrincipals: Map<string, PreviousServicePrincipal>;
  /** The mirror's per-person resources (ScimUser / ScimServicePrincipal) in that state: how many. */
  perIdentity: number;
  /** The mirror's collections (ScimUsers / ScimServicePrincipals) in that state: how many (0, 1 or 2). */
  collections: number;
}

const USER = "pulumi-nodejs:dynamic/scim:User";
const SP = "pulumi-nodejs:dynamic/scim:ServicePrincipal";
const MEMBERS = "pulumi-nodejs:dynamic/scim:GroupMembers";
const USERS = "pulumi-nodejs:dynamic/scim:Users";
const SPS = "pulumi-nodejs:dynamic/scim:ServicePrincipals";

interface SnapshotResource {
  type: string;
  outputs: Record<string, unknown>;
}

/**
 * The users and service principals mirror `name` declared at the last update (none on a first run). Undefined,
 * with a warning, when the engine cannot answer: leavers are then deleted from the stack as before.
 */
export async function readPreviousDeclaration(name: string, component: pulumi.Resource): Promise<PreviousDeclaration | undefined> {
  let resources: Record<string, SnapshotResource>;
  try {
    const answer = (await pulumi.runtime.invoke("pulumi:pulumi:readStackResourceOutputs", { stackName: stackName() })) as { outputs?: unknown };
    resources = (answer.outputs ?? {}) as Record<string, SnapshotResource>;
  } catch (e) {
    if (/no checkpoint|unknown stack|no deployment/i.test((e as Error).message))
      return { users: new Map(), servicePrincipals: new Map(), perIdentity: 0, collections: 0 };
    await pulumi.log.warn(
      `${name}: cannot read the stack's last state (${(e as Error).message}); a person who left every mirrored group since then is removed from the stack ` +
        `(and deactivated by onDelete) instead of being declared inactive.`,
      component,
    );
    return undefined;
  }
  return fromSnapshot(name, resources);
}

/** The stack's own name as the backend parses a stack reference (organization/project/stack). */
function stackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** The mirror's own resources: the URN's parent type is the mirror component, the name starts with the mirror's. */
export function fromSnapshot(name: string, resources: Record<string, SnapshotResource>): PreviousDeclaration {
  const mine = (urn: string, type: string, kind: string) => urn.includes(`databricks-scim:entra:EntraGroupMirror$${type}::${name}-${kind}-`);
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const members = new Set<string>();
  for (const [urn, r] of Object.entries(resources)) {
    if (r.type !== MEMBERS || !mine(urn, MEMBERS, "members")) continue;
    const m = r.outputs.members;
    // GroupMembers keeps its members by label (userName, applicationId, group name) with the SCIM id as value.
    if (m && typeof m === "object" && !Array.isArray(m)) for (const label of Object.keys(m)) members.add(label.toLowerCase());
  }
  const out: PreviousDeclaration = { users: new Map(), servicePrincipals: new Map(), perIdentity: 0, collections: 0 };
  // The collections (model "collection"): one ScimUsers `<mirror>-users`, one ScimServicePrincipals `<mirror>-service-principals`.
  const entriesOf = (v: unknown): [string, Record<string, unknown>][] =>
    v && typeof v === "object" && !Array.isArray(v) ? (Object.entries(v) as [string, Record<string, unknown>][]) : [];
  for (const [urn, r] of Object.entries(resources)) {
    if (r.type === USERS && urn.endsWith(`databricks-scim:entra:EntraGroupMirror$${USERS}::${name}-users`)) {
      out.collections++;
      for (const [userName, e] of entriesOf(r.outputs.users)) {
        const entraId = str(e.externalId);
        if (!entraId) continue;
        const displayName = str(e.displayName);
        out.users.set(userName.toLowerCase(), {
          entraId,
          active: e.active !== false,
          ...(displayName ? { displayName } : {}),
          userName,
          resourceName: "",
          left: !members.has(userName.toLowerCase()),
        });
      }
    }
    if (r.type === SPS && urn.endsWith(`databricks-scim:entra:EntraGroupMirror$${SPS}::${name}-service-principals`)) {
      out.collections++;
      for (const [applicationId, e] of entriesOf(r.outputs.servicePrincipals)) {
        const entraId = str(e.externalId);
        if (!entraId) continue;
        const displayName = str(e.displayName);
        out.servicePrincipals.set(entraId, {
          entraId,
          active: e.active !== false,
          ...(displayName ? { displayName } : {}),
          applicationId,
          left: !members.has(applicationId.toLowerCase()),
        });
      }
    }
  }
  for (const [urn, r] of Object.entries(resources)) {
    const o = r.outputs;
    const entraId = str(o.externalId);
    if (!entraId) continue;
    const common = { entraId, active: o.active !== false, ...(str(o.displayName) ? { displayName: str(o.displayName) } : {}) };
    const userName = str(o.userName);
    if (r.type === USER && mine(urn, USER, "user") && userName) {
      const resourceName = urn.slice(urn.lastIndexOf("::") + 2);
      out.perIdentity++;
      out.users.set(userName.toLowerCase(), { ...common, userName, resourceName, left: !members.has(userName.toLowerCase()) });
    }
    const applicationId = str(o.applicationId);
    if (r.type === SP && mine(urn, SP, "sp") && applicationId) {
      out.perIdentity++;
      out.servicePrincipals.set(entraId, { ...common, applicationId, left: !members.has(applicationId.toLowerCase()) });
    }
  }
  return out;
}
