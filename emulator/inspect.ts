// Test/inspection endpoints under /__emulator/ (no SCIM auth, loopback callers only). They bypass the
// request pipeline, so they are neither counted nor subject to injected faults.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmulatorCore } from "./core";
import { FaultSettingsError, HoldSettingsError, type FaultController } from "./faults/index";
import type { Stats } from "./stats";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

function fromLoopback(req: FastifyRequest): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? "");
}

export function registerInspection(app: FastifyInstance, core: EmulatorCore, stats: Stats, faults: FaultController): void {
  app.addHook("onRequest", async (req, reply) => {
    if (req.url.startsWith("/__emulator/") && !fromLoopback(req)) {
      await reply.code(403).send({ error: "/__emulator/ endpoints are only served to loopback clients" });
    }
  });
  app.get("/__emulator/stats", async () => stats.snapshot());
  app.get("/__emulator/requests", async () => ({ requests: stats.requests() }));
  app.get("/__emulator/in-flight", async () => ({ requests: stats.inFlight() }));
  app.post("/__emulator/reset-stats", async () => {
    stats.reset();
    return { ok: true };
  });
  app.get("/__emulator/dump", async () => core.dump());
  // Fault settings: GET = current (full shape), POST = merge a partial settings object, DELETE = all off.
  app.get("/__emulator/faults", async () => faults.settings);
  app.post("/__emulator/faults", async (req, reply) => {
    let input: unknown;
    try {
      const text = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
      input = JSON.parse(text.trim() === "" ? "{}" : text);
      return faults.update(input);
    } catch (e) {
      if (e instanceof FaultSettingsError || e instanceof SyntaxError) return reply.code(400).send({ error: e.message });
      throw e;
    }
  });
  app.delete("/__emulator/faults", async () => faults.clear());
  // Hold (faults/hold.ts): POST {"methods":[...]} holds SCIM requests of those methods once received; GET = what
  // is held; DELETE releases them all (they are then applied and answered) and stops holding.
  app.get("/__emulator/hold", async () => faults.hold.state());
  app.post("/__emulator/hold", async (req, reply) => {
    try {
      const text = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
      return faults.hold.set(JSON.parse(text.trim() === "" ? "{}" : text));
    } catch (e) {
      if (e instanceof HoldSettingsError || e instanceof SyntaxError) return reply.code(400).send({ error: e.message });
      throw e;
    }
  });
  app.delete("/__emulator/hold", async () => ({ released: faults.hold.release(), ...faults.hold.state() }));
  app.post("/__emulator/reset", async () => {
    core.reset();
    return { ok: true };
  });
}
