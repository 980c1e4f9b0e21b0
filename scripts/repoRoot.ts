import * as fs from "node:fs";
import * as path from "node:path";

/** This repository's root, whether the caller runs compiled (dist/scripts) or as TypeScript (scripts). */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-databricks-scim") {
      if (!dir.includes(`${path.sep}node_modules${path.sep}`)) return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no pulumi-databricks-scim checkout above ${from}`);
  }
}
