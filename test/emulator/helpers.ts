// Shared test helpers: start an emulator on port 0 and talk to it over real HTTP (fetch).
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/index";

export const URN_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const URN_USER_WS = "urn:ietf:params:scim:schemas:extension:workspace:2.0:User";
export const URN_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const URN_SP = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
export const URN_LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const URN_PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const URN_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

// Loose JSON type for assertions on response bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Res {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export interface Client {
  emu: RunningEmulator;
  /** Workspace call as admin unless `token` says otherwise. */
  ws(method: string, path: string, body?: unknown, opts?: CallOpts): Promise<Res>;
  /** Account call as account admin unless `token` says otherwise. */
  acc(method: string, path: string, body?: unknown, opts?: CallOpts): Promise<Res>;
  raw(method: string, url: string, body?: unknown, opts?: CallOpts): Promise<Res>;
  close(): Promise<void>;
}

export interface CallOpts {
  token?: string | null;
  contentType?: string;
  rawBody?: string;
}

export async function httpCall(method: string, url: string, body?: unknown, opts: CallOpts & { defaultToken?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = opts.token === undefined ? opts.defaultToken : opts.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (opts.rawBody !== undefined) payload = opts.rawBody;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers["Content-Type"] = opts.contentType ?? "application/json";
  const r = await fetch(url, { method, headers, body: payload });
  const text = await r.text();
  let parsed: Json = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: r.status, headers: r.headers, body: parsed, text };
}

export async function startClient(options: EmulatorOptions = {}): Promise<Client> {
  const emu = await startEmulator({ port: 0, ...options });
  return {
    emu,
    ws: (method, path, body, opts = {}) => httpCall(method, emu.workspaceUrl + path, body, { defaultToken: emu.tokens.admin, ...opts }),
    acc: (method, path, body, opts = {}) => httpCall(method, emu.accountUrl + path, body, { defaultToken: emu.tokens.accountAdmin, ...opts }),
    raw: (method, url, body, opts = {}) => httpCall(method, url, body, opts),
    close: () => emu.close(),
  };
}

export function scimError(status: number, detail: string, scimType?: string): Json {
  const e: Json = { schemas: [URN_ERROR], detail, status: String(status) };
  if (scimType) e.scimType = scimType;
  return e;
}

export function patch(...ops: Json[]): Json {
  return { schemas: [URN_PATCH], Operations: ops };
}

export async function createUser(c: Client, userName: string, extra: Json = {}): Promise<Json> {
  const r = await c.ws("POST", "/Users", { schemas: [URN_USER], userName, ...extra });
  if (r.status !== 201) throw new Error(`create user ${userName}: ${r.status} ${r.text}`);
  return r.body;
}

export async function createGroup(c: Client, displayName: string, extra: Json = {}, level: "ws" | "acc" = "ws"): Promise<Json> {
  const r = await c[level]("POST", "/Groups", { schemas: [URN_GROUP], displayName, ...extra });
  if (r.status !== 201) throw new Error(`create group ${displayName}: ${r.status} ${r.text}`);
  return r.body;
}

export async function createSp(c: Client, displayName: string, extra: Json = {}, level: "ws" | "acc" = "ws"): Promise<Json> {
  const r = await c[level]("POST", "/ServicePrincipals", { schemas: [URN_SP], displayName, ...extra });
  if (r.status !== 201) throw new Error(`create sp ${displayName}: ${r.status} ${r.text}`);
  return r.body;
}

export function ids(list: Json): string[] {
  return ((list?.Resources ?? []) as Json[]).map((r) => r.id as string);
}
