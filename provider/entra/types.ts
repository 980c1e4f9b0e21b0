// Plain shapes of what the mirror reads from Microsoft Graph (docs/guides/entra.md). Only the
// properties the mirror selects; Graph leaves out a selected property that an object's type does not have.

/** An Entra user, as a member of a group (`#microsoft.graph.user`). */
export interface EntraUser {
  kind: "user";
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
  accountEnabled?: boolean;
  userType?: string;
}

/** An Entra service principal (`#microsoft.graph.servicePrincipal`); appId is the Databricks applicationId. */
export interface EntraServicePrincipal {
  kind: "servicePrincipal";
  id: string;
  displayName?: string;
  appId?: string;
  accountEnabled?: boolean;
}

/** An Entra group, as found by id or name, or as a member of another group. */
export interface EntraGroup {
  kind: "group";
  id: string;
  displayName?: string;
}

/** Devices, contacts, applications: a group may hold them; the mirror ignores them. */
export interface EntraOther {
  kind: "other";
  id: string;
  odataType: string;
}

export type EntraMember = EntraUser | EntraServicePrincipal | EntraGroup | EntraOther;
