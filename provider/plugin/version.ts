import * as fs from "node:fs";
import * as path from "node:path";

/**
 * This package's version (package.json), which is the plugin's: GetPluginInfo answers it and the schema carries
 * it. Read from the file two folders up from this module, in the source tree and in dist alike.
 */
export function packageVersion(): string {
  for (const up of ["../..", "../../.."]) {
    const file = path.join(__dirname, up, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "pulumi-databricks-scim" && pkg.version) return pkg.version;
  }
  // plain Error: a broken installation, which the message says how to mend; nothing to branch on.
  throw new Error("pulumi-databricks-scim: package.json not found next to the provider plugin; reinstall the package.");
}
