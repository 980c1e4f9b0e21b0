// HTTP adapter: fastify receives requests, turns them into EmuRequests, runs them through the pipeline
// (stats → user middlewares [fault hook] → SCIM handler) and writes the EmuResponse back.
import Fastify, { type FastifyInstance } from "fastify";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { workspacePorts } from "./federation/workspaces";
import { EmulatorCore } from "./core";
import { FaultController } from "./faults/controller";
import { registerInspection } from "./inspect";
import { registerCredentialRoutes, type OAuthClient } from "./oauth";
import type { EmulatorOptions } from "./options";
import { compose, type EmuRequest, type Handler, type Middleware } from "./pipeline";
import { createScimHandler } from "./scim";
import { Stats } from "./stats";
import { registerWellKnown } from "./wellknown";

export interface RunningEmulator {
  /** http://host:port */
  url: string;
  workspaceUrl: string;
  accountUrl: string;
  accountId: string;
  workspaceId: string;
  tokens: { admin: string; user: string; accountAdmin: string };
  /** The first OAuth client (an admin service principal at both levels), when OAuth is on. */
  oauth?: OAuthClient;
  port: number;
  core: EmulatorCore;
  stats: Stats;
  /** Fault settings, switchable at run time (also via /__emulator/faults). */
  faults: FaultController;
  /**
   * Every workspace of the account (only when `options.workspaces` is given): its id, federation, and its own
   * host (`url`, a port of its own, for DATABRICKS_HOST) with the SCIM base under it (`workspaceUrl`).
   */
  workspaces?: WorkspaceEndpoint[];
  /** Append a middleware (innermost position, just before the SCIM handler). */
  use(mw: Middleware): void;
  close(): Promise<void>;
}

export interface WorkspaceEndpoint {
  id: string;
  federated: boolean;
  url: string;
  workspaceUrl: string;
}

/** Requests that came in on a workspace's own port → that workspace's id. */
const boundWorkspace = new WeakMap<IncomingMessage, string>();

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = new EmulatorCore(options);
  const stats = new Stats(core.behaviour.requestLogLimit);
  // Order: accounting (sees every final answer, injected ones included) → faults → caller's middlewares → SCIM.
  const faults = new FaultController(core, options.faults);
  const middlewares: Middleware[] = [stats.middleware(), ...faults.middlewares(), ...(options.middlewares ?? [])];
  const scim = createScimHandler(core);
  let handler: Handler = compose(middlewares, scim);
  let seq = 0;

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  // Keep bodies raw: the SCIM handler parses them itself, so malformed JSON and odd media types still pass
  // through the pipeline (counted, fault-injectable) and get SCIM-shaped errors.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  registerInspection(app, core, stats, faults);
  registerCredentialRoutes(app, core);
  registerWellKnown(app, core, (raw) => boundWorkspace.get(raw));

  app.all("/*", async (req, reply) => {
    const rawUrl = req.raw.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const emuReq: EmuRequest = {
      seq: ++seq,
      method: req.method.toUpperCase(),
      path: q < 0 ? rawUrl : rawUrl.slice(0, q),
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      origin: `http://${req.headers.host ?? "localhost"}`,
      receivedAt: Date.now(),
    };
    const bound = boundWorkspace.get(req.raw);
    if (bound !== undefined) emuReq.workspaceId = bound;
    const res = await handler(emuReq);
    if (res.drop) {
      // RST rather than FIN: the client sees ECONNRESET at once, as behind a failing proxy, instead of waiting.
      reply.hijack();
      req.raw.socket.resetAndDestroy();
      return;
    }
    reply.code(res.status).headers(res.headers);
    return res.body === undefined ? reply.send() : reply.send(JSON.stringify(res.body));
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const addr = app.server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${addr.port}`;
  // Each workspace's own host: a port of its own, routed through the same app with the workspace bound.
  const extraServers: Server[] = [];
  let workspaces: WorkspaceEndpoint[] | undefined;
  if (options.workspaces !== undefined) {
    const ports = workspacePorts(options);
    workspaces = [];
    for (const [i, w] of (core.identity.workspaces ?? []).entries()) {
      const server = createServer((req, res) => {
        boundWorkspace.set(req, w.id);
        app.routing(req, res);
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(ports[i] ?? 0, host, () => resolve());
      });
      extraServers.push(server);
      const wsUrl = `http://${urlHost}:${(server.address() as AddressInfo).port}`;
      workspaces.push({ id: w.id, federated: w.federated, url: wsUrl, workspaceUrl: `${wsUrl}/api/2.0/preview/scim/v2` });
    }
  }
  return {
    url,
    workspaceUrl: `${url}/api/2.0/preview/scim/v2`,
    accountUrl: `${url}/api/2.0/accounts/${core.identity.accountId}/scim/v2`,
    accountId: core.identity.accountId,
    workspaceId: core.identity.workspaceId,
    tokens: { ...core.identity.tokens },
    ...(core.oauth ? { oauth: { ...(core.oauth.clients[0] as OAuthClient) } } : {}),
    ...(workspaces ? { workspaces } : {}),
    port: addr.port,
    core,
    stats,
    faults,
    use(mw: Middleware) {
      middlewares.push(mw);
      handler = compose(middlewares, scim);
    },
    close: async () => {
      for (const server of extraServers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await app.close();
      core.close();
    },
  };
}
