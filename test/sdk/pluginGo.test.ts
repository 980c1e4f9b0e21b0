/**
 * The Go SDK of the provider plugin (sdk/go): the committed files are what the generator makes of schema.json
 * (scripts/gen-sdk.sh go), and the module compiles against github.com/pulumi/pulumi/sdk/v3 at the CLI's version
 * (from the Go module proxy; GOMODCACHE and GOCACHE under ~/.cache/pulumi-databricks-scim, so a rerun is quick).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../e2e/harness";

const CACHE = process.env.PULUMI_SCIM_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-databricks-scim");

const files = (root: string): string[] =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();

describe("the Go SDK of the provider plugin", () => {
  it("the committed SDK is what the generator makes of schema.json (scripts/gen-sdk.sh go)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "scim-sdk-go-"));
    execFileSync("bash", [path.join(REPO, "scripts", "gen-sdk.sh"), "go", out], { stdio: ["ignore", "ignore", "inherit"] });
    const committed = path.join(REPO, "sdk", "go");
    expect(files(out)).toEqual(files(committed));
    for (const f of files(out)) expect(fs.readFileSync(path.join(committed, f), "utf8"), f).toBe(fs.readFileSync(path.join(out, f), "utf8"));
    fs.rmSync(out, { recursive: true, force: true });
  }, 600_000);

  it("compiles: go build ./... of a copy of sdk/go", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-sdk-go-build-"));
    fs.cpSync(path.join(REPO, "sdk", "go"), dir, { recursive: true });
    // The generator's go.sum covers sdk/v3 at the same version and its dependencies.
    fs.copyFileSync(path.join(REPO, "scripts", "gen-sdk", "go.sum"), path.join(dir, "go.sum"));
    const env = { ...process.env, GOFLAGS: "-mod=mod", GOMODCACHE: path.join(CACHE, "go-mod"), GOCACHE: path.join(CACHE, "go-build") };
    execFileSync("go", ["build", "./..."], { cwd: dir, env, stdio: ["ignore", "inherit", "inherit"] });
    execFileSync("go", ["vet", "./..."], { cwd: dir, env, stdio: ["ignore", "inherit", "inherit"] });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});
