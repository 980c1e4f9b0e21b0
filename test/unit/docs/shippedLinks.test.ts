// A user reads the README and the emulator's README from the installed package (node_modules, or npm's page), not
// from this repository: every relative link in a shipped Markdown file must point at a file the package ships.
// The list comes from `npm pack --dry-run`, so it is what `files` in package.json really selects.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");

function packedFiles(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set((pack?.files ?? []).map((f) => f.path));
}

/** Relative link targets (no scheme, no pure anchors) outside fenced code. */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = (m[1] as string).split("#")[0] as string;
      if (target && !/^[a-z]+:/i.test(target)) links.push(target);
    }
  }
  return links;
}

describe("the packed package", () => {
  const files = packedFiles();

  it("ships the Markdown the README links to", () => {
    expect(files.has("README.md")).toBe(true);
    expect(files.has("emulator/README.md")).toBe(true);
  });

  it("carries its license, and no source map (the .ts files they point to do not ship)", () => {
    expect(files.has("LICENSE")).toBe(true);
    expect([...files].filter((f) => f.endsWith(".map"))).toEqual([]);
  });

  it("has no relative link in a shipped Markdown file that points outside the package", () => {
    const broken: string[] = [];
    for (const md of [...files].filter((f) => f.endsWith(".md"))) {
      for (const link of relativeLinks(fs.readFileSync(path.join(ROOT, md), "utf8"))) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(md), link));
        if (!files.has(target)) broken.push(`${md} -> ${link} (${target} is not in the package; add it to "files" in package.json)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
