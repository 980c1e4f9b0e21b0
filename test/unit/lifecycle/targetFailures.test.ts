import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userLifecycle as userDefined } from "../../../provider/lifecycle/user";
import { testContexts } from "./testSession";

// Which input a failure to resolve the target or the credentials is reported against (issue #11 point 6).
// Pulumi prints a failure on a property as `property <name> value {<registered value>} has a problem`, so a
// property is named only when the program set it; otherwise the failure is the resource's (property "").
const userLifecycle = userDefined.bind(testContexts);

const saved = { ...process.env };
let home: string;
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  home = fs.mkdtempSync(path.join(os.tmpdir(), "target-failures-"));
  process.env.HOME = home;
});
afterEach(() => {
  process.env = { ...saved };
  fs.rmSync(home, { recursive: true, force: true });
});

const WS = "https://dbc-1.cloud.databricks.com"; // not Azure: Azure hosts fall back to the Azure CLI

interface Case {
  name: string;
  env: Record<string, string>;
  news: Record<string, unknown>;
  property: string;
  reason: RegExp;
}

const CASES: Case[] = [
  {
    name: "no token, host from DATABRICKS_HOST",
    env: { DATABRICKS_HOST: WS },
    news: {},
    property: "",
    reason:
      /^no usable Databricks credentials: default auth: cannot configure default credentials.*Config: host=https:\/\/dbc-1\.cloud\.databricks\.com\. Env: DATABRICKS_HOST\. Set a token \(DATABRICKS_TOKEN\)/,
  },
  {
    name: "no token, host on the resource",
    env: {},
    news: { host: WS },
    property: "",
    reason: /^no usable Databricks credentials: .*Tried: pat \(not set: token\)/,
  },
  {
    name: "a connection's profile that does not exist",
    env: {},
    news: { host: WS, connection: { profile: "nope" } },
    property: "connection",
    reason: /^connection: no usable Databricks credentials: resolve: .*has no nope profile configured/,
  },
  {
    // The connection's own check names the field; no second failure with advice for another source follows.
    name: "a connection's token variable that is not set",
    env: { DATABRICKS_TOKEN: "dapi-x" },
    news: { host: WS, connection: { tokenEnvVar: "WS2_TOKEN" } },
    property: "connection.tokenEnvVar",
    reason: /^connection\.tokenEnvVar: environment variable WS2_TOKEN is not set/,
  },
  {
    name: "no host anywhere",
    env: { DATABRICKS_TOKEN: "dapi-x" },
    news: {},
    property: "",
    reason: /^no usable Databricks host: .*Credentials are set but no host is configured/,
  },
  {
    name: "an invalid host in DATABRICKS_HOST",
    env: { DATABRICKS_HOST: "ftp://x", DATABRICKS_TOKEN: "dapi-x" },
    news: {},
    property: "",
    reason: /^no usable Databricks host: invalid Databricks host "ftp:\/\/x" \(from DATABRICKS_HOST\)/,
  },
  {
    name: "an invalid host on the resource",
    env: { DATABRICKS_TOKEN: "dapi-x" },
    news: { host: "ftp://x" },
    property: "host",
    reason: /^host: no usable Databricks host: invalid Databricks host "ftp:\/\/x"/,
  },
  {
    name: "an invalid host on the connection",
    env: { DATABRICKS_TOKEN: "dapi-x" },
    news: { connection: { host: "ftp://x" } },
    property: "connection",
    reason: /^connection: no usable Databricks host: invalid/,
  },
  {
    name: "plain http from DATABRICKS_HOST",
    env: { DATABRICKS_HOST: "http://example.com", DATABRICKS_TOKEN: "dapi-x" },
    news: {},
    property: "",
    reason: /^'http:\/\/example\.com' \(from DATABRICKS_HOST\) uses plain http.*Use https:\/\/example\.com/,
  },
  {
    name: "plain http on the resource",
    env: { DATABRICKS_TOKEN: "dapi-x" },
    news: { host: "http://example.com" },
    property: "host",
    reason: /^host: 'http:\/\/example\.com' \(from the host of the resource or its connection\) uses plain http/,
  },
];

describe("check attributes a connection failure to the input at fault, or to none", () => {
  it.each(CASES)("$name → property '$property'", async ({ env, news, property, reason }) => {
    Object.assign(process.env, env);
    const r = await userLifecycle.check({}, { userName: "a@b.co", ...news });
    const failures = r.failures ?? [];
    const mine = failures.find((f) => reason.test(f.reason));
    expect(mine, JSON.stringify(failures)).toBeDefined();
    expect(mine!.property).toBe(property);
    // Nothing else, so nothing blames an input that is fine.
    expect(failures.filter((f) => f !== mine)).toEqual([]);
    expect(JSON.stringify(failures)).not.toContain("dapi-x");
  });
});
