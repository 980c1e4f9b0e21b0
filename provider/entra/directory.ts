// The Graph reads the mirror makes: a group by object id or display name, its transitive members (flatten) or
// its direct members (nested). Members are split by `@odata.type` here, client-side, instead of OData casts:
// casts are advanced queries served from an index that can lag recent changes.
import type { GraphClient } from "./graphClient";
import { GraphError, permissionHint } from "./graphErrors";
import type { EntraGroup, EntraMember } from "./types";

/** Properties of users and service principals in one `$select` (Graph leaves out those a type lacks). */
const MEMBER_SELECT = "id,displayName,userPrincipalName,mail,accountEnabled,userType,appId";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Entra group as the program names it: its object id (a GUID) or its display name. */
export type EntraGroupRef = string | { id: string } | { displayName: string };

export function isObjectId(s: string): boolean {
  return GUID.test(s);
}

/** OData string literal: single quotes, an embedded quote doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export class EntraDirectory {
  readonly #graph: GraphClient;
  /**
   * Direct members come from /beta: v1.0's /members leaves service principals out (a known Graph issue whose
   * documented workaround is /beta). transitiveMembers lists them on v1.0.
   */
  readonly #membersVersion: "beta" | "v1.0";

  constructor(graph: GraphClient, opts: { directMembersVersion?: "beta" | "v1.0" } = {}) {
    this.#graph = graph;
    this.#membersVersion = opts.directMembersVersion ?? "beta";
  }

  async group(ref: EntraGroupRef): Promise<EntraGroup> {
    const id = typeof ref === "string" ? (isObjectId(ref) ? ref : undefined) : "id" in ref ? ref.id : undefined;
    if (id !== undefined) {
      try {
        const g = await this.#graph.get<{ id: string; displayName?: string }>(
          `/v1.0/groups/${encodeURIComponent(id)}?$select=id,displayName`,
          "groups",
          `group ${id}`,
        );
        return { kind: "group", id: g.id, displayName: g.displayName };
      } catch (e) {
        if (e instanceof GraphError && e.status === 404) {
          throw new GraphError(
            `group: no Entra group has object id ${id} (Microsoft Graph: 404 ${e.code}). Check the id, or name the group by displayName.`,
            404,
            e.code,
          );
        }
        throw e;
      }
    }
    const name = typeof ref === "string" ? ref : (ref as { displayName: string }).displayName;
    const filter = encodeURIComponent(`displayName eq ${odataString(name)}`);
    const found = await this.#graph.getAll<{ id: string; displayName?: string }>(
      `/v1.0/groups?$filter=${filter}&$select=id,displayName&$top=999`,
      "groups",
      `groups named '${name}'`,
    );
    if (found.length === 0)
      throw new GraphError(
        `group: no Entra group is named '${name}'. Check the name (matched whole, case-insensitive), or give its object id.`,
        404,
        "notFound",
      );
    if (found.length > 1) {
      throw new GraphError(
        `group: ${found.length} Entra groups are named '${name}' (object ids ${found.map((g) => g.id).join(", ")}): names are not unique in Entra. Give the object id instead.`,
        409,
        "ambiguous",
      );
    }
    const g = found[0] as { id: string; displayName?: string };
    return { kind: "group", id: g.id, displayName: g.displayName };
  }

  /** Every user, service principal and nested group below the group, each once. */
  async transitiveMembers(group: EntraGroup): Promise<EntraMember[]> {
    const raw = await this.#graph.getAll<RawMember>(
      `/v1.0/groups/${group.id}/transitiveMembers?$select=${MEMBER_SELECT}&$top=999`,
      "groups",
      `the transitive members of group '${group.displayName ?? group.id}'`,
    );
    return raw.map((m) => toMember(m, group));
  }

  /** The group's direct members: users, service principals and groups. */
  async members(group: EntraGroup): Promise<EntraMember[]> {
    const raw = await this.#graph.getAll<RawMember>(
      `/${this.#membersVersion}/groups/${group.id}/members?$select=${MEMBER_SELECT}&$top=999`,
      "groups",
      `the members of group '${group.displayName ?? group.id}'`,
    );
    return raw.map((m) => toMember(m, group));
  }
}

interface RawMember {
  "@odata.type"?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  appId?: string | null;
}

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function toMember(m: RawMember, parent: EntraGroup): EntraMember {
  const where = `member ${m.id} of Entra group '${parent.displayName ?? parent.id}'`;
  switch (m["@odata.type"]) {
    case "#microsoft.graph.user":
      // Limited information: the app may list the group but not read users, so every property is null.
      if (!m.userPrincipalName)
        throw new GraphError(`${where} is a user Microsoft Graph shows without its properties. ${permissionHint("users")}`, 403, "limited");
      return {
        kind: "user",
        id: m.id,
        displayName: opt(m.displayName),
        userPrincipalName: m.userPrincipalName,
        mail: opt(m.mail),
        accountEnabled: opt(m.accountEnabled),
        userType: opt(m.userType),
      };
    case "#microsoft.graph.servicePrincipal":
      if (!m.appId)
        throw new GraphError(`${where} is a service principal Microsoft Graph shows without its appId. ${permissionHint("servicePrincipals")}`, 403, "limited");
      return { kind: "servicePrincipal", id: m.id, displayName: opt(m.displayName), appId: m.appId, accountEnabled: opt(m.accountEnabled) };
    case "#microsoft.graph.group":
      return { kind: "group", id: m.id, displayName: opt(m.displayName) };
    default:
      return { kind: "other", id: m.id, odataType: m["@odata.type"] ?? "unknown" };
  }
}
