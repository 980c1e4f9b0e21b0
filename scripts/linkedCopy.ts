/**
 * Is the package copy that engine tests run the code in this checkout?
 *
 * Engine tests and benchmarks run the package as an installed user does: the copy that scripts/link-self.cjs puts
 * in node_modules (a copy, not a symlink; link-self says why). That copy is only as fresh as the last
 * `npm run build`: edit a provider file, run one e2e test without building, and the test exercises the old code
 * while reporting on the new. This check names the first files that disagree and the command that fixes it.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Source folders whose compiled output the engine runs (tsconfig.json "include", minus what only tests read). */
const SOURCE_DIRS = ["provider", "emulator", "scripts", "test/programs"];
/** Compiled folders that link-self copies into node_modules/pulumi-databricks-scim/dist. */
const LINKED_DIRS = ["provider", "emulator"];
const SHOWN = 5;

export interface Staleness {
  /** Sources edited after their compiled output was written (or never compiled). */
  unbuilt: string[];
  /** Compiled files whose linked copy is missing or different. */
  unlinked: string[];
}

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") walk(full, keep, out);
    } else if (keep(full)) out.push(full);
  }
  return out;
}

function digest(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function findStaleness(root: string): Staleness {
  const unbuilt: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const source of walk(path.join(root, dir), (f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))) {
      const rel = path.relative(root, source);
      const compiled = path.join(root, "dist", rel.replace(/\.ts$/, ".js"));
      if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(source).mtimeMs) unbuilt.push(rel);
    }
  }
  const unlinked: string[] = [];
  const linkedRoot = path.join(root, "node_modules", "pulumi-databricks-scim", "dist");
  for (const dir of LINKED_DIRS) {
    for (const compiled of walk(path.join(root, "dist", dir), () => true)) {
      const rel = path.relative(path.join(root, "dist"), compiled);
      const linked = path.join(linkedRoot, rel);
      if (!fs.existsSync(linked) || fs.statSync(linked).size !== fs.statSync(compiled).size || digest(linked) !== digest(compiled)) {
        unlinked.push(path.join("dist", rel));
      }
    }
  }
  return { unbuilt, unlinked };
}

function listed(files: string[]): string {
  const more = files.length > SHOWN ? ` and ${files.length - SHOWN} more` : "";
  return files.slice(0, SHOWN).join(", ") + more;
}

/** A sentence for the user, or undefined when the copy is the checkout's code. */
export function describeStaleness(s: Staleness): string | undefined {
  const parts: string[] = [];
  if (s.unbuilt.length > 0) parts.push(`changed since the last build: ${listed(s.unbuilt)}`);
  if (s.unlinked.length > 0) parts.push(`not in the linked copy node_modules/pulumi-databricks-scim: ${listed(s.unlinked)}`);
  if (parts.length === 0) return undefined;
  return `Engine tests would run stale code (${parts.join("; ")}). Run \`npm run build\` (it compiles and relinks), then the tests again.`;
}
