/**
 * Taking over a large workspace as collections (issue 21 item 2), through the real pulumi CLI and a real emulator
 * process: 300 users and 3 service principals made "in the admin console" (raw SCIM); `databricks-scim-import
 * --identities collection --stack` writes one ScimUsers keyed by userName, one ScimServicePrincipals keyed by
 * applicationId and the GroupMembers that take members from `people.idOf(…)`, plus the state; the next preview
 * shows no changes and `up` sends no write; a change in the program shows by userName; `auto` picks collections
 * at this size and keeps the stack's shape; an explicit switch to resources is refused, since the module without
 * the collection would make `up` delete every user. (brownfield.test.ts: `auto` on a small workspace writes
 * one resource per identity.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COLLECTION_THRESHOLD } from "../../provider/import/plan";
import { expectOk, output, patchOp, requestLog, resetStats, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";
import { programCalling, runImporter } from "./importer";

const COUNT = 300;
const nameOf = (i: number) => `user-${String(i).padStart(4, "0")}@example.com`;
const APP = (i: number) => `0c6f3a1e-1d2b-4c5e-8f70-9a1b2c3d4e${String(i).padStart(2, "0")}`;

let emu: RunningEmulator;
let dir: string;
let opts: StackOptions;
const ids: Record<string, string> = {};
const moduleFile = () => path.join(dir, "identities.ts");
const importer = (args: string[]) => runImporter(dir, emu, args);

async function post(kind: string, body: Record<string, unknown>): Promise<string> {
  const r = await scim<{ id: string }>(emu, "POST", `/${kind}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  expect(COUNT).toBeGreaterThanOrEqual(COLLECTION_THRESHOLD); // so that `auto` must pick collections
  emu = await startEmulator([]); // Azure: service principals carry the program's applicationId
  dir = workDir("brownfield-collection");
  opts = { workDir: dir, env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  for (let i = 0; i < COUNT; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, COUNT - i) }, async (_, j) => {
        const n = i + j;
        ids[nameOf(n)] = await post("Users", {
          userName: nameOf(n),
          ...(n % 3 === 0 ? { displayName: `User ${n}` } : {}),
          ...(n % 7 === 0 ? { entitlements: [{ value: "databricks-sql-access" }] } : {}),
        });
      }),
    );
  }
  ids.okta = await post("Users", { userName: "okta-person@example.com", externalId: "okta-1" });
  for (let i = 0; i < 3; i++) ids[APP(i)] = await post("ServicePrincipals", { applicationId: APP(i), displayName: `robot ${i}` });
  ids.eng = await post("Groups", {
    displayName: "engineers",
    members: [...Array.from({ length: 50 }, (_, i) => ({ value: ids[nameOf(i)] })), { value: ids[APP(0)] }, { value: ids.okta }],
  });
  ids.ops = await post("Groups", { displayName: "ops", members: [{ value: ids[nameOf(1)] }, { value: ids[APP(1)] }] });
  const stub = path.join(dir, "empty.js");
  fs.writeFileSync(stub, "exports.default = async () => {};\n");
  expectOk(await runStack("config", { ...opts, program: stub }));
});

afterAll(async () => {
  await emu?.stop();
});

describe("taking over a large workspace as collections", () => {
  it("auto picks collections at this size (without --stack: the module only)", async () => {
    const run = await importer(["--out", "auto.ts", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(dir, "auto.ts"), "utf8");
    expect(text).toContain(`const people = new ScimUsers("users", {`);
    expect(text).not.toContain("new ScimUser(");
    expect(run.stdout).toContain(`${COUNT + 2} users in one ScimUsers`); // and the emulator's own two (its tokens' admin and user)
    // The group everyone is in: Databricks adds each principal itself, so no pair per member.
    expect(text).not.toContain(`lookups.groups["users"]`);
  });

  it("--identities collection --stack: the module and the state; the next preview shows 0 changes, up makes no write", async () => {
    await resetStats(emu);
    const run = await importer(["--out", "identities.ts", "--stack", "test", "--identities", "collection", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect((await requestLog(emu)).filter((r) => r.method !== "GET")).toEqual([]);
    const text = fs.readFileSync(moduleFile(), "utf8");
    expect(text).toContain(`      "user-0000@example.com": { displayName: "User 0", active: true, entitlements: ["databricks-sql-access"] },`);
    expect(text).toContain(`      "user-0001@example.com": { active: true, entitlements: [] },`);
    expect(text).toContain(`const robots = new ScimServicePrincipals("servicePrincipals", {`);
    expect(text).toContain(`      "${APP(2)}": { displayName: "robot 2", active: true, entitlements: [] },`);
    expect(text).toContain(
      `new GroupMembers("members:ops", { ...target, group: groups["ops"]!, members: [robots.idOf("${APP(1)}"), people.idOf("user-0001@example.com")] });`,
    );
    // IdP-owned: a lookup, as in resources mode.
    expect(text).toMatch(/"okta-person@example.com": "\d+", \/\/ owned by an identity provider/);
    expect(text).toContain(`lookups.users["okta-person@example.com"]!`);
    // users, servicePrincipals, 2 groups, 2 GroupMembers, the admin's pair in admins
    expect(run.stdout).toMatch(/stack test: 7 added, 0 updated, 0 unchanged/);

    const program = programCalling(dir, moduleFile());
    const preview = await runStack("preview", { ...opts, program, flags: ["--expect-no-changes"] });
    expectOk(preview);
    expect(preview.result?.changeSummary, output(preview)).toEqual({ same: 8 }); // and the stack
    await resetStats(emu);
    const up = await runStack("up", { ...opts, program });
    expectOk(up);
    expect(
      (await requestLog(emu)).filter((r) => r.method !== "GET"),
      output(up),
    ).toEqual([]);
  });

  it("a change in the program shows by userName", async () => {
    const text = fs.readFileSync(moduleFile(), "utf8");
    const edited = text.replace(
      `"user-0004@example.com": { active: true, entitlements: [] },`,
      `"user-0004@example.com": { displayName: "Dee", active: true, entitlements: [] },`,
    );
    expect(edited).not.toBe(text);
    fs.writeFileSync(moduleFile(), edited);
    const preview = await runStack("preview", { ...opts, program: programCalling(dir, moduleFile()), flags: ["--diff"] });
    expectOk(preview);
    const users = /~ pulumi-nodejs:dynamic\/scim:Users: \(update\)[\s\S]*?(?=\n\s*[~+-]+ pulumi-nodejs:|\nResources:)/.exec(preview.stdout)?.[0] ?? "";
    expect(users, preview.stdout).toMatch(/~ users\s*: \{\s*~ user-0004@example\.com\s*: \{\s*\+ displayName: "Dee"\s*\}\s*\}/);
    // Only that user is named in the collection's diff.
    expect(users.match(/[~+-] user-\d{4}@example\.com/g)).toEqual(["~ user-0004@example.com"]);
    // The collection's ids are not known in a preview that updates it (lifecycle/collection.ts: the engine hands the
    // program the new inputs), so what takes members from it previews with [unknown] ids; `up` then finds the same
    // ids and makes one write, the user's PATCH: no membership is touched.
    await resetStats(emu);
    const up = await runStack("up", { ...opts, program: programCalling(dir, moduleFile()) });
    expectOk(up);
    const writes = (await requestLog(emu)).filter((r) => r.method !== "GET");
    expect(
      writes.map((r) => `${r.method} ${r.path}`),
      output(up),
    ).toEqual([`PATCH /api/2.0/preview/scim/v2/Users/${ids["user-0004@example.com"]}`]);
  });

  it("a rerun (auto) keeps the collections; an explicit switch to resources is refused and writes nothing", async () => {
    const refused = await importer(["--out", "identities.ts", "--stack", "test", "--identities", "resources", "--force", "--quiet"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--identities resources: stack test holds the identities of an earlier import as collections (users, servicePrincipals)");
    expect(refused.stderr).toContain("Rerun with --identities collection");
    ids.new = await post("Users", { userName: "zed@example.com" });
    await scim(emu, "PATCH", `/Groups/${ids.ops}`, patchOp({ op: "add", path: "members", value: [{ value: ids.new }] }));
    const run = await importer(["--out", "identities.ts", "--stack", "test", "--force", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 added, 2 updated, 5 unchanged/); // users (zed), members:ops
    const text = fs.readFileSync(moduleFile(), "utf8");
    expect(text).toContain(`      "zed@example.com": { active: true, entitlements: [] },`);
    expect(text).toContain(`people.idOf("zed@example.com")`);
    expectOk(await runStack("preview", { ...opts, program: programCalling(dir, moduleFile()), flags: ["--expect-no-changes"] }));
  });
});
