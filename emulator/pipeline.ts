// The request pipeline: every SCIM request becomes a plain EmuRequest, passes through a chain of middlewares,
// and ends in the SCIM handler. Nothing here knows about fastify, so middlewares are easy to write and test.
//
// This is the hook point for fault injection (rate limits, 5xx, connection resets, latency, lost responses,
// read-after-write lag): a fault middleware can answer without calling `next`, delay, or call `next` (so the
// write happens) and then return `{ drop: true }` to make the adapter destroy the socket instead of replying.
import type { IncomingHttpHeaders } from "node:http";

export interface EmuRequest {
  /** Monotonic per-process sequence number. */
  seq: number;
  method: string;
  /** URL path without the query string, not decoded. */
  path: string;
  /** Raw query string (without `?`); URLSearchParams decodes both `+` and `%20` as space (Go clients send %20, the docs +). */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body bytes; parsed by the SCIM handler so that bad JSON still flows through the pipeline. */
  body: Buffer | undefined;
  /** Set when the request came in on a workspace's own port (its host): that workspace's id. */
  workspaceId?: string;
  /** `http://host:port` as the client addressed us, for Location headers. */
  origin: string;
  receivedAt: number;
}

export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable body; undefined = no body (e.g. 204). */
  body?: unknown;
  /** When true the adapter destroys the connection instead of sending anything (for "lost response" faults). */
  drop?: boolean;
  /** The injected fault that decided this response, for /__emulator/stats and /__emulator/requests. */
  fault?: FaultKind;
  /** Delay added by the latency fault, in ms. */
  addedLatencyMs?: number;
}

/**
 * "429": rate limit (or random 429); "500-limit": concurrency cap; "5xx": random server error; "reset": connection
 * dropped before applying; "lost": applied, then dropped; "lagged": a read served stale data.
 */
export type FaultKind = "429" | "500-limit" | "5xx" | "reset" | "lost" | "lagged";

export type Handler = (req: EmuRequest) => Promise<EmuResponse>;
export type Middleware = (req: EmuRequest, next: Handler) => Promise<EmuResponse>;

/** Compose so that middlewares[0] is outermost. */
export function compose(middlewares: readonly Middleware[], final: Handler): Handler {
  return middlewares.reduceRight<Handler>((next, mw) => (req) => mw(req, next), final);
}
