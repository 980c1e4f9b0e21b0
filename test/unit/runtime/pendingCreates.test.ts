import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreateJournalStore, journalKey } from "../../../provider/runtime/createJournal";
import { notePendingCreates, pendingCreates, type ExportedStack } from "../../../provider/runtime/pendingCreates";

const HOST = "http://127.0.0.1:9";
const T = "pulumi-nodejs:dynamic/scim:";
/** The dead run's last checkpoint: an hour ago (journal entries expire after a day). */
const CHECKPOINT = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString();
const urn = (type: string, name: string) => `urn:pulumi:dev::infra::${T}${type}::${name}`;

function exported(): ExportedStack {
  return {
    deployment: {
      manifest: { time: CHECKPOINT },
      resources: [
        { urn: urn("ServicePrincipal", "old"), type: `${T}ServicePrincipal`, id: "77", outputs: { displayName: "etl", host: HOST } },
        { urn: urn("User", "done"), type: `${T}User`, id: "5", inputs: { host: HOST, level: "workspace", userName: "done@x.co" } },
      ],
      pending_operations: [
        { type: "creating", resource: { urn: urn("User", "alice"), type: `${T}User`, inputs: { host: HOST, level: "workspace", userName: "Alice@X.co" } } },
        {
          type: "creating",
          resource: { urn: urn("Group", "eng"), type: `${T}Group`, inputs: { host: HOST, level: "account", accountId: "a1", displayName: "eng" } },
        },
        {
          type: "creating",
          resource: { urn: urn("ServicePrincipal", "etl2"), type: `${T}ServicePrincipal`, inputs: { host: HOST, level: "workspace", displayName: "etl" } },
        },
        { type: "creating", resource: { urn: urn("GroupMembership", "m"), type: `${T}GroupMembership`, inputs: { host: HOST, level: "workspace" } } },
        { type: "updating", resource: { urn: urn("User", "bob"), type: `${T}User`, inputs: { host: HOST, level: "workspace", userName: "bob@x.co" } } },
        // Created since (in the state's resources): the engine keeps the pending create until a refresh clears it.
        { type: "creating", resource: { urn: urn("User", "done"), type: `${T}User`, inputs: { host: HOST, level: "workspace", userName: "done@x.co" } } },
      ],
    },
  };
}

let dir: string;
/** The journal of a process in the project folder (DATABRICKS_SCIM_JOURNAL pointing into `dir`). */
const journal = () => new CreateJournalStore(path.join(dir, "creates.jsonl"), "infra");
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pending-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("pending creates of an exported state", () => {
  it("keeps only creates of users, groups and service principals not in the state, keyed as the provider keys them", () => {
    const found = pendingCreates(exported());
    expect(found.map((p) => [p.kind, p.naturalKey])).toEqual([
      ["user", "Alice@X.co"],
      ["group", "eng"],
      ["servicePrincipal", "name:etl"],
    ]);
    // The key the provider computes at create time, with the project from the URN (PULUMI_PROJECT there).
    expect(found[0]!.key).toBe(journalKey({ host: HOST, level: "workspace" }, "user", "alice@x.co", "infra"));
    expect(found[1]!.key).toBe(journalKey({ host: HOST, level: "account", accountId: "a1" }, "group", "eng", "infra"));
    // A principal by name: the state's principals with that name are never the dead run's object.
    expect(found[2]!.before).toEqual(["77"]);
  });

  it("notes them in the journal as POSTs without a seen answer, dated at the state's last checkpoint", () => {
    notePendingCreates(journal(), exported());
    const next = journal(); // as the next `up`'s provider process reads it
    const key = journalKey({ host: HOST, level: "workspace" }, "servicePrincipal", "name:etl", "infra");
    expect(next.prior(key)).toEqual({ at: Date.parse(CHECKPOINT), event: "posting", id: undefined, before: ["77"] });
    expect(next.prior(journalKey({ host: HOST, level: "workspace" }, "user", "bob@x.co", "infra"))).toBeUndefined();
  });

  it("reads a pending create without a level as at workspace level (inputs as the pairstate branch stored them)", () => {
    // That branch left the default level out of the stored inputs; recovery then noted nothing and the next `up`
    // made a second service principal of the same name (test/e2e/interruptedSigint.test.ts).
    const state: ExportedStack = {
      deployment: {
        pending_operations: [
          { type: "creating", resource: { urn: urn("ServicePrincipal", "etl"), type: `${T}ServicePrincipal`, inputs: { host: HOST, displayName: "etl" } } },
        ],
      },
    };
    const found = pendingCreates(state);
    expect(found.map((p) => p.key)).toEqual([journalKey({ host: HOST, level: "workspace" }, "servicePrincipal", "name:etl", "infra")]);
  });
});
