// Graph's error envelope: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
// Clients branch on `code`; the messages are the texts Graph is known to send.
import { randomUUID } from "node:crypto";

export interface GraphReply {
  status: number;
  headers?: Record<string, string>;
  /** JSON body, or a string sent as text/plain (the `$count` segment). */
  body?: unknown;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorReply(e: GraphError, clientRequestId: string | undefined): GraphReply {
  const requestId = randomUUID();
  return {
    status: e.status,
    headers: { "request-id": requestId, "client-request-id": clientRequestId ?? requestId, ...e.headers },
    body: {
      error: {
        code: e.code,
        message: e.message,
        innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ""), "request-id": requestId, "client-request-id": clientRequestId ?? requestId },
      },
    },
  };
}

export const notFound = (id: string): GraphError =>
  new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const denied = (): GraphError => new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

export const badRequest = (message: string): GraphError => new GraphError(400, "Request_BadRequest", message);

export const unsupportedQuery = (message: string): GraphError => new GraphError(400, "Request_UnsupportedQuery", message);
