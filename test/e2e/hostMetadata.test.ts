/**
 * Host metadata through the real engine (issue 24 item 2): the emulator as its own process, whose main URL is a
 * unified host serving /.well-known/databricks-config; the `pulumi` CLI with `level: account` and no account id
 * anywhere. The provider reads the account id from the host's metadata, as the Databricks SDKs do; an account id
 * the user set wins over it (and is used, right or wrong).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { expectOk, listAll, output, runStack, specOptions, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

const spec: IdentitySpec = { users: { u: { userName: "host-metadata@example.com", displayName: "Host Metadata" } } };
const OTHER_ACCOUNT = "0f0e0d0c-0b0a-4909-8807-060504030201";

let emu: RunningEmulator;
let unset: StackOptions;

const accountUsers = async () => (await listAll<{ userName: string }>(emu, "Users?attributes=userName", emu.accountUrl)).map((u) => u.userName);

beforeAll(async () => {
  emu = await startEmulator();
  unset = specOptions(
    {
      workDir: workDir("host-metadata"),
      stack: "unset",
      env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.accountAdmin },
      config: { "databricks-scim:level": "account" },
    },
    spec,
  );
});

afterAll(async () => {
  await emu?.stop();
});

describe("an account-level stack on a unified host without an account id", () => {
  it("up resolves the account id from the host's metadata and creates the user in that account", async () => {
    const run = await runStack("up", unset);
    expectOk(run);
    expect(await accountUsers()).toContain("host-metadata@example.com");
    const preview = await runStack("preview", specOptions(unset, spec, { flags: ["--expect-no-changes"] }));
    expectOk(preview);
  });

  it("an account id the user set wins: it is the one called, though the metadata names another", async () => {
    const explicit = specOptions(
      { ...unset, stack: "explicit", config: { "databricks-scim:level": "account", "databricks-scim:accountId": OTHER_ACCOUNT } },
      { users: { u: { userName: "explicit-account@example.com" } } },
    );
    const run = await runStack("up", explicit);
    expect(run.code).not.toBe(0);
    expect(output(run)).toContain(`Caller is not authorized to access account ${OTHER_ACCOUNT}`);
    expect(await accountUsers()).not.toContain("explicit-account@example.com");
  });

  it("destroy removes the user again", async () => {
    expectOk(await runStack("destroy", unset));
    expect(await accountUsers()).not.toContain("host-metadata@example.com");
  });
});
