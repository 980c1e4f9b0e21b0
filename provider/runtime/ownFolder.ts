import * as fs from "node:fs";
import * as path from "node:path";

/** The folder this package writes into a Pulumi project (the create journal's default place). */
export const OWN_FOLDER = ".pulumi-databricks-scim";

/**
 * Makes the folder of a file this package writes. Our own folder ignores itself, as tools that keep caches in a
 * project do (.pytest_cache, .ruff_cache): a `.gitignore` of `*` inside it keeps the journal (hosts, userNames,
 * ids) out of the infra repository's `git status` with no edit to the repository's own ignore file. Written when
 * missing, so a folder made by an older version gets it too; never overwritten. A folder of another name (a
 * DATABRICKS_SCIM_JOURNAL path the user chose) is left as it is: it may hold files that are meant to be tracked.
 */
export function makeFolderOf(file: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  if (path.basename(dir) !== OWN_FOLDER) return;
  try {
    fs.writeFileSync(path.join(dir, ".gitignore"), "# Written by pulumi-databricks-scim: this folder is a local cache.\n*\n", { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}
