// The Graph emulator's own fastify app: the Entra authority (OpenID metadata + v2.0 token endpoint), the
// Graph API (/v1.0, /beta) and the /__emulator/* test endpoints, over https by default (tls.ts).
import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { registerAdmin } from "./admin";
import { handleApi, type ApiContext } from "./api";
import { Directory } from "./directory";
import { EntraIdentity } from "./identity";
import { DEFAULT_APP_PERMISSIONS, resolveSeed, type GraphEmulatorOptions } from "./options";
import type { AppSeed } from "./seed";
import { GraphStats } from "./stats";
import { Throttle } from "./throttle";
import { loadOrMakeCertificate } from "./tls";

export interface RunningGraphEmulator {
  /** https://host:port — both the authority host and the Graph root. */
  url: string;
  /** `${url}/v1.0` */
  graphUrl: string;
  /** Pass as `authorityHost` (with `disableInstanceDiscovery: true`) to @azure/identity credentials. */
  authorityHost: string;
  tenantId: string;
  /** The first app registration. */
  app: AppSeed;
  /** The certificate to trust (PEM) and where it is on disk; absent over plain http. */
  ca?: string;
  caPath?: string;
  port: number;
  directory: Directory;
  identity: EntraIdentity;
  throttle: Throttle;
  stats: GraphStats;
  close(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<RunningGraphEmulator> {
  const tenantId = options.tenantId ?? randomUUID();
  const apps: AppSeed[] = options.apps ?? [
    { clientId: randomUUID(), clientSecret: `graph-emu-secret-${randomBytes(12).toString("base64url")}`, permissions: [...DEFAULT_APP_PERMISSIONS] },
  ];
  if (apps.length === 0) throw new Error("graph.apps must name at least one app registration");
  const identity = new EntraIdentity(tenantId, apps, options.tokenTtlSeconds ?? 3599);
  const directory = new Directory();
  directory.load(resolveSeed(options.seed));
  const throttle = new Throttle();
  if (options.throttle) throttle.update(options.throttle);
  const stats = new GraphStats();
  const ctx: ApiContext = {
    directory,
    identity,
    throttle,
    behaviour: { v1MembersOmitServicePrincipals: options.v1MembersOmitServicePrincipals ?? true },
  };

  const tls = options.tls === false ? undefined : loadOrMakeCertificate(options.tls === true ? undefined : options.tls);
  const app: FastifyInstance = (tls ? Fastify({ logger: false, https: { key: tls.key, cert: tls.cert } }) : Fastify({ logger: false })) as FastifyInstance;
  const scheme = tls ? "https" : "http";
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  registerAdmin(app, { directory, identity, throttle, stats });

  const originOf = (host: string | undefined): string => `${scheme}://${host ?? "localhost"}`;

  app.get("/:tenant/v2.0/.well-known/openid-configuration", async (req, reply) => {
    const { tenant } = req.params as { tenant: string };
    const doc = identity.openidConfiguration(originOf(req.headers.host), tenant);
    if (!doc) return reply.code(400).send({ error: "invalid_tenant", error_description: `AADSTS90002: Tenant '${tenant}' not found.` });
    return doc;
  });
  // The keys the access tokens are signed with (the metadata's jwks_uri; /discovery/keys is the v1.0 path).
  for (const path of ["/:tenant/discovery/v2.0/keys", "/:tenant/discovery/keys"]) {
    app.get(path, async (req, reply) => {
      const { tenant } = req.params as { tenant: string };
      if (!identity.knowsTenant(tenant))
        return reply.code(400).send({ error: "invalid_tenant", error_description: `AADSTS90002: Tenant '${tenant}' not found.` });
      return identity.jwks();
    });
  }
  app.post("/:tenant/oauth2/v2.0/token", async (req, reply) => {
    stats.tokenRequests++;
    const { tenant } = req.params as { tenant: string };
    const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "");
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    let creds: { id: string; secret: string } | undefined;
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
      creds = { id: decodeURIComponent(id ?? ""), secret: decodeURIComponent(rest.join(":")) };
    }
    const answer = await identity.token(tenant, form, creds);
    return reply.code(answer.status).header("cache-control", "no-store").send(answer.body);
  });

  app.all("/*", async (req, reply) => {
    const rawUrl = req.raw.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? "" : rawUrl.slice(q + 1);
    const out = await handleApi(ctx, {
      method: req.method.toUpperCase(),
      path,
      params: new URLSearchParams(query),
      headers: req.headers,
      origin: originOf(req.headers.host),
    });
    stats.record({ method: req.method, path, query, route: out.route, status: out.status, ...(out.clientId ? { clientId: out.clientId } : {}) });
    reply.code(out.status).headers(out.headers ?? {});
    if (typeof out.body === "string") return reply.send(out.body);
    return reply
      .header("content-type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
      .send(JSON.stringify(out.body));
  });

  const host = options.host ?? "127.0.0.1";
  await app.listen({ port: options.port ?? 0, host });
  const port = (app.server.address() as AddressInfo).port;
  // The self-signed certificate names localhost, 127.0.0.1 and ::1.
  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  const url = `${scheme}://${urlHost}:${port}`;
  return {
    url,
    graphUrl: `${url}/v1.0`,
    authorityHost: url,
    tenantId,
    app: { ...apps[0]! },
    ...(tls ? { ca: tls.cert, caPath: tls.certPath } : {}),
    port,
    directory,
    identity,
    throttle,
    stats,
    close: () => app.close(),
  };
}
