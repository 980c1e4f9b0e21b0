/**
 * The shadow-group refusal through the real engine (issue 22, item 1): one program declares an account group and
 * a workspace-level ScimGroup of the same name for an identity-federated workspace of that account. Before, which
 * one the engine created first decided whether the workspace-local group was made silently (2 runs in 3). Now
 * check refuses it: `pulumi preview` fails with the message every run, at --parallel 1 and 16, whichever of the
 * two the program declares first, and sends nothing. `pulumi up` runs that same preview first and stops there;
 * this harness's `up` is the Automation API's, which skips the preview (checks and creates interleave, and at
 * --parallel 1 the engine checks the next resource only after the previous create), and it creates neither
 * group either. After each run the emulator's state is read through its inspection API (GET /__emulator/dump).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessSpec } from "../programs/workspaceAccess";
import { REPO, output, requestLog, resetStats, runStack, specOptions, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

const PROGRAM = `${REPO}/dist/test/programs/workspaceAccess.js`;
const NAME = "shadowed-engineers";

interface Workspace {
  id: string;
  url: string;
  federated?: boolean;
}
interface DumpedGroup {
  displayName?: string;
  meta?: { resourceType?: string };
}
interface Dump {
  account: { Groups: DumpedGroup[] };
  workspaces: Record<string, { federated: boolean; Groups: DumpedGroup[] }>;
}

let emu: RunningEmulator;
let ws: Workspace;
let opts: StackOptions;

beforeAll(async () => {
  emu = await startEmulator(["--workspaces", "1"]);
  ws = (emu as unknown as { workspaces: Workspace[] }).workspaces[0]!;
  opts = { workDir: workDir("shadow-group"), program: PROGRAM, env: { ACCOUNT_TOKEN: emu.tokens.accountAdmin, WS_TOKEN: emu.tokens.admin } };
});

afterAll(async () => {
  await emu?.stop();
});

/** The one-program case; `workspaceFirst` decides which of the two the program declares (and registers) first. */
function program(workspaceFirst: boolean): AccessSpec {
  const account = { connection: "account", displayName: NAME };
  const local = { connection: "ws", displayName: NAME };
  return {
    connections: {
      account: { host: emu.url, level: "account", accountId: emu.accountId, tokenEnvVar: "ACCOUNT_TOKEN" },
      ws: { host: ws.url, tokenEnvVar: "WS_TOKEN" },
    },
    groups: workspaceFirst ? { "eng-local": local, eng: account } : { eng: account, "eng-local": local },
  };
}

/** The groups of that name in the workspace's SCIM (with their kind) and in the account, from the emulator's dump. */
async function groupsNamed(): Promise<{ workspace: string[]; account: number }> {
  const dump = (await (await fetch(`${emu.url}/__emulator/dump`)).json()) as Dump;
  const inWs = dump.workspaces[ws.id];
  expect(inWs?.federated).toBe(true);
  return {
    workspace: (inWs?.Groups ?? []).filter((g) => g.displayName === NAME).map((g) => g.meta?.resourceType ?? "?"),
    account: dump.account.Groups.filter((g) => g.displayName === NAME).length,
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The message, on one line of the CLI's output: both resources, the field, and the fix. */
function message(): RegExp {
  return new RegExp(
    escape(
      `displayName: ScimGroup 'eng-local' (workspace level) and ScimGroup 'eng' (account level) are both named '${NAME}'. ` +
        "In an identity-federated workspace, a workspace-level ScimGroup is a separate workspace-local group",
    ) +
      "[^\\n]*" +
      escape("give ScimGroup 'eng' access to the workspace with WorkspaceAssignment") +
      "[^\\n]*" +
      escape("set workspaceLocal: true on ScimGroup 'eng-local'"),
  );
}

describe("an account group and a workspace-level ScimGroup of one name, in one program", () => {
  it.each([1, 16])("preview at --parallel %i, ten times: fails with the message every time, and nothing is sent", async (parallel) => {
    const wrong: string[] = [];
    for (let run = 0; run < 10; run++) {
      await resetStats(emu);
      const r = await runStack("preview", specOptions(opts, program(run % 2 === 0), { flags: ["--parallel", String(parallel)] }));
      const text = output(r);
      if (r.code === 0) wrong.push(`run ${run}: the preview passed`);
      else if (!message().test(text)) wrong.push(`run ${run}: no message in:\n${text.slice(-2000)}`);
      const writes = (await requestLog(emu)).filter((q) => q.method !== "GET");
      if (writes.length > 0) wrong.push(`run ${run}: ${writes.map((q) => `${q.method} ${q.path}`).join(", ")}`);
      expect(await groupsNamed()).toEqual({ workspace: [], account: 0 });
    }
    expect(wrong).toEqual([]);
  });

  it.each([1, 16])("up without a preview at --parallel %i, four times: fails with the message, and neither group is created", async (parallel) => {
    const wrong: string[] = [];
    for (let run = 0; run < 4; run++) {
      const r = await runStack("up", specOptions(opts, program(run % 2 === 0), { flags: ["--parallel", String(parallel)] }));
      const text = output(r);
      if (r.code === 0) wrong.push(`run ${run}: the up passed`);
      else if (!message().test(text)) wrong.push(`run ${run}: no message in:\n${text.slice(-2000)}`);
      const found = await groupsNamed();
      if (found.workspace.length > 0 || found.account > 0) wrong.push(`run ${run}: created ${JSON.stringify(found)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("the fix the message gives goes through: the account group, given access with WorkspaceAssignment", async () => {
    const fixed: AccessSpec = {
      ...program(true),
      groups: { eng: { connection: "account", displayName: NAME } },
      assignments: { "eng-ws": { principal: "eng", connection: "ws", permissions: ["USER"] } },
    };
    const up = await runStack("up", specOptions(opts, fixed));
    expect(up.code, output(up)).toBe(0);
    // In the workspace: the account group (resourceType "Group"), and no workspace-local one.
    expect(await groupsNamed()).toEqual({ workspace: ["Group"], account: 1 });
    const down = await runStack("destroy", specOptions(opts, fixed));
    expect(down.code, output(down)).toBe(0);
    expect(await groupsNamed()).toEqual({ workspace: [], account: 0 });
  });
});
