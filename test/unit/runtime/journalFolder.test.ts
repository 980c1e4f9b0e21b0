import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreateJournalStore } from "../../../provider/runtime/createJournal";

// The create journal's folder keeps itself out of the infra repository's `git status` (issue #11 point 5).
describe("the journal's folder ignores itself", () => {
  let project: string;

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "journal-folder-"));
  });
  afterEach(() => {
    fs.rmSync(project, { recursive: true, force: true });
  });

  /** The journal a provider process with DATABRICKS_SCIM_JOURNAL=`file` writes. */
  const journalAt = (file: string) => new CreateJournalStore(file, "");

  function git(...args: string[]): string {
    return execFileSync("git", args, { cwd: project, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: project } });
  }

  it("a new .pulumi-databricks-scim folder gets a .gitignore of *, and git status of the project stays clean", () => {
    git("init", "-q");
    const file = path.join(project, ".pulumi-databricks-scim", "creates.jsonl");
    journalAt(file).record("k|https://h|workspace||user|alice@x.com", "posting");
    expect(fs.readFileSync(file, "utf8")).toContain("alice@x.com");
    expect(fs.readFileSync(path.join(project, ".pulumi-databricks-scim", ".gitignore"), "utf8").split("\n")).toContain("*");
    expect(git("status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  it("a folder made before (no .gitignore) gets one; an existing .gitignore is kept as it is", () => {
    const dir = path.join(project, ".pulumi-databricks-scim");
    fs.mkdirSync(dir);
    journalAt(path.join(dir, "creates.jsonl")).record("k1", "posting");
    expect(fs.existsSync(path.join(dir, ".gitignore"))).toBe(true);

    fs.writeFileSync(path.join(dir, ".gitignore"), "creates.jsonl\n");
    journalAt(path.join(dir, "creates.jsonl")).record("k2", "posting");
    expect(fs.readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe("creates.jsonl\n");
  });

  it("a DATABRICKS_SCIM_JOURNAL path in a folder of another name gets no ignore file", () => {
    const file = path.join(project, "ops", "journal.jsonl");
    journalAt(file).record("k", "posting");
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(path.join(project, "ops", ".gitignore"))).toBe(false);
  });
});
