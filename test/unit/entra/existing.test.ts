import { describe, expect, it } from "vitest";
import { checkExistingGroups } from "../../../provider/entra/existing";
import type { ExistingGroup } from "../../../provider/entra/existing";
import type { PlannedGroup } from "../../../provider/entra/plan";

const planned = (displayName: string, entraId: string, adoptUnmanaged = false): PlannedGroup => ({
  key: `group-${entraId}`,
  entraId,
  displayName,
  entraName: displayName,
  root: true,
  adoptUnmanaged,
  members: [],
});
const found = (displayName: string, extra: Partial<ExistingGroup> = {}): ExistingGroup => ({
  id: `id-${displayName}`,
  displayName,
  host: "https://ws.example",
  accountGroup: false,
  ...extra,
});

describe("checkExistingGroups", () => {
  it("takes over the connector's groups (externalId = object id) and absent ones; refuses the others, naming each", async () => {
    const seen: string[] = [];
    const find = async (args: { filter?: unknown } = {}) => {
      seen.push(String(args.filter));
      return [
        found("Eng", { externalId: "e-1" }),
        found("Okta Team", { externalId: "okta-77" }),
        found("Hand Made"),
        found("Account Group", { accountGroup: true }),
      ];
    };
    await expect(checkExistingGroups([planned("eng", "e-1"), planned("New", "n-1")], {}, find)).resolves.toBeUndefined();
    const err = await checkExistingGroups([planned("Okta Team", "o-1"), planned("Hand Made", "h-1"), planned("Account Group", "a-1")], {}, find).catch(
      (e: Error) => e,
    );
    expect(String(err)).toMatch(
      /Okta Team: the Databricks group 'Okta Team' \(id id-Okta Team\) in https:\/\/ws\.example carries externalId 'okta-77', so another source/,
    );
    expect(String(err)).toMatch(/Hand Made: .* has no externalId .* Set adoptUnmanaged: true/);
    expect(String(err)).toMatch(/Account Group: .* is an account group .* at level "account"/);
    await expect(checkExistingGroups([planned("Hand Made", "h-1", true)], {}, find)).resolves.toBeUndefined();
    expect(seen[0]).toBe('displayName eq "eng" or displayName eq "New"');
  });
});
