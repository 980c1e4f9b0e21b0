// Directory objects as the Graph emulator stores them. Property names are Graph's own (v1.0 resource types
// user, group, servicePrincipal, device, orgContact), so rendering is a projection, not a translation.

export type ObjectKind = "user" | "group" | "servicePrincipal" | "device" | "orgContact";

export const ODATA_TYPE: Record<ObjectKind, string> = {
  user: "#microsoft.graph.user",
  group: "#microsoft.graph.group",
  servicePrincipal: "#microsoft.graph.servicePrincipal",
  device: "#microsoft.graph.device",
  orgContact: "#microsoft.graph.orgContact",
};

/** Collection path segment of each kind (`/users`, `/groups`, …). */
export const COLLECTION: Record<ObjectKind, string> = {
  user: "users",
  group: "groups",
  servicePrincipal: "servicePrincipals",
  device: "devices",
  orgContact: "contacts",
};

export type PropertyValue = string | boolean | number | null | string[];

/** One stored directory object: its kind, its id and its Graph properties (id included). */
export interface DirectoryObject {
  kind: ObjectKind;
  id: string;
  props: Record<string, PropertyValue>;
}

/** Properties each kind knows, with the value an unset one renders as. */
export const KNOWN_PROPERTIES: Record<ObjectKind, Record<string, PropertyValue>> = {
  user: {
    id: null,
    displayName: null,
    userPrincipalName: null,
    mail: null,
    givenName: null,
    surname: null,
    jobTitle: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    businessPhones: [],
    accountEnabled: true,
    userType: "Member",
    externalUserState: null,
    mailNickname: null,
  },
  group: {
    id: null,
    displayName: null,
    description: null,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    mail: null,
    mailNickname: null,
  },
  servicePrincipal: {
    id: null,
    appId: null,
    displayName: null,
    accountEnabled: true,
    servicePrincipalType: "Application",
    appDisplayName: null,
  },
  device: {
    id: null,
    deviceId: null,
    displayName: null,
    accountEnabled: true,
    operatingSystem: null,
    operatingSystemVersion: null,
  },
  orgContact: {
    id: null,
    displayName: null,
    mail: null,
    givenName: null,
    surname: null,
    companyName: null,
  },
};

/**
 * What a GET without `$select` returns for users: Graph's documented default set, so `accountEnabled` and
 * `userType` need `$select`. Other kinds return every known property.
 */
export const USER_DEFAULT_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "id",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
];

/** Every property name known on any kind: `$select` on a directoryObject collection may name any of them. */
export const ALL_PROPERTIES = new Set(Object.values(KNOWN_PROPERTIES).flatMap((p) => Object.keys(p)));
