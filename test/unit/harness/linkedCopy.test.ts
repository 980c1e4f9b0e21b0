import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeStaleness, findStaleness } from "../../../scripts/linkedCopy";

// A miniature checkout: one provider source, its compiled file, and the linked copy link-self makes.
let root: string;
const write = (rel: string, text: string, mtime: number): void => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.utimesSync(file, mtime, mtime);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "linked-copy-"));
  write("provider/user.ts", "export const a = 1;", 1_000);
  write("dist/provider/user.js", "exports.a = 1;", 2_000);
  write("node_modules/pulumi-databricks-scim/dist/provider/user.js", "exports.a = 1;", 2_000);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the engine tests' staleness check", () => {
  it("passes a checkout whose build and linked copy are current", () => {
    expect(findStaleness(root)).toEqual({ unbuilt: [], unlinked: [] });
    expect(describeStaleness(findStaleness(root))).toBeUndefined();
  });

  it("names a source edited after the build, and the command that fixes it", () => {
    write("provider/user.ts", "export const a = 2;", 3_000);
    const message = describeStaleness(findStaleness(root));
    expect(message).toContain("changed since the last build: provider/user.ts");
    expect(message).toContain("npm run build");
  });

  it("names a source that was never compiled", () => {
    write("emulator/new.ts", "export {};", 1_000);
    expect(findStaleness(root).unbuilt).toEqual(["emulator/new.ts"]);
  });

  it("names a compiled file whose linked copy differs or is missing (a build without link-self)", () => {
    write("dist/provider/user.js", "exports.a = 2;", 2_000);
    write("dist/provider/group.js", "exports.g = 1;", 2_000);
    write("provider/group.ts", "export const g = 1;", 1_000);
    expect(findStaleness(root).unlinked.sort()).toEqual(["dist/provider/group.js", "dist/provider/user.js"]);
    expect(describeStaleness(findStaleness(root))).toContain("not in the linked copy node_modules/pulumi-databricks-scim");
  });
});
