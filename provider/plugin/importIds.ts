import type { PluginKind } from "./kinds";
import { PACKAGE } from "./kinds";

/**
 * What `pulumi import <type> <name> <id>` (or the `import` resource option) means by the id, kind by kind: the
 * same id the plugin's create returns, so the id in the state after an import is the one an `up` would have
 * written. The properties a read needs besides the id are taken from it (a membership's group and member, an
 * assignment's workspace and principal); a malformed id fails naming the type and the expected format.
 */
export const IMPORT_ID_FORMAT: Record<string, string> = {
  user: "<userId> (the user's SCIM id)",
  group: "<groupId> (the group's SCIM id)",
  servicePrincipal: "<servicePrincipalId> (the service principal's SCIM id, not its applicationId)",
  groupMembership: "<groupId>|<memberId> (the group's and the member's SCIM ids)",
  groupMembers: "<groupId> (the group's SCIM id: the resource is the group's whole member list)",
  workspaceAssignment: "<workspaceId>|<principalId> (the workspace's numeric id and the account principal's SCIM id), or <principalId> at workspace level",
  workspaceEntitlements: "<principalType>/<principalId> (user, group or servicePrincipal, and the principal's SCIM id in the workspace)",
};

const NUMERIC = /^\d+$/;
const PRINCIPAL_TYPES = ["user", "group", "servicePrincipal"];

function refuse(k: PluginKind, id: string, why: string): never {
  const token = `${PACKAGE}:index:${k.name}`;
  // plain Error: the engine prints it as the import's error; it names the type, the id and the format.
  throw new Error(`${token}: cannot import id '${id}': ${why}. The id of a ${k.name} is ${IMPORT_ID_FORMAT[k.kind] ?? "not importable"}.`);
}

/** The properties the kind's read takes, from an import id (besides the target, which is the provider's). */
export function importProps(k: PluginKind, id: string): Record<string, unknown> {
  if (k.collection) {
    const token = `${PACKAGE}:index:${k.name}`;
    const one = k.kind === "users" ? "User" : "ServicePrincipal";
    // plain Error: a collection has no id in Databricks to read it by.
    throw new Error(
      `${token} cannot be imported: it has no id in Databricks (it is many ${k.collection.noun}s, chosen by the program). ` +
        `Import each one as ${PACKAGE}:index:${one} (\`pulumi import ${PACKAGE}:index:${one} <name> <id>\`), or declare the ${k.name} ` +
        `resource with \`adopt: true\` so that its first \`up\` takes the existing ${k.collection.noun}s over.`,
    );
  }
  const parts = id.split("|");
  switch (k.kind) {
    case "user":
    case "group":
    case "servicePrincipal":
      if (!NUMERIC.test(id)) refuse(k, id, "a SCIM id is a number");
      return {};
    case "groupMembers":
      if (!NUMERIC.test(id)) refuse(k, id, "a group's SCIM id is a number");
      // An empty map: every member the group has is labelled from the server's answer (the diff compares ids).
      return { groupId: id, members: {} };
    case "groupMembership": {
      const [groupId, memberId] = parts;
      if (parts.length !== 2 || !NUMERIC.test(groupId ?? "") || !NUMERIC.test(memberId ?? "")) refuse(k, id, "it is not two SCIM ids joined by '|'");
      return { groupId, memberId };
    }
    case "workspaceAssignment": {
      if (parts.length === 1 && NUMERIC.test(id)) return { principalId: id, permissions: [] };
      const [workspaceId, principalId] = parts;
      if (parts.length !== 2 || !NUMERIC.test(workspaceId ?? "") || !NUMERIC.test(principalId ?? ""))
        refuse(k, id, "it is not a workspace id and a principal id joined by '|'");
      return { workspaceId, principalId, permissions: [] };
    }
    case "workspaceEntitlements": {
      const slash = id.indexOf("/");
      const principalType = id.slice(0, slash);
      const principalId = id.slice(slash + 1);
      if (slash < 0 || !PRINCIPAL_TYPES.includes(principalType) || !NUMERIC.test(principalId))
        refuse(k, id, "it is not a principal type and a SCIM id joined by '/'");
      return { principalType, principalId, entitlements: [] };
    }
    default:
      return {};
  }
}
