// A scripted loopback HTTP server for client tests: records every request exactly as it arrived on the wire and
// answers from a handler. Not the project's emulator: each test states the server behaviour it needs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ScimClient, staticToken, type ScimClientOptions } from "../../../provider/client";

export const TOKEN = "dapi-SECRET-0123456789abcdef";
export const SOURCE = "DATABRICKS_TOKEN from the environment";

export interface Recorded {
  method: string;
  /** Raw request target: path and query exactly as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket instead of answering. */
  destroy?: boolean;
  delayMs?: number;
}

export type Handler = (req: Recorded, n: number) => Reply | Promise<Reply>;

export interface TestServer {
  url: string;
  /** The SCIM (and OAuth) requests, in order: what the tests count. */
  requests: Recorded[];
  /**
   * GET /.well-known/databricks-config, which a check asks every host whose workspace or account id nothing names
   * (provider/auth/hostMetadata.ts): answered 404 here, as a host without metadata does, and kept out of
   * `requests`, which counts SCIM calls.
   */
  metadataRequests: Recorded[];
  inFlight: number;
  maxInFlight: number;
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  let h = handler;
  const state: TestServer = {
    url: "",
    requests: [],
    metadataRequests: [],
    inFlight: 0,
    maxInFlight: 0,
    setHandler(nh) {
      h = nh;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const rec: Recorded = { method: req.method!, url: req.url!, headers: req.headers, body, json, at: performance.now() };
      if (rec.url === "/.well-known/databricks-config") {
        state.metadataRequests.push(rec);
        state.inFlight--;
        res.writeHead(404).end();
        return;
      }
      state.requests.push(rec);
      let reply: Reply;
      try {
        reply = await h(rec, state.requests.length);
      } catch (e) {
        reply = { status: 599, body: { detail: String(e) } };
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      state.inFlight--;
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(text ? { "content-type": "application/scim+json" } : {}), ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A client against the test server with pacing off and fast retries, unless overridden. */
export function clientFor(server: TestServer, opts: Partial<ScimClientOptions> = {}): ScimClient {
  return new ScimClient({
    host: server.url,
    level: "workspace",
    auth: staticToken(TOKEN, SOURCE),
    rateLimits: false,
    retry: { minDelayMs: 5, maxDelayMs: 20, maxRetries: 5, maxElapsedMs: 10_000 },
    ...opts,
  });
}

export const WS = "/api/2.0/preview/scim/v2";

export function scimError(status: number, detail: string, scimType?: string) {
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    detail,
    status: String(status),
    ...(scimType ? { scimType } : {}),
  };
}

export function listResponse<T>(resources: T[], startIndex: number, totalResults: number) {
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    ...(resources.length ? { Resources: resources } : {}),
  };
}

/**
 * Collects an async rejection, failing the test if the promise resolves. Typed as an Error whose other fields
 * are unknown: tests assert on the class first, then read fields such as `status` without a cast.
 */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected the promise to reject");
}
