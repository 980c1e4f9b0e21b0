// Shared helpers for the Graph emulator tests: start it on port 0 (https, self-signed), get a token from its
// token endpoint, and call it over real HTTPS trusting only its certificate.
import { Agent, fetch } from "undici";
import { startGraphEmulator, type GraphEmulatorOptions, type RunningGraphEmulator } from "../../emulator/graph/index";

// Loose JSON type for assertions on response bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface GraphRes {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export interface GraphClient {
  emu: RunningGraphEmulator;
  agent: Agent;
  /** A token for the first app, fetched once. */
  token(): Promise<string>;
  /** POST the token endpoint with this form; the raw answer. */
  tokenRequest(form: Record<string, string>, tenant?: string): Promise<GraphRes>;
  /** GET (or `method`) a Graph path (`/v1.0/…`) or a full URL, with the app's token unless `token` says otherwise. */
  get(pathOrUrl: string, opts?: { token?: string | null; headers?: Record<string, string>; method?: string }): Promise<GraphRes>;
  /** An /__emulator/* call with a JSON body. */
  admin(method: string, path: string, body?: unknown): Promise<GraphRes>;
  close(): Promise<void>;
}

export async function startGraph(options: GraphEmulatorOptions = {}): Promise<GraphClient> {
  const emu = await startGraphEmulator({ port: 0, ...options });
  const agent = new Agent({ connect: { ca: emu.ca } });
  const call = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<GraphRes> => {
    const r = await fetch(url, { ...init, dispatcher: agent });
    const text = await r.text();
    let body: Json;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: r.status, headers: r.headers as unknown as Headers, body, text };
  };
  let cached: string | undefined;
  const client: GraphClient = {
    emu,
    agent,
    tokenRequest: (form, tenant = emu.tenantId) =>
      call(`${emu.url}/${tenant}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      }),
    async token() {
      if (cached) return cached;
      const r = await client.tokenRequest({
        grant_type: "client_credentials",
        client_id: emu.app.clientId,
        client_secret: emu.app.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      });
      if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
      cached = r.body.access_token as string;
      return cached;
    },
    async get(pathOrUrl, opts = {}) {
      const headers: Record<string, string> = { accept: "application/json", ...(opts.headers ?? {}) };
      const token = opts.token === undefined ? await client.token() : opts.token;
      if (token) headers.authorization = `Bearer ${token}`;
      return call(pathOrUrl.startsWith("https://") ? pathOrUrl : emu.url + pathOrUrl, { method: opts.method ?? "GET", headers });
    },
    admin: (method, path, body) =>
      call(emu.url + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    async close() {
      await emu.close();
      await agent.close();
    },
  };
  return client;
}

/** Follows @odata.nextLink from `first` to the end; returns every value and the number of requests made. */
export async function readAll(c: GraphClient, first: string, headers?: Record<string, string>): Promise<{ values: Json[]; requests: number; urls: string[] }> {
  const values: Json[] = [];
  const urls: string[] = [];
  let next: string | undefined = first;
  while (next) {
    urls.push(next);
    const r = await c.get(next, headers ? { headers } : {});
    if (r.status !== 200) throw new Error(`${next}: ${r.status} ${r.text}`);
    values.push(...(r.body.value as Json[]));
    next = r.body["@odata.nextLink"] as string | undefined;
  }
  return { values, requests: urls.length, urls };
}

/** The nested tree the membership tests use: Root ⊃ {Eng ⊃ {Platform ⊃ {Data}}, Sales}, Ann in two branches. */
export const TREE_SEED = {
  users: [
    { id: "00000000-0000-0000-0000-00000000a001", displayName: "Ann", userPrincipalName: "ann@contoso.com", mail: "ann@contoso.com" },
    { id: "00000000-0000-0000-0000-00000000a002", displayName: "Bob", userPrincipalName: "bob@contoso.com", mail: "bob@contoso.com", accountEnabled: false },
    { id: "00000000-0000-0000-0000-00000000a003", displayName: "Cid", userPrincipalName: "cid@contoso.com", mail: null },
    {
      id: "00000000-0000-0000-0000-00000000a004",
      displayName: "Gus Guest",
      userPrincipalName: "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com",
      mail: "gus@fabrikam.com",
      userType: "Guest",
      externalUserState: "Accepted",
    },
  ],
  servicePrincipals: [{ id: "00000000-0000-0000-0000-00000000b001", displayName: "etl-bot", appId: "11111111-2222-3333-4444-555555555555" }],
  devices: [{ id: "00000000-0000-0000-0000-00000000c001", displayName: "LAPTOP-7", deviceId: "dev-7", operatingSystem: "Windows" }],
  orgContacts: [{ id: "00000000-0000-0000-0000-00000000d001", displayName: "Vendor Contact", mail: "vendor@example.org" }],
  groups: [
    { id: "00000000-0000-0000-0000-0000000000a0", displayName: "Root", members: ["Eng", "Sales", "etl-bot", "LAPTOP-7"] },
    { id: "00000000-0000-0000-0000-0000000000e0", displayName: "Eng", members: ["Platform", "bob@contoso.com"] },
    { id: "00000000-0000-0000-0000-0000000000f0", displayName: "Platform", members: ["Data", "cid@contoso.com"] },
    { id: "00000000-0000-0000-0000-0000000000d0", displayName: "Data", members: ["ann@contoso.com", "Vendor Contact"] },
    { id: "00000000-0000-0000-0000-000000000050", displayName: "Sales", members: ["ann@contoso.com", "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com"] },
    { id: "00000000-0000-0000-0000-0000000000c0", displayName: "O'Brien's team", members: [] },
  ],
};
