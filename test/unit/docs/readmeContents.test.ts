// The README's contents list is written by hand: this keeps it true as sections come and go, and keeps every
// in-page and docs/ link pointing at a heading that exists.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");

/** Headings outside fenced code, with GitHub's anchors. */
function headings(file: string): { level: number; title: string; anchor: string }[] {
  const out: { level: number; title: string; anchor: string }[] = [];
  let fenced = false;
  for (const line of fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = !fenced && /^(#{1,6}) (.*)$/.exec(line);
    if (!m) continue;
    const title = m[2] as string;
    const anchor = title
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, "")
      .replace(/ /g, "-");
    out.push({ level: (m[1] as string).length, title, anchor });
  }
  return out;
}

describe("README contents", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

  it("lists every section and subsection, in order", () => {
    const listed = [...readme.matchAll(/^ {0,2}- \[(.*)\]\(#([^)]+)\)$/gm)].map((m) => m[2]);
    const sections = headings("README.md")
      .filter((h) => h.level === 2 || h.level === 3)
      .map((h) => h.anchor);
    expect(listed).toEqual(sections);
  });

  it("links only to headings that exist, here and in docs/", () => {
    const missing: string[] = [];
    for (const file of ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).map((f) => path.join("docs", f))]) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const m of text.matchAll(/\]\(([^)\s]*)#([a-z0-9-]+)\)/g)) {
        const target = m[1] ? path.normalize(path.join(path.dirname(file), m[1] as string)) : file;
        if (!fs.existsSync(path.join(ROOT, target)) || !headings(target).some((h) => h.anchor === m[2])) missing.push(`${file}: ${m[0]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
