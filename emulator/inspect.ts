// Test/inspection endpoints under /__emulator/ (no SCIM auth, loopback callers only). They bypass the
// request pipeline, so they are neither counted nor subject to injected faults.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmulatorCore } from "./core";
import type { Stats } from "./stats";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

function fromLoopback(req: FastifyRequest): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? "");
}

export function registerInspection(app: FastifyInstance, core: EmulatorCore, stats: Stats): void {
  app.addHook("onRequest", async (req, reply) => {
    if (req.url.startsWith("/__emulator/") && !fromLoopback(req)) {
      await reply.code(403).send({ error: "/__emulator/ endpoints are only served to loopback clients" });
    }
  });
  app.get("/__emulator/stats", async () => stats.snapshot());
  app.get("/__emulator/requests", async () => ({ requests: stats.requests() }));
  app.post("/__emulator/reset-stats", async () => {
    stats.reset();
    return { ok: true };
  });
  app.get("/__emulator/dump", async () => core.dump());
  app.post("/__emulator/reset", async () => {
    core.reset();
    return { ok: true };
  });
}
