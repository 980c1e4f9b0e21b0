import { describe, expect, it } from "vitest";
import { showNotice } from "../../../provider/runtime/notice";

describe("showNotice", () => {
  it("writes one prefixed line (the engine shows each stderr line of a dynamic provider as a diagnostic)", () => {
    const lines: string[] = [];
    showNotice("Databricks is throttling requests\n  to https://h: waited 12 s", { write: (s: string) => (lines.push(s), true) });
    expect(lines).toEqual(["pulumi-databricks-scim: Databricks is throttling requests to https://h: waited 12 s\n"]);
  });
});
