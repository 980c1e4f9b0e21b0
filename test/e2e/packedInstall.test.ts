/**
 * The package as its users get it: `npm pack` of this checkout, installed from the tarball into a separate npm
 * project (its own package.json, with @pulumi/pulumi from the registry), run by the real `pulumi` CLI on Node 22
 * and on Node 24. Every other engine test runs the copy scripts/link-self.cjs puts in this repository's
 * node_modules, so a file missing from the tarball, a runtime dependency kept in devDependencies or a bin that
 * does not start from an installed location passes there and breaks for every user; here it fails.
 *
 * As a user runs it: a script inside that project imports the package by its name (packedInstall/deploy.cjs),
 * credentials only in the environment, a local file backend with checkpoints on (no PULUMI_SKIP_CHECKPOINTS), the
 * CLI's default --parallel, and the emulator started from the installed package's own bin. One install and one
 * emulator serve every case. Node 22 comes from the npm registry as Node 24 does for this repository (the `node`
 * package), cached outside the repository under ~/.cache/pulumi-databricks-scim.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINIMUM_NODE, nodeAtLeast } from "../../provider/nodeVersion";
import { pulumiBinDir } from "../../scripts/engine";
import { cleanEnv } from "../../scripts/stackProcess";
import { listAll, scim, type EmulatorInfo } from "./harness";

const REPO = path.resolve(__dirname, "..", "..");
const CACHE = process.env.PULUMI_SCIM_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-databricks-scim");
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  name: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** The newest Node 22 on the registry when this was written; pinned so that a run repeats and the cache holds. */
const NODE_22 = "22.23.3";
/** Node 24: this repository's own, the npm `node` package in devDependencies (a bare binary in its bin folder). */
const NODE_24_BIN = path.join(REPO, "node_modules", "node", "bin", "node");
/** The installed bins that print their usage with --help, and the provider plugin the engine starts. */
const HELP_BINS = ["databricks-scim-emulator", "databricks-scim-import", "pulumi-databricks-scim-recover", "pulumi-databricks-scim-to-plugin"];
const PLUGIN_BIN = "pulumi-resource-databricks-scim";
const NPM_FLAGS = ["--no-audit", "--no-fund", "--prefer-offline"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Never throws on a failed command; one that outlives `timeoutMs` (a bin that hangs) is killed and says so. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs = 300_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed: still running after ${timeoutMs / 1000} s]`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** The first line a process prints on stdout (then it is stopped), or the reason there was none. */
function firstLine(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<string> {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve(`[no line within ${timeoutMs / 1000} s] ${stderr}`), timeoutMs);
    readline.createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(`[exited with ${code}] ${stderr}`);
    });
  }).finally(() => child.kill("SIGKILL"));
}

async function runOk(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const r = await run(command, args, cwd, env);
  if (r.code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

const timings: string[] = [];
async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await f();
  } finally {
    timings.push(`${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
}

/**
 * A user's environment: nothing Databricks, Pulumi or npm-run of the caller's (cleanEnv, and the npm_* variables
 * `npm test` sets), and a PATH with the chosen Node first, then the CLI, then the system's folders without any of
 * this repository's (node_modules/.bin puts Node 24 and every dev tool there).
 */
function userEnv(nodeBin: string, extra: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !/^npm_/i.test(k)));
  const system = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "" && !d.startsWith(REPO) && !d.includes("node_modules"));
  return { ...base, PATH: [path.dirname(nodeBin), pulumiBin, ...system].join(path.delimiter), ...extra };
}

/** Node 22 from the registry's `node` package, installed once into the cache (a rename makes it appear whole). */
async function node22(): Promise<string> {
  const dir = path.join(CACHE, `node-v${NODE_22}`);
  const bin = path.join(dir, "node_modules", "node", "bin", "node");
  if (fs.existsSync(bin)) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ private: true, dependencies: { node: NODE_22 } }));
  await runOk("npm", ["install", ...NPM_FLAGS], tmp, userEnv(NODE_24_BIN));
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    // Another run put it there first: use that one.
    if (!fs.existsSync(bin)) throw e;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

/**
 * Between the provider and the emulator: forwards every request unchanged and keeps a SCIM call's User-Agent, whose
 * `node/<version>` (provider/client/client.ts) says which Node the provider process the CLI started ran on.
 */
function userAgentRecorder(target: URL): Promise<{ url: string; agents: string[]; close(): Promise<void> }> {
  const agents: string[] = [];
  const server = http.createServer((req, res) => {
    // SCIM calls only: the host-metadata probe (/.well-known/databricks-config, provider/auth/hostMetadata.ts)
    // is the auth layer's own request, made without the client's User-Agent.
    if (req.url?.includes("/scim/")) agents.push(req.headers["user-agent"] ?? "");
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({ url: `http://127.0.0.1:${port}`, agents, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

let pulumiBin: string;
let tmp: string;
let infra: string;
let tarballFiles: string[];
let node22Bin: string;
let emu: EmulatorInfo;
let emulatorProcess: ReturnType<typeof spawn> | undefined;
let recorder: Awaited<ReturnType<typeof userAgentRecorder>> | undefined;

beforeAll(async () => {
  pulumiBin = await timed("pulumi CLI", async () => pulumiBinDir());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-databricks-scim-packed-"));
  infra = path.join(tmp, "infra");
  fs.mkdirSync(infra);

  const packed = await timed("npm pack", () => runOk("npm", ["pack", "--json", "--pack-destination", tmp], REPO, userEnv(NODE_24_BIN)));
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarballFiles = info.files.map((f) => f.path);

  // The user's project: the tarball and the peer dependency at the version this repository tests against.
  fs.writeFileSync(
    path.join(infra, "package.json"),
    JSON.stringify(
      {
        name: "infra",
        private: true,
        dependencies: { [PKG.name]: `file:../${info.filename}`, "@pulumi/pulumi": PKG.devDependencies["@pulumi/pulumi"] },
      },
      null,
      2,
    ),
  );
  fs.copyFileSync(path.join(__dirname, "packedInstall", "deploy.cjs"), path.join(infra, "deploy.cjs"));
  const [, node22Path] = await Promise.all([
    timed("npm install (tarball + @pulumi/pulumi)", () => runOk("npm", ["install", ...NPM_FLAGS], infra, userEnv(NODE_24_BIN))),
    timed(`Node ${NODE_22} (cached after the first run)`, node22),
  ]);
  node22Bin = node22Path;

  // The emulator from the installed package's bin, through its shebang, as `npx databricks-scim-emulator` runs it.
  const child = spawn(path.join(infra, "node_modules", ".bin", "databricks-scim-emulator"), ["--port", "0"], {
    cwd: infra,
    env: userEnv(NODE_24_BIN),
    stdio: ["ignore", "pipe", "pipe"],
  });
  emulatorProcess = child;
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const line = await timed(
    "emulator start",
    () =>
      new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`the installed emulator exited with code ${code}: ${stderr.trim()}`)));
      }),
  );
  emu = JSON.parse(line) as EmulatorInfo;
  recorder = await userAgentRecorder(new URL(emu.url));
}, 600_000);

afterAll(async () => {
  await recorder?.close();
  if (emulatorProcess && emulatorProcess.exitCode === null) {
    const done = new Promise((r) => emulatorProcess?.once("exit", r));
    emulatorProcess.kill("SIGTERM");
    await done;
  }
  // The project's node_modules (@pulumi/pulumi's tree) takes tens of seconds to delete on a loaded disk: a
  // detached `rm` does it after the test has ended.
  if (tmp) spawn("rm", ["-rf", tmp], { detached: true, stdio: "ignore" }).unref();
  console.log(`[packedInstall] ${timings.join("; ")}`);
});

describe("the packed package installed into a separate project", () => {
  it("holds what package.json names, installed as a real folder (so Pulumi serializes the provider by reference)", () => {
    for (const file of [PKG.main, PKG.types, ...Object.values(PKG.bin), "emulator/README.md", "provider/auth/README.md", "s.js"]) {
      expect(tarballFiles, `${file} is not in the tarball`).toContain(file.replace(/^\.\//, ""));
    }
    expect(fs.lstatSync(path.join(infra, "node_modules", PKG.name)).isSymbolicLink()).toBe(false);
    expect(nodeAtLeast(NODE_22), `Node ${NODE_22} is below the package's minimum ${MINIMUM_NODE}`).toBe(true);
  });

  it.each([
    ["22", () => node22Bin],
    ["24", () => NODE_24_BIN],
  ])("its bins start from the installed location and print their help on Node %s", async (_major, nodeBin) => {
    // Every bin package.json declares is checked here: a new one fails this line until it has its check.
    expect(Object.keys(PKG.bin).sort()).toEqual([...HELP_BINS, PLUGIN_BIN].sort());
    for (const bin of HELP_BINS) {
      const r = await run(path.join(infra, "node_modules", ".bin", bin), ["--help"], infra, userEnv(nodeBin()), 60_000);
      expect(r.code, `${bin} --help:\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout, `${bin} --help`).toMatch(new RegExp(`^usage: ${bin} `));
    }
    // The provider plugin has no help: as the engine starts it, it serves on a loopback port and prints the port.
    const port = await firstLine(path.join(infra, "node_modules", ".bin", PLUGIN_BIN), ["127.0.0.1:1"], infra, userEnv(nodeBin()));
    expect(port, `${PLUGIN_BIN}'s first line`).toMatch(/^\d+$/);
    // A wrong argument is a one-line message, not a Node stack trace.
    const recover = await run(path.join(infra, "node_modules", ".bin", "pulumi-databricks-scim-recover"), ["no-such-export.json"], infra, userEnv(nodeBin()));
    expect(recover.code, recover.stderr).toBe(2);
    expect(recover.stderr).toMatch(/^pulumi-databricks-scim-recover: no file 'no-such-export\.json': .*\n$/);
    // The emulator's help names its README by the installed path: it must be there.
    const help = await run(path.join(infra, "node_modules", ".bin", "databricks-scim-emulator"), ["--help"], infra, userEnv(nodeBin()));
    const docs = /Docs[^:]*: (\S+README\.md)/.exec(help.stdout)?.[1];
    expect(docs, help.stdout).toBeDefined();
    expect(docs?.startsWith(path.join(infra, "node_modules", PKG.name)), docs).toBe(true);
    expect(fs.existsSync(docs as string), docs).toBe(true);
  });

  it.each([
    ["22", () => node22Bin, `v${NODE_22}`],
    ["24", () => NODE_24_BIN, "v24."],
  ])("pulumi up, a second preview and destroy work on Node %s", async (major, nodeBin, version) => {
    const rec = recorder as NonNullable<typeof recorder>;
    rec.agents.length = 0;
    const stack = `node${major}`;
    const suffix = `n${major}-${process.pid}`;
    const env = userEnv(nodeBin(), {
      DATABRICKS_HOST: rec.url,
      DATABRICKS_TOKEN: emu.tokens.admin,
      PULUMI_BACKEND_URL: `file://${path.join(infra, ".state")}`,
      PULUMI_CONFIG_PASSPHRASE: "local-file-backend-passphrase",
      PULUMI_HOME: path.join(tmp, ".pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // Our machines cannot download plugins; nothing here needs one (the dynamic provider ships with the CLI).
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    });
    fs.mkdirSync(path.join(infra, ".state"), { recursive: true });
    const outputs: string[] = [];
    const deploy = async (command: string): Promise<Record<string, unknown>> => {
      const r = await timed(`Node ${major} ${command}`, () => run(nodeBin(), ["deploy.cjs", command, stack, suffix], infra, env));
      outputs.push(r.stdout, r.stderr);
      expect(r.code, `deploy.cjs ${command} on Node ${major}:\n${r.stdout}\n${r.stderr}`).toBe(0);
      const last = r.stdout.trimEnd().split("\n").pop() ?? "";
      expect(last.startsWith("@@result "), r.stdout).toBe(true);
      return JSON.parse(last.slice("@@result ".length)) as Record<string, unknown>;
    };

    const up = (await deploy("up")) as { summary: { result: string; resourceChanges: Record<string, number> }; outputs: Record<string, { value: string }> };
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    expect(up.outputs.node.value.startsWith(version), up.outputs.node.value).toBe(true);

    const users = await listAll<{ id: string; userName: string }>(emu, "Users?attributes=userName");
    const alice = users.find((u) => u.userName === `alice-${suffix}@example.com`);
    expect(alice?.id).toBe(up.outputs.aliceId.value);
    const groups = await listAll<{ id: string; displayName: string }>(emu, "Groups?attributes=displayName");
    for (const name of [`eng-${suffix}`, `ops-${suffix}`]) {
      const group = groups.find((g) => g.displayName === name);
      expect(group, name).toBeDefined();
      const members = await scim<{ members?: { value: string }[] }>(emu, "GET", `/Groups/${group?.id}?attributes=members`);
      expect((members.body.members ?? []).map((m) => m.value)).toEqual([alice?.id]);
    }
    // Checkpoints on: the file backend wrote the stack's state file.
    expect(fs.existsSync(path.join(infra, ".state", ".pulumi", "stacks", "infra", `${stack}.json`))).toBe(true);

    const preview = (await deploy("preview")) as { changeSummary: Record<string, number> };
    expect(preview.changeSummary).toEqual({ same: 6 });

    const exported = JSON.stringify(await deploy("export"));
    const providers = [...exported.matchAll(/"__provider":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(providers.length).toBeGreaterThan(0);
    // By reference: a require() of the shim by package name (resources/dynamicResource.ts), not the closure's source.
    // The package's s.js, which the tarball must carry (provider/resources/dynamicResource.ts storedProvider).
    for (const p of providers) expect(p).toMatch(/^module\.exports=require\('pulumi-databricks-scim\/s'\)\.[a-z]+$/);

    const destroy = (await deploy("destroy")) as { summary: { result: string; resourceChanges: Record<string, number> } };
    expect(destroy.summary.result).toBe("succeeded");
    expect(destroy.summary.resourceChanges).toEqual({ delete: 6 });
    const usersAfter = await listAll<{ userName: string }>(emu, "Users?attributes=userName");
    expect(usersAfter.map((u) => u.userName)).not.toContain(`alice-${suffix}@example.com`);
    const groupsAfter = await listAll<{ displayName: string }>(emu, "Groups?attributes=displayName");
    expect(groupsAfter.map((g) => g.displayName).filter((n) => n.endsWith(suffix))).toEqual([]);

    // The provider processes the CLI started ran on this Node (their User-Agent says which).
    const seen = new Set(rec.agents.map((a) => /node\/(\S+)/.exec(a)?.[1] ?? `no node/ in '${a}'`));
    expect(
      [...seen].every((v) => `v${v}`.startsWith(version)),
      [...seen].join(", "),
    ).toBe(true);
    expect(seen.size).toBeGreaterThan(0);

    // No token anywhere a user or a log would see it: the CLI's output, the exported state, the state files.
    const token = emu.tokens.admin;
    expect(
      outputs.some((o) => o.includes(token)),
      "the token is in the output",
    ).toBe(false);
    expect(exported.includes(token), "the token is in the exported state").toBe(false);
    const stateFiles = fs.readdirSync(path.join(infra, ".state"), { recursive: true, encoding: "utf8" });
    for (const f of stateFiles) {
      const full = path.join(infra, ".state", f);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, "utf8").includes(token), `the token is in ${f}`).toBe(false);
    }
  });
});
