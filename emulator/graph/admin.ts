// Test endpoints under /__emulator/ on the Graph port (no token, loopback callers only, not counted or
// throttled): read and replace the directory, edit it during a test, switch throttling and permissions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Directory } from "./directory";
import type { EntraIdentity } from "./identity";
import { COLLECTION, type ObjectKind } from "./model";
import { asSeed, SeedError, type GenerateSeed } from "./seed";
import type { GraphStats } from "./stats";
import type { Throttle, ThrottleSettings } from "./throttle";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const KIND_BY_COLLECTION = new Map<string, ObjectKind>(Object.entries(COLLECTION).map(([k, c]) => [c, k as ObjectKind]));

export interface AdminContext {
  directory: Directory;
  identity: EntraIdentity;
  throttle: Throttle;
  stats: GraphStats;
}

function body(req: FastifyRequest): Record<string, unknown> {
  const text = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
  const parsed: unknown = JSON.parse(text.trim() === "" ? "{}" : text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new SeedError("the body must be a JSON object");
  return parsed as Record<string, unknown>;
}

export function registerAdmin(app: FastifyInstance, ctx: AdminContext): void {
  const { directory, identity, throttle, stats } = ctx;
  /** Runs an edit all or nothing; a SeedError or bad JSON is a 400 `{"error"}`. */
  const edit = async (reply: FastifyReply, fn: () => unknown): Promise<unknown> => {
    try {
      return directory.atomically(fn) ?? { ok: true };
    } catch (e) {
      if (e instanceof SeedError || e instanceof SyntaxError) return reply.code(400).send({ error: e.message });
      if (e instanceof Error && e.message.startsWith("throttle.")) return reply.code(400).send({ error: e.message });
      throw e;
    }
  };
  app.addHook("onRequest", async (req, reply) => {
    if (req.url.startsWith("/__emulator/") && !LOOPBACK.has(req.socket.remoteAddress ?? "")) {
      await reply.code(403).send({ error: "/__emulator/ endpoints are only served to loopback clients" });
    }
  });
  const params = (req: FastifyRequest): Record<string, string> => req.params as Record<string, string>;

  app.get("/__emulator/state", async () => directory.dump());
  app.put("/__emulator/state", async (req, reply) =>
    edit(reply, () => {
      const seed = asSeed(body(req), "body");
      directory.clear();
      directory.load(seed);
    }),
  );
  // Adds objects (same shape as the seed file; members may name existing objects).
  app.post("/__emulator/objects", async (req, reply) =>
    edit(reply, () => {
      directory.load(asSeed(body(req), "body"));
    }),
  );
  app.patch("/__emulator/objects/:ref", async (req, reply) => edit(reply, () => directory.update(params(req).ref!, body(req)).props));
  app.delete("/__emulator/objects/:ref", async (req, reply) => edit(reply, () => directory.delete(params(req).ref!)));
  app.post("/__emulator/groups/:ref/members", async (req, reply) =>
    edit(reply, () => {
      const ids = body(req).members;
      if (!Array.isArray(ids) || !ids.every((m) => typeof m === "string")) throw new SeedError('give {"members": ["<ref>", …]}');
      for (const m of ids) directory.addMember(params(req).ref!, m);
    }),
  );
  app.delete("/__emulator/groups/:ref/members/:member", async (req, reply) => edit(reply, () => directory.removeMember(params(req).ref!, params(req).member!)));
  app.post("/__emulator/generate", async (req, reply) =>
    edit(reply, () => {
      const gen = asSeed({ generate: [body(req)] }, "body").generate![0] as GenerateSeed;
      const g = directory.generate(gen);
      return { id: g.id, displayName: g.props.displayName, members: directory.directMembers(g.id).length };
    }),
  );
  app.get("/__emulator/objects/:collection/:ref", async (req, reply) =>
    edit(reply, () => {
      const kind = KIND_BY_COLLECTION.get(params(req).collection!);
      const o = directory.resolve(params(req).ref!);
      if (!kind || o.kind !== kind) throw new SeedError(`"${params(req).ref}" is not in ${params(req).collection}`);
      return o.props;
    }),
  );

  app.get("/__emulator/throttle", async () => throttle.settings);
  app.post("/__emulator/throttle", async (req, reply) => edit(reply, () => throttle.update(body(req) as Partial<ThrottleSettings>)));
  app.delete("/__emulator/throttle", async () => throttle.update({ next: 0, unavailable: 0, resourceUnits: null }));

  app.get("/__emulator/apps", async () => [...identity.apps.values()].map((a) => ({ clientId: a.clientId, permissions: a.permissions })));
  // New permissions apply to tokens issued afterwards, as a consent change does.
  app.patch("/__emulator/apps/:clientId", async (req, reply) =>
    edit(reply, () => {
      const a = identity.apps.get(params(req).clientId!);
      if (!a) throw new SeedError(`no app ${params(req).clientId}`);
      const perms = body(req).permissions;
      if (!Array.isArray(perms) || !perms.every((p) => typeof p === "string")) throw new SeedError('give {"permissions": ["GroupMember.Read.All", …]}');
      a.permissions = perms;
      return { clientId: a.clientId, permissions: a.permissions };
    }),
  );
  app.post("/__emulator/tokens/revoke", async () => {
    identity.revokeAll();
    return { ok: true };
  });

  app.get("/__emulator/stats", async () => ({
    ...stats.snapshot(),
    throttled: throttle.throttled,
    tokensIssued: identity.issued,
    tokensRejected: identity.rejected,
  }));
  app.get("/__emulator/requests", async () => ({ requests: stats.requests() }));
  app.post("/__emulator/reset-stats", async () => {
    stats.reset();
    return { ok: true };
  });
}
