// Errors from Microsoft Graph, turned into messages that say what to do. Graph's own 403 text ("Insufficient
// privileges to complete the operation.") names no permission, so the mirror names the one the call needs.

import { DatabricksScimError } from "../shared/packageError";

/** The application permissions (admin consent required) each kind of read needs, least privileged first. */
export const GRAPH_PERMISSIONS = {
  groups: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
  users: ["User.Read.All", "Directory.Read.All"],
  servicePrincipals: ["Application.Read.All", "Directory.Read.All"],
} as const;
export type GraphReadKind = keyof typeof GRAPH_PERMISSIONS;

export function permissionHint(kind: GraphReadKind): string {
  const [least, ...others] = GRAPH_PERMISSIONS[kind];
  return (
    `Grant the application the Microsoft Graph application permission ${least} (or ${others.join(" or ")}) ` +
    `and an admin consent, then run again (a token issued before the consent does not carry it).`
  );
}

/** A Graph answer that is not a success, after retries. `code` is Graph's error code, never its message. */
export class GraphError extends DatabricksScimError {
  readonly status: number;
  readonly code: string;
  constructor(message: string, status: number, code: string) {
    super(message);
    this.name = "GraphError";
    this.status = status;
    this.code = code;
  }
}

/** Graph's error body: `{"error":{"code","message","innerError":{…}}}` (`innererror` in the schema: both read). */
export function parseGraphError(text: string): { code: string; message: string; requestId?: string } {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> };
    };
    const e = body.error;
    if (e && typeof e.code === "string") {
      const inner = e.innerError ?? e.innererror;
      const requestId = typeof inner?.["request-id"] === "string" ? (inner["request-id"] as string) : undefined;
      return { code: e.code, message: typeof e.message === "string" ? e.message : "", requestId };
    }
  } catch {
    // not JSON: fall through
  }
  return { code: "", message: text.slice(0, 200) };
}
