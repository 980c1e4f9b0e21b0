import * as net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostUnreachableError } from "../../../provider/client";
import { Connections } from "../../../provider/runtime/connection";
import { processSettings, type StackSettings } from "../../../provider/runtime/settings";

// The clients the provider makes name where their host came from (issue #11 point 2): what check resolved in
// this process, else the current stack config / environment / profile when it names the same host, else state.
const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  process.env.HOME = "/nonexistent-home-for-tests";
  process.env.DATABRICKS_TOKEN = "dapi-host-source-test";
});
afterEach(() => {
  process.env = { ...saved };
});

// A provider process's connections (its session's), over this process's environment as each test sets it.
let connections: Connections;
beforeEach(() => {
  connections = new Connections(processSettings(process.env));
});
const targetResolver = (stack: StackSettings) => connections.targetResolver(stack);
const hostSourceFor = (target: { host: string; level: "workspace" | "account" }) => connections.hostSourceFor(target, {});
const clientFor = (target: { host: string; level: "workspace" | "account" }) => connections.clientFor(target, {});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("hostSourceFor", () => {
  it("after check: the source check resolved (environment, stack config, the resource's own host)", async () => {
    process.env.DATABRICKS_HOST = "https://dbc-env.cloud.databricks.com";
    const fromEnv = await targetResolver({}).resolve({});
    expect(fromEnv.hostSource).toBe("from DATABRICKS_HOST");
    expect(hostSourceFor({ host: fromEnv.host, level: fromEnv.level })).toBe("from DATABRICKS_HOST");

    const fromStack = await targetResolver({ host: "https://dbc-stack.cloud.databricks.com" }).resolve({});
    expect(hostSourceFor({ host: fromStack.host, level: fromStack.level })).toBe("from stack config databricks-scim:host");

    const own = await targetResolver({}).resolve({ host: "https://dbc-own.cloud.databricks.com" });
    expect(hostSourceFor({ host: own.host, level: own.level })).toBe("from the host of the resource or its connection");
  });

  it("without a check in this process (refresh, destroy): the current source when it names the same host, else the state", () => {
    process.env.DATABRICKS_HOST = "https://dbc-later.cloud.databricks.com/";
    expect(hostSourceFor({ host: "https://dbc-later.cloud.databricks.com", level: "workspace" })).toBe("from DATABRICKS_HOST");
    expect(hostSourceFor({ host: "https://dbc-gone.cloud.databricks.com", level: "workspace" })).toBe("as recorded in the stack's state");
  });
});

describe("clientFor", () => {
  it("a host nothing answers at fails fast, naming the host and DATABRICKS_HOST", async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    process.env.DATABRICKS_HOST = host;
    const t = await targetResolver({}).resolve({});
    const started = performance.now();
    const e = await clientFor({ host: t.host, level: t.level })
      .users.get("1")
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(HostUnreachableError);
    expect((e as Error).message).toContain(`cannot reach ${host} (from DATABRICKS_HOST)`);
    expect((e as Error).message).not.toContain("dapi-host-source-test");
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
