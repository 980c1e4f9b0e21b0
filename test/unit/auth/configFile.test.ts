import { describe, expect, it } from "vitest";
import { readConfigFile } from "../../../provider/auth/configFile";
import { tempHome, writeFile } from "./helpers";

describe("readConfigFile (ini with Go's comment rules)", () => {
  it("keeps # and ; inside values, cuts them after whitespace; keeps = in values", () => {
    const home = tempHome();
    const f = writeFile(
      home,
      "cfg",
      [
        "top = before-any-section",
        "[DEFAULT]",
        "a = x#y;z   # comment",
        "b = base64==",
        "c = plain ; comment",
        "  d  =  spaced  ",
        "azure_use_msi = true",
        "[with.dot]",
        "e = 1",
        "[empty]",
      ].join("\n"),
    );
    const cfg = readConfigFile(f)!;
    expect(cfg.sections.get("DEFAULT")).toEqual({
      top: "before-any-section",
      a: "x#y;z",
      b: "base64==",
      c: "plain",
      d: "spaced",
      azure_use_msi: "true",
    });
    expect(cfg.sections.get("with.dot")).toEqual({ e: "1" });
    expect(cfg.sections.get("empty")).toEqual({});
    expect([...cfg.sections.keys()].sort()).toEqual(["DEFAULT", "empty", "with.dot"]);
  });

  it("a missing file is undefined", () => {
    expect(readConfigFile(`${tempHome()}/nope`)).toBeUndefined();
  });
});
