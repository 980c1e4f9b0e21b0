// The README's contents list is written by hand: this keeps it true as sections come and go, and keeps every
// relative link of README.md, bench/README.md and docs/**/*.md pointing at a file that exists and at a heading of it.
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

  it("has every relative link in README.md, bench/README.md and docs/**/*.md point at a file that exists, and every #anchor at a heading of it", () => {
    expect(brokenLinks(["README.md", "bench/README.md", ...markdownUnder("docs")])).toEqual([]);
  });

  it("finds a broken link and a broken anchor (the check above can fail)", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "docs", ".links-probe-"));
    try {
      fs.writeFileSync(path.join(dir, "a.md"), "# A\n\n[ok](#a) [gone](missing.md) [bad anchor](#nope)\n```\n[in code](ignored.md)\n```\n");
      const file = path.relative(ROOT, path.join(dir, "a.md"));
      const rel = path.relative(ROOT, dir);
      expect(brokenLinks([file])).toEqual([`${file}: (missing.md): no file ${path.join(rel, "missing.md")}`, `${file}: (#nope): no heading #nope in ${file}`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Each relative link of these files whose file is missing, or whose #anchor is no heading of that file. */
function brokenLinks(files: string[]): string[] {
  const broken: string[] = [];
  for (const file of files) {
    for (const link of links(file)) {
      if (/^[a-z]+:/i.test(link)) continue;
      const [target = "", anchor] = link.split("#");
      const resolved = target ? path.normalize(path.join(path.dirname(file), target)) : file;
      if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${file}: (${link}): no file ${resolved}`);
      else if (anchor !== undefined && !headings(resolved).some((h) => h.anchor === anchor))
        broken.push(`${file}: (${link}): no heading #${anchor} in ${resolved}`);
    }
  }
  return broken;
}

/** Every Markdown file under a folder of the repository, as paths relative to it. */
function markdownUnder(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Link targets outside fenced code. */
function links(file: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1] as string);
  }
  return out;
}
