import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../provider/plugin/config";
import { detailedDiff } from "../../../provider/plugin/detailedDiff";
import { registeredInputs } from "../../../provider/plugin/inputs";

describe("the plugin's detailed diff", () => {
  it("names each added and removed element of a set, and an index that lost one and gained another as replaced", () => {
    const d = detailedDiff(
      { entitlements: ["allow-cluster-create", "workspace-access"] },
      { entitlements: ["databricks-sql-access", "workspace-access", "allow-instance-pool-create"] },
      [],
    );
    expect(d).toEqual({
      "entitlements[0]": { kind: "update", replace: false },
      "entitlements[2]": { kind: "add", replace: false },
    });
  });

  it("shows a removed element as removed, not the elements after it as shifted (an engine diff by index would)", () => {
    expect(detailedDiff({ entitlements: ["allow-cluster-create", "workspace-access"] }, { entitlements: ["workspace-access"] }, [])).toEqual({
      "entitlements[0]": { kind: "delete", replace: false },
    });
  });

  it("names members by their label, and only the ones that change", () => {
    const d = detailedDiff({ members: { "alice@x.co": "1", "bob@x.co": "2" } }, { members: { "alice@x.co": "1", "carol@x.co": "3" } }, []);
    expect(d).toEqual({ 'members["bob@x.co"]': { kind: "delete", replace: false }, 'members["carol@x.co"]': { kind: "add", replace: false } });
  });

  it("names a collection's identities by their key, and the fields of a changed one; the SCIM id in the outputs is no change", () => {
    const olds = {
      users: {
        "alice@x.co": { id: "1", active: true, displayName: "Alice" },
        "bob@x.co": { id: "2", active: true, displayName: "Bob", entitlements: ["workspace-access"] },
        "dan@x.co": { id: "4", active: true },
      },
    };
    const news = {
      users: {
        "alice@x.co": { active: true, displayName: "Alice" },
        "bob@x.co": { active: true, displayName: "Robert", entitlements: ["workspace-access", "databricks-sql-access"], adopt: true },
        "carol@x.co": { active: true },
      },
    };
    expect(detailedDiff(olds, news, [])).toEqual({
      'users["dan@x.co"]': { kind: "delete", replace: false },
      'users["bob@x.co"].displayName': { kind: "update", replace: false },
      'users["bob@x.co"].entitlements[1]': { kind: "add", replace: false },
      'users["carol@x.co"]': { kind: "add", replace: false },
    });
    // The same for service principals, by applicationId; an unchanged map is no change at all.
    const sp = { servicePrincipals: { "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10": { active: true, displayName: "ci" } } };
    expect(detailedDiff({ servicePrincipals: { "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10": { id: "7", active: true, displayName: "ci" } } }, sp, [])).toEqual({});
    expect(detailedDiff({ servicePrincipals: {} }, sp, [])).toEqual({
      'servicePrincipals["6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10"]': { kind: "add", replace: false },
    });
  });

  it("compares only what the program sets, never adopt, and marks the kind's replacements", () => {
    const d = detailedDiff({ userName: "a@x.co", displayName: "A", adopt: false }, { userName: "b@x.co", adopt: true }, ["userName", "host"]);
    expect(d).toEqual({ userName: { kind: "update", replace: true }, host: { kind: "update", replace: true } });
  });
});

describe("the plugin's inputs and configuration", () => {
  it("passes GroupMembers' members map as the ids and labels check takes, with the resource's name", () => {
    expect(registeredInputs("groupMembers", "eng-members", { groupId: "9", members: { "alice@x.co": "1", "sp:ci": "2" } })).toEqual({
      groupId: "9",
      memberIds: ["1", "2"],
      scope: { resourceName: "eng-members", memberNames: ["alice@x.co", "sp:ci"] },
    });
  });

  it("names the setting and the fix, and never echoes a secret", () => {
    const failures = validateConfig({ level: "wrkspace", host: "ftp://x", token: "  ", spec: "{}" });
    expect(failures.map((f) => f.property)).toEqual(["level", "host", ""]);
    expect(failures[0]?.reason).toBe(
      'databricks-scim:level must be "workspace" or "account", got "wrkspace": `pulumi config set databricks-scim:level workspace`.',
    );
    expect(failures[1]?.reason).toMatch(/^databricks-scim:host is not a Databricks host: .*only http\(s\) URLs/);
    expect(failures[2]?.reason).toMatch(/^databricks-scim:token is empty: set it with `pulumi config set --secret databricks-scim:token …`/);
  });
});
