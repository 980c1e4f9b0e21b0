/**
 * The Entra mirror's default model, one ScimUsers and one ScimServicePrincipals for everyone, through the real
 * CLI against both emulators (one process, `--graph`): the preview names each person (who joins, who is
 * disabled), a leaver under onLeave "deactivate" is an update of `active` under their key and a return the
 * reverse, one person whose change fails fails the run naming them while the others are applied, and a stack made
 * with one resource per person switches to the collections in two runs without one DELETE or user PATCH (the
 * emulator's request log), every person keeping their SCIM id and staying active.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, listAll, output, REPO, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface GraphInfo {
  url: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caPath: string;
}

const ID = {
  alice: "f0000000-0000-4000-8000-000000000001",
  bob: "f0000000-0000-4000-8000-000000000002",
  carol: "f0000000-0000-4000-8000-000000000003",
  dora: "f0000000-0000-4000-8000-000000000004",
  bot: "f1000000-0000-4000-8000-000000000001",
  team: "f2000000-0000-4000-8000-000000000001",
  ops: "f2000000-0000-4000-8000-000000000002",
};
const BOT_APP = "7a8b7c6d-0000-4000-8000-000000000009";
const SEED = {
  users: [
    { id: ID.alice, displayName: "Alice", userPrincipalName: "alice@contoso.com" },
    { id: ID.bob, displayName: "Bob", userPrincipalName: "bob@contoso.com" },
    { id: ID.carol, displayName: "Carol", userPrincipalName: "carol@contoso.com", accountEnabled: false },
    { id: ID.dora, displayName: "Dora", userPrincipalName: "dora@contoso.com" },
  ],
  servicePrincipals: [{ id: ID.bot, displayName: "ops-bot", appId: BOT_APP }],
  groups: [
    { id: ID.team, displayName: "Team", members: ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"] },
    { id: ID.ops, displayName: "Ops", members: ["dora@contoso.com", "ops-bot"] },
  ],
};

let emu: RunningEmulator;
let graph: GraphInfo;
let agent: Agent;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = workDir("entra-mirror-collection");
  const seedFile = path.join(dir, "graph-seed.json");
  fs.writeFileSync(seedFile, JSON.stringify(SEED));
  emu = await startEmulator(["--cloud", "azure", "--graph", "--graph-seed", seedFile]);
  graph = (emu as unknown as { graph: GraphInfo }).graph;
  agent = new Agent({ connect: { ca: fs.readFileSync(graph.caPath) } });
  env = {
    DATABRICKS_HOST: emu.url,
    DATABRICKS_TOKEN: emu.tokens.admin,
    DATABRICKS_SCIM_GRAPH_URL: graph.url,
    AZURE_AUTHORITY_HOST: graph.authorityHost,
    ARM_CLIENT_ID: graph.clientId,
    ARM_CLIENT_SECRET: graph.clientSecret,
    ARM_TENANT_ID: graph.tenantId,
    NODE_EXTRA_CA_CERTS: graph.caPath,
  };
});
afterAll(async () => {
  await agent?.close();
  await emu?.stop();
});

const stack = (name: string, mirror: Record<string, unknown>): StackOptions => ({
  workDir: dir,
  stack: name,
  program: path.join(REPO, "dist", "test", "programs", "entraMirror.js"),
  config: { mirror: JSON.stringify(mirror) },
  env,
});

async function entra(method: string, p: string, body?: unknown): Promise<void> {
  const r = await fetch(`${graph.url}${p}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent,
  });
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
}

interface User {
  id: string;
  userName: string;
  active: boolean;
}
async function users(): Promise<Map<string, User>> {
  return new Map((await listAll<User>(emu, "Users?attributes=userName,active")).map((u) => [u.userName, u]));
}
interface Logged {
  method: string;
  path: string;
}
async function requests(): Promise<Logged[]> {
  return ((await (await fetch(`${emu.url}/__emulator/requests`)).json()) as { requests: Logged[] }).requests;
}
async function resetRequests(): Promise<void> {
  await fetch(`${emu.url}/__emulator/reset-stats`, { method: "POST" });
}

describe("the Entra mirror's collections (the default model)", () => {
  let team: StackOptions;
  beforeAll(() => {
    team = stack("team", { groups: [{ entraGroup: "Team", name: "team" }] });
  });

  it("a new stack uses the collections; the preview names who joins and who is disabled", async () => {
    const preview = await runStack("preview", team);
    expectOk(preview);
    console.log(`entra collection preview, first run:\n${preview.stdout}`);
    expect(preview.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/scim:Users entra-users create/);
    expect(preview.stdout).not.toMatch(/dynamic\/scim:User entra-user-/);
    expect(preview.stdout).toMatch(
      /pulumi-nodejs:dynamic\/scim:Users \(entra-users\):\n\s+3 join: alice@contoso\.com, bob@contoso\.com, carol@contoso\.com\n\s+carol@contoso\.com: disabled in Entra \(accountEnabled false\), so inactive in Databricks\n/,
    );
    const diff = await runStack("preview", { ...team, flags: ["--diff"] });
    expectOk(diff);
    // A create lists every key of the map: each person by userName, with the fields the mirror sets.
    for (const who of ["alice", "bob", "carol"])
      expect(diff.stdout).toMatch(new RegExp(`^\\s+${who}@contoso\\.com\\s*: \\{\\n\\s+active\\s+: (true|false)\\n`, "m"));
    const up = await runStack("up", team);
    expectOk(up);
    expect(up.result?.outputs).toMatchObject({ model: { value: "collection" } });
    const now = await users();
    expect([now.get("alice@contoso.com")?.active, now.get("carol@contoso.com")?.active]).toEqual([true, false]);
    expectOk(await runStack("preview", { ...team, flags: ["--expect-no-changes"] }));
  });

  it("a leaver previews as active true => false under their key, a return as false => true", async () => {
    const before = await users();
    await entra("DELETE", "/__emulator/groups/Team/members/bob@contoso.com");
    const leave = await runStack("preview", { ...team, flags: ["--diff"] });
    expectOk(leave);
    console.log(`entra collection preview --diff, bob left Team:\n${leave.stdout}`);
    expect(leave.result?.changeSummary).not.toHaveProperty("delete");
    expect(leave.stdout).toMatch(/~ bob@contoso\.com\s*: \{\n\s+~ active: true => false\n\s+\}/);
    // Bob leaves Team's member list, but stays among the users (no `- bob@contoso.com: {` under `users`).
    expect(leave.stdout).toMatch(/- bob@contoso\.com\s*: "\d+"/);
    expect(leave.stdout).not.toMatch(/- bob@contoso\.com\s*: \{/);
    const leavePlain = await runStack("preview", team);
    expectOk(leavePlain);
    expect(leavePlain.stdout).toMatch(/bob@contoso\.com: in no mirrored group any more \(onLeave "deactivate"\): active true => false/);
    expectOk(await runStack("up", team));
    expect((await users()).get("bob@contoso.com")).toMatchObject({ id: before.get("bob@contoso.com")?.id, active: false });
    expectOk(await runStack("preview", { ...team, flags: ["--expect-no-changes"] }));

    await entra("POST", "/__emulator/groups/Team/members", { members: ["bob@contoso.com"] });
    const back = await runStack("preview", { ...team, flags: ["--diff"] });
    expectOk(back);
    console.log(`entra collection preview --diff, bob back in Team:\n${back.stdout}`);
    expect(back.result?.changeSummary).not.toHaveProperty("create");
    expect(back.stdout).toMatch(/~ bob@contoso\.com\s*: \{\n\s+~ active: false => true\n\s+\}/);
    const backPlain = await runStack("preview", team);
    expectOk(backPlain);
    expect(backPlain.stdout).toMatch(/bob@contoso\.com: back in a mirrored group: active false => true/);
    expectOk(await runStack("up", team));
    expect((await users()).get("bob@contoso.com")).toMatchObject({ id: before.get("bob@contoso.com")?.id, active: true });
  });

  it("one person whose change fails fails the run naming them; the others are applied; the next run converges", async () => {
    const ops = stack("ops", { groups: [{ entraGroup: "Ops", name: "ops" }] });
    expectOk(await runStack("up", ops));
    // Dora is deleted in the console, then leaves Ops in Entra (her deactivation has no one to PATCH); Alice joins.
    const dora = (await users()).get("dora@contoso.com") as User;
    expect((await scim(emu, "DELETE", `/Users/${dora.id}`)).status).toBe(204);
    await entra("DELETE", "/__emulator/groups/Ops/members/dora@contoso.com");
    await entra("POST", "/__emulator/groups/Ops/members", { members: ["alice@contoso.com"] });
    const up = await runStack("up", ops);
    console.log(`entra collection up, one failing:\n${output(up)}`);
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/1 of 2 users could not be updated\. The other 1 user was updated and is recorded in the state/);
    expect(output(up)).toMatch(/users\["dora@contoso\.com"\]: /);
    expect(output(up)).not.toMatch(/unhandled exception/i);
    // The next run (reading Databricks first) converges: Dora is gone, the rest as declared.
    expectOk(await runStack("refresh", ops));
    expectOk(await runStack("up", ops));
    expectOk(await runStack("preview", { ...ops, flags: ["--expect-no-changes"] }));
  });

  it("a stack with one resource per person switches to the collections without one DELETE or user PATCH", async () => {
    const mirror = { groups: [{ entraGroup: "Team", name: "team2" }], nestedGroupPrefix: "" };
    const old = stack("switch", { ...mirror, model: "perIdentity" });
    expectOk(await runStack("up", old));
    const before = await users();
    // Without model, an existing per-person stack keeps its model (and says how to switch).
    const kept = await runStack("preview", { ...stack("switch", mirror), flags: ["--expect-no-changes"] });
    expectOk(kept);
    expect(kept.stdout).toMatch(/declares one resource per person \(\d+\), so it keeps doing so; set model: "collection"/);

    await resetRequests();
    const sw = stack("switch", { ...mirror, model: "collection" });
    const first = await runStack("preview", sw);
    expectOk(first);
    console.log(`entra switch, first preview:\n${first.stdout}`);
    expect(first.result?.changeSummary).not.toHaveProperty("delete");
    expectOk(await runStack("up", sw));
    const second = await runStack("preview", sw);
    expectOk(second);
    console.log(`entra switch, second preview:\n${second.stdout}`);
    expect(second.stdout).toMatch(/-\s+pulumi-nodejs:dynamic\/scim:User entra-user-alice@contoso\.com delete\[retain\]/);
    expectOk(await runStack("up", sw));
    const log = await requests();
    expect(log.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(log.filter((r) => r.method === "PATCH" && /\/Users\//.test(r.path))).toEqual([]);
    const after = await users();
    for (const who of ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"])
      expect(after.get(who)).toMatchObject({ id: before.get(who)?.id, active: before.get(who)?.active });
    const exported = await runStack("export", sw);
    expect(JSON.stringify(exported.result)).not.toMatch(/scim:User::entra-user-/);
    expect(JSON.stringify(exported.result)).toMatch(/scim:Users::entra-users/);
    expectOk(await runStack("preview", { ...sw, flags: ["--expect-no-changes"] }));
    // Back to one resource per person would deactivate everyone as the collections are deleted: refused at preview.
    await resetRequests();
    const back = await runStack("preview", { ...stack("switch", { ...mirror, model: "perIdentity" }) });
    expect(back.code).not.toBe(0);
    expect(output(back)).toMatch(
      /model: "perIdentity": this stack's mirror declares its people in collections .* would deactivate everyone in them\. Keep model: "collection"/,
    );
    expect((await requests()).filter((r) => r.method !== "GET")).toEqual([]);
  });
});
