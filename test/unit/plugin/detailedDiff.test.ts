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
