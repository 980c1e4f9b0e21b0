import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./repoRoot";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";

/**
 * Runs the real Pulumi engine (the `pulumi` CLI) on a program of this repository, with a local file backend.
 *
 * The Node.js language host (`pulumi-language-nodejs`) cannot be built here (the Go module proxy we reach does
 * not serve its module), so programs run as Automation API *inline* programs: the CLI drives the engine and
 * calls back into this process to run the program. Everything else is the real thing: the CLI, the engine,
 * the dynamic-provider host process it starts, the state files. See README "How the engine is run".
 */

export const REPO_ROOT = repoRoot();

/** The directory holding `pulumi` (built from source by scripts/build-pulumi.sh, cached outside the repo). */
export function pulumiBinDir(): string {
  // A stand-in directory (bench/engineProfile.ts's wrapper that adds `--profiling`), used as it is.
  const standIn = process.env.SCIM_PULUMI_BIN_DIR;
  if (standIn) {
    if (!fs.existsSync(path.join(standIn, "pulumi")))
      throw new Error(`SCIM_PULUMI_BIN_DIR=${standIn} has no 'pulumi': unset it or point it at a directory that has`);
    return standIn;
  }
  const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "build-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const binDir = out.trim().split("\n").pop() as string;
  // The dynamic-provider plugin is a small shell script shipped in @pulumi/pulumi. The engine looks for bundled
  // plugins on PATH (with a warning on every run) and then next to the `pulumi` binary: put a copy there.
  const plugin = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  if (!fs.existsSync(plugin)) {
    fs.copyFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"), `${plugin}.tmp`);
    fs.chmodSync(`${plugin}.tmp`, 0o755);
    fs.renameSync(`${plugin}.tmp`, plugin);
  }
  return binDir;
}

/** The environment of the CLI and of the provider process it starts: Node 24 from node_modules/.bin first. */
export function engineEnv(workDir: string, binDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const pathDirs = [path.join(REPO_ROOT, "node_modules", ".bin"), binDir, process.env.PATH ?? ""];
  return {
    PATH: pathDirs.join(path.delimiter),
    PULUMI_HOME: path.join(workDir, ".pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(workDir, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "local-file-backend-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    ...extra,
  };
}

export interface OpenStackOptions {
  /** A folder under the repository (so the provider process resolves node_modules from it). */
  workDir: string;
  stackName: string;
  projectName?: string;
  program: () => Promise<Record<string, unknown> | void>;
  /** Extra environment for the CLI and the provider process (e.g. DATABRICKS_TOKEN). */
  env?: Record<string, string>;
}

export async function openStack(opts: OpenStackOptions): Promise<Stack> {
  fs.mkdirSync(path.join(opts.workDir, ".state"), { recursive: true });
  const binDir = pulumiBinDir();
  const envVars = engineEnv(opts.workDir, binDir, opts.env);
  // The Automation API spawns the CLI with process.env merged with envVars; PATH must be ours.
  Object.assign(process.env, { PATH: envVars.PATH });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(binDir), skipVersionCheck: true });
  const projectName = opts.projectName ?? "databricks-scim";
  return LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, projectName, program: opts.program },
    {
      workDir: opts.workDir,
      pulumiHome: envVars.PULUMI_HOME,
      envVars,
      pulumiCommand,
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: envVars.PULUMI_BACKEND_URL } },
      secretsProvider: "passphrase",
    },
  );
}
