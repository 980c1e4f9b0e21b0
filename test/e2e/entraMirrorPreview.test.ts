/**
 * What a reviewer reads in the Entra mirror's preview, through the real CLI against both emulators (one
 * process, `--graph`): each person named by userName (and said to be disabled where so), a leaver under
 * onLeave "deactivate" previewed as an update of `active` and a return as the reverse (not `- delete` /
 * `+ create`), a stack made before userName names kept without a change, and a failing mirror (missing Graph
 * permission, unknown tenant) printing its message and fix without "unhandled exception" or a stack trace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, listAll, output, REPO, runStack, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface GraphInfo {
  url: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caPath: string;
}

const ID = {
  alice: "d0000000-0000-4000-8000-000000000001",
  bob: "d0000000-0000-4000-8000-000000000002",
  carol: "d0000000-0000-4000-8000-000000000003",
  team: "e0000000-0000-4000-8000-000000000001",
};
const SEED = {
  users: [
    { id: ID.alice, displayName: "Alice", userPrincipalName: "alice@contoso.com" },
    { id: ID.bob, displayName: "Bob", userPrincipalName: "bob@contoso.com" },
    { id: ID.carol, displayName: "Carol", userPrincipalName: "carol@contoso.com", accountEnabled: false },
  ],
  groups: [{ id: ID.team, displayName: "Team", members: ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"] }],
};
const MIRROR = { model: "perIdentity", groups: [{ entraGroup: "Team", name: "team" }] };

let emu: RunningEmulator;
let graph: GraphInfo;
let agent: Agent;
let dir: string;
let base: StackOptions;

beforeAll(async () => {
  dir = workDir("entra-mirror-preview");
  const seedFile = path.join(dir, "graph-seed.json");
  fs.writeFileSync(seedFile, JSON.stringify(SEED));
  emu = await startEmulator(["--cloud", "azure", "--graph", "--graph-seed", seedFile]);
  graph = (emu as unknown as { graph: GraphInfo }).graph;
  agent = new Agent({ connect: { ca: fs.readFileSync(graph.caPath) } });
  base = {
    workDir: dir,
    stack: "people",
    program: path.join(REPO, "dist", "test", "programs", "entraMirror.js"),
    config: { mirror: JSON.stringify(MIRROR) },
    env: {
      DATABRICKS_HOST: emu.url,
      DATABRICKS_TOKEN: emu.tokens.admin,
      DATABRICKS_SCIM_GRAPH_URL: graph.url,
      AZURE_AUTHORITY_HOST: graph.authorityHost,
      ARM_CLIENT_ID: graph.clientId,
      ARM_CLIENT_SECRET: graph.clientSecret,
      ARM_TENANT_ID: graph.tenantId,
      NODE_EXTRA_CA_CERTS: graph.caPath,
    },
  };
});
afterAll(async () => {
  await agent?.close();
  await emu?.stop();
});

/** A Graph emulator test endpoint (/__emulator/…). */
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

/** The preview's resource lines (`+ … create`, `~ … update`, `- … delete`) and its diagnostics, as printed. */
function lines(text: string, pattern: RegExp): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .filter((l) => pattern.test(l));
}
const STEP = /^\s*[+~-]\s+pulumi-nodejs:dynamic\/scim:User\s/;

describe("the Entra mirror's preview, as a reviewer reads it", () => {
  it("names each person by userName, and says who is disabled", async () => {
    const preview = await runStack("preview", base);
    expectOk(preview);
    console.log(`entra preview, first run:\n${preview.stdout}`);
    for (const who of ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]) {
      expect(lines(preview.stdout, STEP).some((l) => l.includes(`entra-user-${who}`) && /\bcreate\b/.test(l))).toBe(true);
    }
    expect(lines(preview.stdout, STEP).join("\n")).not.toContain(ID.alice);
    expect(preview.stdout).toMatch(
      /Diagnostics:\n(.*\n)*?\s+pulumi-nodejs:dynamic\/scim:User \(entra-user-carol@contoso\.com\):\n\s+carol@contoso\.com: disabled in Entra \(accountEnabled false\), so inactive in Databricks\n/,
    );
    expect(preview.stdout).not.toMatch(/(alice|bob)@contoso\.com: disabled/);
    expectOk(await runStack("up", base));
    expect((await users()).get("carol@contoso.com")?.active).toBe(false);
  });

  it("a leaver (onLeave deactivate) previews as active true => false, a return as false => true", async () => {
    const before = await users();
    await entra("DELETE", "/__emulator/groups/Team/members/bob@contoso.com");
    const leave = await runStack("preview", base);
    expectOk(leave);
    console.log(`entra preview, bob left Team:\n${leave.stdout}`);
    expect(leave.result?.changeSummary).toMatchObject({ update: 2 }); // Bob, and Team's member list
    expect(leave.result?.changeSummary).not.toHaveProperty("delete");
    expect(lines(leave.stdout, STEP)).toContain(" ~  pulumi-nodejs:dynamic/scim:User entra-user-bob@contoso.com update [diff: ~active]");
    expect(leave.stdout).toMatch(
      /Diagnostics:\n(.*\n)*?\s+pulumi-nodejs:dynamic\/scim:User \(entra-user-bob@contoso\.com\):\n\s+bob@contoso\.com: in no mirrored group any more \(onLeave "deactivate"\): active true => false\n/,
    );
    const leaveDiff = await runStack("preview", { ...base, flags: ["--diff"] });
    expectOk(leaveDiff);
    console.log(`entra preview --diff, bob left Team:\n${leaveDiff.stdout}`);
    expect(leaveDiff.stdout).toMatch(
      /~ pulumi-nodejs:dynamic\/scim:User: \(update\)\n\s+\[id=\d+\]\n\s+\[urn=\S+::entra-user-bob@contoso\.com\]\n(\s+\[provider=.*\]\n)?\s+~ active: true => false\n/,
    );

    expectOk(await runStack("up", base));
    expect((await users()).get("bob@contoso.com")).toMatchObject({ id: before.get("bob@contoso.com")?.id, active: false });
    // Still declared, inactive: the next run changes nothing (no late `- delete`).
    expectOk(await runStack("preview", { ...base, flags: ["--expect-no-changes"] }));

    await entra("POST", "/__emulator/groups/Team/members", { members: ["bob@contoso.com"] });
    const back = await runStack("preview", base);
    expectOk(back);
    console.log(`entra preview, bob back in Team:\n${back.stdout}`);
    expect(back.result?.changeSummary).toMatchObject({ update: 2 });
    expect(back.result?.changeSummary).not.toHaveProperty("create");
    expect(lines(back.stdout, STEP)).toContain(" ~  pulumi-nodejs:dynamic/scim:User entra-user-bob@contoso.com update [diff: ~active]");
    expect(back.stdout).toMatch(/\s+bob@contoso\.com: back in a mirrored group: active false => true\n/);
    const backDiff = await runStack("preview", { ...base, flags: ["--diff"] });
    expectOk(backDiff);
    console.log(`entra preview --diff, bob back in Team:\n${backDiff.stdout}`);
    expect(backDiff.stdout).toMatch(/\[urn=\S+::entra-user-bob@contoso\.com\]\n(\s+\[provider=.*\]\n)?\s+~ active: false => true\n/);
    expectOk(await runStack("up", base));
    expect((await users()).get("bob@contoso.com")).toMatchObject({ id: before.get("bob@contoso.com")?.id, active: true });
  });

  it("a stack whose users were named by Entra object id (before userName names) previews no change", async () => {
    const exported = await runStack("export", base);
    expectOk(exported);
    let state = JSON.stringify(exported.result);
    for (const [who, id] of [
      ["alice@contoso.com", ID.alice],
      ["bob@contoso.com", ID.bob],
      ["carol@contoso.com", ID.carol],
    ]) {
      state = state.split(`User::entra-user-${who}"`).join(`User::entra-user-${id}"`);
    }
    expect(state).toContain(`User::entra-user-${ID.alice}"`);
    const file = path.join(dir, "object-id-names.json");
    fs.writeFileSync(file, state);
    expectOk(await runStack("import", { ...base, flags: ["--state", file] }));
    const preview = await runStack("preview", { ...base, flags: ["--expect-no-changes"] });
    expectOk(preview);
    expect(preview.stdout).not.toMatch(/\bdelete\b|\bcreate\b/);
  });

  it("a failing mirror prints its message and the fix, not 'unhandled exception' and a stack trace", async () => {
    const noStack = (text: string) => {
      expect(text).not.toMatch(/unhandled exception/i);
      expect(text).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      expect(text).not.toContain(graph.clientSecret);
    };
    await entra("PATCH", `/__emulator/apps/${graph.clientId}`, { permissions: ["User.Read.All", "Application.Read.All"] });
    try {
      const denied = await runStack("preview", base);
      expect(denied.code).not.toBe(0);
      console.log(`entra preview, missing permission:\n${output(denied)}`);
      expect(output(denied)).toMatch(
        /Microsoft Graph refused to read groups named 'Team': 403 Authorization_RequestDenied.*Grant the application the Microsoft Graph application permission GroupMember\.Read\.All/,
      );
      noStack(output(denied));

      // DEBUG set: the stack is there for whoever asks for it.
      const debug = await runStack("preview", { ...base, env: { ...base.env, DEBUG: "1" } });
      expect(debug.code).not.toBe(0);
      expect(output(debug)).toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    } finally {
      await entra("PATCH", `/__emulator/apps/${graph.clientId}`, { permissions: ["GroupMember.Read.All", "User.Read.All", "Application.Read.All"] });
    }

    const badTenant = await runStack("preview", { ...base, env: { ...base.env, ARM_TENANT_ID: "00000000-0000-4000-8000-00000000dead" } });
    expect(badTenant.code).not.toBe(0);
    console.log(`entra preview, unknown tenant:\n${output(badTenant)}`);
    expect(output(badTenant)).toMatch(/Microsoft Graph: cannot get a token .*endpoints_resolution_error/);
    expect(output(badTenant)).toMatch(/Check the credentials: the tenant \(ARM_TENANT_ID/);
    noStack(output(badTenant));
  });

  it("a UPN changed in Entra: the new userName previews as a create, the old user as active true => false", async () => {
    await entra("PATCH", "/__emulator/objects/alice@contoso.com", { userPrincipalName: "alice.smith@contoso.com" });
    const preview = await runStack("preview", base);
    expectOk(preview);
    console.log(`entra preview, alice's UPN changed:\n${preview.stdout}`);
    expect(preview.result?.changeSummary).not.toHaveProperty("delete");
    expect(lines(preview.stdout, STEP)).toEqual(
      expect.arrayContaining([
        " +  pulumi-nodejs:dynamic/scim:User entra-user-alice.smith@contoso.com create",
        " ~  pulumi-nodejs:dynamic/scim:User entra-user-alice@contoso.com update [diff: ~active]",
      ]),
    );
    expect(preview.stdout).toMatch(
      /\s+alice@contoso\.com: renamed in Entra to alice\.smith@contoso\.com, a new Databricks user \(onLeave "deactivate"\): active true => false\n/,
    );
    expectOk(await runStack("up", base));
    const after = await users();
    expect([after.get("alice@contoso.com")?.active, after.get("alice.smith@contoso.com")?.active]).toEqual([false, true]);
    expectOk(await runStack("preview", { ...base, flags: ["--expect-no-changes"] }));
  });
});
