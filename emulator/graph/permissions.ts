// Which application permissions a read needs, as Graph's permission tables say: the least privileged first,
// each also covered by the broader ones. Members of a kind the app may not read come back "limited": only
// `@odata.type` and `id`.
import type { ObjectKind } from "./model";

const DIRECTORY = ["Directory.Read.All", "Directory.ReadWrite.All"];

export const READ_PERMISSIONS: Record<ObjectKind, string[]> = {
  group: ["GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", ...DIRECTORY],
  user: ["User.Read.All", "User.ReadWrite.All", ...DIRECTORY],
  servicePrincipal: ["Application.Read.All", "Application.ReadWrite.All", ...DIRECTORY],
  device: ["Device.Read.All", ...DIRECTORY],
  orgContact: ["OrgContact.Read.All", ...DIRECTORY],
};

export function mayRead(roles: readonly string[], kind: ObjectKind): boolean {
  return READ_PERMISSIONS[kind].some((p) => roles.includes(p));
}
