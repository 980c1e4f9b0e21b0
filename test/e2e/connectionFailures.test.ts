/**
 * What a user sees through the real engine when the connection is wrong or slow (issue #11): a host nothing
 * answers at fails fast naming the host and where it came from; missing credentials are reported against the
 * resource, not against a `host` the program never set; a long wait on throttling is shown during `up`.
 */
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, output, runStack, specOptions, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

let emu: RunningEmulator;
const base = workDir("connection-failures");

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu?.stop();
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const oneUser = (name: string) => ({ users: { u: { userName: `${name}@example.com` } } });

async function faults(body: Record<string, unknown> | undefined): Promise<void> {
  const r = await fetch(`${emu.url}/__emulator/faults`, {
    method: body ? "POST" : "DELETE",
    headers: { "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(r.status, await r.text()).toBe(200);
}

describe("connection failures through the real pulumi CLI", () => {
  it("DATABRICKS_HOST on a closed port: `pulumi up` fails within 20 s, naming the host and DATABRICKS_HOST", async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const opts: StackOptions = specOptions({ workDir: `${base}/closed`, env: { DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-not-used" } }, oneUser("closed"));
    // The stack is made first, so the measured run is the `up` a user starts (the CLI's own start-up included).
    expectOk(await runStack("preview", opts));
    const started = performance.now();
    const run = await runStack("up", opts);
    const seconds = (performance.now() - started) / 1000;
    const text = output(run);
    // The client's own time (in its message) and the CLI's Duration line; the wall time also counts starting
    // the Automation API, the language host and the preview phase on a shared machine.
    const clientSeconds = Number(/attempts? in ([\d.]+) s\./.exec(text)?.[1]);
    const cliSeconds = Number(/Duration: (\d+)s/.exec(text)?.[1]);
    console.log(`pulumi up against ${host} (closed port) failed: ${seconds.toFixed(1)} s wall, CLI Duration ${cliSeconds} s, client ${clientSeconds} s`);
    expect(run.code, text).not.toBe(0);
    expect(text).toContain(`cannot reach ${host} (from DATABRICKS_HOST): connection refused, nothing listens on that port (ECONNREFUSED)`);
    expect(text).toMatch(/Nothing has answered at this address in this run, so it is not retried further: check the host name, port and scheme/);
    expect(text).not.toContain("dapi-not-used");
    expect(clientSeconds).toBeLessThan(10);
    expect(cliSeconds).toBeLessThan(20);
    expect(seconds).toBeLessThan(40);
  });

  it("no token anywhere: the preview blames no property, says what is missing, and names DATABRICKS_HOST as set", async () => {
    const run = await runStack("preview", specOptions({ workDir: `${base}/no-token`, env: { DATABRICKS_HOST: emu.url } }, oneUser("notoken")));
    const text = output(run);
    expect(run.code, text).not.toBe(0);
    expect(text).toMatch(
      /resource 'u' has a problem: no usable Databricks credentials: default auth: cannot configure default credentials, please check \S+ to configure credentials for your preferred authentication method\. Config: host=http:\/\/127\.0\.0\.1:\d+\. Env: DATABRICKS_HOST\. Set a token \(DATABRICKS_TOKEN\)/,
    );
    expect(text).not.toMatch(/property host/);
  });

  it("a long throttle wait: the notice shows in the CLI output during `up`, and the `up` then succeeds", async () => {
    const opts = specOptions({ workDir: `${base}/throttled`, env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } }, oneUser("throttled"));
    expectOk(await runStack("preview", opts));
    await faults({ rates: { "429": 1 } });
    let live = "";
    let seenAt: number | undefined;
    let noticeSeen!: () => void;
    const seen = new Promise<void>((r) => (noticeSeen = r));
    const watch = (d: Buffer): void => {
      live += d.toString();
      if (seenAt === undefined && /pulumi-databricks-scim: Databricks is throttling requests to/.test(live)) {
        seenAt = performance.now() - started;
        noticeSeen();
      }
    };
    const started = performance.now();
    const up = runStack("up", {
      ...opts,
      onSpawn: (child) => {
        child.stdout?.on("data", watch);
        child.stderr?.on("data", watch);
      },
    });
    // Bounded by conditions: the notice appears (after about 10 s of waiting), or the `up` ends without it.
    await Promise.race([seen, up]);
    await faults(undefined);
    const run = await up;
    const text = output(run);
    console.log(
      `throttle notice seen after ${seenAt === undefined ? "never" : `${(seenAt / 1000).toFixed(1)} s`}:\n${text
        .split("\n")
        .filter((l) => l.includes("pulumi-databricks-scim:"))
        .join("\n")}`,
    );
    expect(seenAt, text).toBeDefined();
    expectOk(run);
    expect(text).toMatch(
      /pulumi-databricks-scim: Databricks is throttling requests to http:\/\/127\.0\.0\.1:\d+ \(from DATABRICKS_HOST\): [A-Z]+ \/api\/2\.0\/preview\/scim\/v2\/Users has waited \d+ s over \d+ attempts; still retrying for up to \d+ s more \(DATABRICKS_SCIM_RETRY_BUDGET_SECONDS sets the budget\)/,
    );
  });
});
