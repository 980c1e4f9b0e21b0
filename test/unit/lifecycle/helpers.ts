// Shared by the lifecycle tests: a clean Databricks environment (no ambient credentials or config files), and a
// loopback stub standing in for a workspace, for the tests that look at the requests create/update/read send.
import { afterEach, beforeEach } from "vitest";
import { scimError, startServer, type Handler, type Recorded, type TestServer } from "../client/helpers";

export { listResponse, scimError, WS } from "../client/helpers";
export type { Recorded, TestServer };

export const TEST_TOKEN = "dapi-unit-test-token";

/** Installs beforeEach/afterEach hooks that give each test `host` as DATABRICKS_HOST and a PAT. */
export function useCleanEnv(host = "https://adb-1.2.azuredatabricks.net"): void {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
    process.env.DATABRICKS_HOST = host;
    process.env.DATABRICKS_TOKEN = TEST_TOKEN;
    process.env.DATABRICKS_SCIM_PACING = "off";
    // Stubs have no read-after-write lag: a 404 while converging need not be waited out for a minute.
    process.env.DATABRICKS_SCIM_LAG_BOUND_MS = "300";
    // No create journal in the repository: each test is a fresh run (provider/runtime/createJournal.ts).
    process.env.DATABRICKS_SCIM_JOURNAL = "off";
    process.env.HOME = "/nonexistent-home-for-tests";
    // Each test is a fresh provider process: its lifecycles are bound to a session of its own (./testSession.ts).
  });
  afterEach(() => {
    process.env = { ...saved };
  });
}

export type StubWorkspace = TestServer & { target: { host: string; level: "workspace" } };

/** Where a workspace host serves its proxy of account SCIM (groups): ScimGroup creates look names up there first. */
export const ACCOUNT_PROXY_GROUPS = "/api/2.0/account/scim/v2/Groups";

/**
 * Returns a function that starts a stub workspace on loopback (`target` is what check would resolve for it);
 * every stub started in a test is closed after it. A stub is a workspace without identity federation: its proxy
 * of account SCIM answers 404 "Endpoint not supported." (recorded like every request), unless `accountProxy`
 * says the handler answers it.
 */
export function useStubWorkspaces(): (handler: Handler, opts?: { accountProxy?: true }) => Promise<StubWorkspace> {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (handler, opts = {}) => {
    const server = await startServer((req, n) =>
      !opts.accountProxy && req.url.startsWith(ACCOUNT_PROXY_GROUPS) ? { status: 404, body: scimError(404, "Endpoint not supported.") } : handler(req, n),
    );
    open.push(server);
    return Object.assign(server, { target: { host: server.url, level: "workspace" as const } });
  };
}

/** The PATCH operations of a recorded request. */
export function opsOf(req: Recorded | undefined): unknown[] {
  return (req?.json as { Operations?: unknown[] } | undefined)?.Operations ?? [];
}

/** The check failure for `property`, asserting the "<field>: …" shape every failure has. */
export function failureOf(failures: { property: string; reason: string }[] | undefined, property: string): string {
  const f = failures?.find((x) => x.property === property);
  if (!f) throw new Error(`no failure on ${property}: ${JSON.stringify(failures)}`);
  if (!f.reason.startsWith(`${property}:`)) throw new Error(`failure does not start with "${property}:": ${f.reason}`);
  return f.reason;
}

/** A copy without the keys whose value is undefined (as check's inputs never carry them). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
