// Helpers for the identity-federation tests: an emulator with several workspaces, each on its own port, and
// the account and workspace permission-assignment APIs over real HTTP.
import type { EmulatorOptions } from "../../emulator/index";
import { httpCall, startClient, URN_USER, type Client, type Json, type Res } from "./helpers";

export interface FedClient extends Client {
  /** Workspace id by position (0 = primary). */
  wsId(i: number): string;
  /** Workspace SCIM call on workspace `i`'s own host, as the admin unless `token` says otherwise. */
  wsAt(i: number, method: string, path: string, body?: unknown, token?: string | null): Promise<Res>;
  /** Account permission-assignment call for workspace `i` (path after /permissionassignments). */
  accAssign(i: number, method: string, path: string, body?: unknown, token?: string | null): Promise<Res>;
  /** Workspace-level permission-assignment call on workspace `i`'s host (path after /permissionassignments). */
  wsAssign(i: number, method: string, path: string, body?: unknown, token?: string | null): Promise<Res>;
}

export async function startFederated(options: EmulatorOptions): Promise<FedClient> {
  const c = await startClient(options);
  const list = c.emu.workspaces ?? [];
  const at = (i: number) => {
    const w = list[i];
    if (!w) throw new Error(`no workspace ${i}`);
    return w;
  };
  const tok = (t: string | null | undefined, dflt: string) => (t === undefined ? dflt : t);
  return {
    ...c,
    wsId: (i) => at(i).id,
    wsAt: (i, method, path, body, token) => httpCall(method, at(i).workspaceUrl + path, body, { token: tok(token, c.emu.tokens.admin) }),
    accAssign: (i, method, path, body, token) =>
      httpCall(method, `${c.emu.url}/api/2.0/accounts/${c.emu.accountId}/workspaces/${at(i).id}/permissionassignments${path}`, body, {
        token: tok(token, c.emu.tokens.accountAdmin),
      }),
    wsAssign: (i, method, path, body, token) =>
      httpCall(method, `${at(i).url}/api/2.0/preview/permissionassignments${path}`, body, { token: tok(token, c.emu.tokens.admin) }),
  };
}

export async function accountUser(c: Client, userName: string): Promise<Json> {
  const r = await c.acc("POST", "/Users", { schemas: [URN_USER], userName });
  if (r.status !== 201) throw new Error(`create account user ${userName}: ${r.status} ${r.text}`);
  return r.body;
}

/** userNames / displayNames listed by a workspace SCIM list response. */
export function names(list: Json): string[] {
  return ((list?.Resources ?? []) as Json[]).map((r) => (r.userName ?? r.displayName ?? r.applicationId) as string).sort();
}

export function filterEq(attr: string, value: string): string {
  return `?filter=${encodeURIComponent(`${attr} eq "${value}"`)}`;
}

/** The gateway error body of the permission-assignment APIs. */
export function apiError(error_code: string, message: string): Json {
  return { error_code, message };
}
