import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./repoRoot";

/**
 * A folder holding `pulumi-resource-databricks-scim`, to put on the PATH of the `pulumi` CLI: the engine looks
 * for a package's provider plugin on PATH (and warns "using … from $PATH") before its plugin cache. The file is a
 * two-line shell script that runs the installed copy of this package (node_modules/pulumi-databricks-scim, which
 * `npm run build` refreshes) with the repository's Node.js 24, as `npm install -g` would link the package's bin.
 */
export function pluginBinDir(workDir: string): string {
  const root = repoRoot();
  const dir = path.join(workDir, "plugin-bin");
  fs.mkdirSync(dir, { recursive: true });
  const main = path.join(root, "node_modules", "pulumi-databricks-scim", "dist", "provider", "plugin", "main.js");
  const node = path.join(root, "node_modules", ".bin", "node");
  const file = path.join(dir, "pulumi-resource-databricks-scim");
  fs.writeFileSync(file, `#!/bin/sh\nexec ${JSON.stringify(node)} ${JSON.stringify(main)} "$@"\n`, { mode: 0o755 });
  return dir;
}
