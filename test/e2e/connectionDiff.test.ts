/**
 * A field change together with a connection change, through the real engine: the preview must show the field,
 * old and new, as for a field change alone (the connection's diff must not swallow it), and `up` applies both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, listAll, runStack, specOptions, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

let emu: RunningEmulator;
let opts: StackOptions;

const user = (displayName: string, tokenEnvVar: string) => ({
  users: { u1: { userName: "conn-diff@example.com", displayName, connection: { host: emu.url, tokenEnvVar } } },
});

beforeAll(async () => {
  emu = await startEmulator();
  // Two names for the same credential: switching between them changes the connection, not the principal.
  opts = { workDir: workDir("connection-diff"), env: { CONN_A: emu.tokens.admin, CONN_B: emu.tokens.admin } };
});

afterAll(async () => {
  await emu?.stop();
});

describe("a field and the connection changing together", () => {
  it("creates the user through connection A", async () => {
    expectOk(await runStack("up", specOptions(opts, user("Before", "CONN_A"))));
  });

  it("shows the field change, old and new, in preview --diff, next to the connection's", async () => {
    const run = await runStack("preview", { ...specOptions(opts, user("After", "CONN_B")), flags: ["--diff"] });
    expectOk(run);
    const block = run.stdout.slice(run.stdout.indexOf("~ pulumi-nodejs:dynamic/scim:User: (update)"), run.stdout.indexOf("Resources:"));
    expect(block, run.stdout).toContain('~ displayName: "Before" => "After"');
    expect(block, run.stdout).toContain('~ tokenEnvVar: "CONN_A" => "CONN_B"');
    expect(run.result?.changeSummary).toEqual({ same: 1, update: 1 });
  });

  it("applies both in place, and then previews no change", async () => {
    const before = (await listAll<{ id: string; userName: string }>(emu, "Users?attributes=userName")).find((u) => u.userName === "conn-diff@example.com");
    expectOk(await runStack("up", specOptions(opts, user("After", "CONN_B"))));
    const after = (await listAll<{ id: string; userName: string; displayName?: string }>(emu, "Users?attributes=userName,displayName")).find(
      (u) => u.userName === "conn-diff@example.com",
    );
    expect(after?.id).toBe(before?.id);
    expect(after?.displayName).toBe("After");
    const exported = JSON.stringify((await runStack("export", opts)).result);
    expect(exported).toContain('"tokenEnvVar":"CONN_B"');
    expectOk(await runStack("preview", { ...specOptions(opts, user("After", "CONN_B")), flags: ["--expect-no-changes"] }));
  });

  it("destroys it", async () => {
    expectOk(await runStack("destroy", specOptions(opts, user("After", "CONN_B"))));
  });
});
