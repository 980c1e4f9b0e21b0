/**
 * The benchmark's `--backend azblob` variant (issue 21): the stacks' state in a real Azure Blob backend instead of
 * the file backend, as Azure teams keep it. Azurite (the npm package `azurite`, a devDependency) serves Blob
 * storage on loopback; each model's stacks get a container of their own, and the pulumi CLI opens it through its
 * DIY backend's `azblob://` URL (gocloud.dev's azureblob opener, as pulumi v3.259 registers it:
 * `domain`, `protocol`, `localemu` and `storage_account` are the query parameters it reads). The account and its
 * key go to the CLI in the environment only (AZURE_STORAGE_ACCOUNT, AZURE_STORAGE_KEY: Azurite's published
 * development account), never in the URL, the output or the results.
 *
 * Azurite's access log (one line per request) is read as it comes, so the benchmark reports, by model and phase,
 * how many requests the state backend answered and how many of them were uploads: with checkpoints on, every
 * step of the engine is a rewrite of the whole state blob.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";

/** Azurite's development storage account, as Microsoft publishes it for the emulator (not a secret of anyone's). */
export const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const API_VERSION = "2021-12-02";

export type BackendKind = "file" | "azblob";

export function parseBackend(value: string | undefined): BackendKind {
  if (value === undefined || value === "file") return "file";
  if (value === "azblob") return "azblob";
  throw new Error(`--backend must be file (the default: the CLI's file backend) or azblob (Azure Blob storage in Azurite), not '${value}'`);
}

/**
 * The pulumi CLI's backend URL for a container of an Azure Blob service on loopback (Azurite): path-style
 * addressing (`localemu=true`: http://HOST:PORT/ACCOUNT/CONTAINER), plain http. No credential is in it.
 */
export function azblobUrl(opts: { container: string; host: string; port: number; account?: string; prefix?: string }): string {
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(opts.container)) {
    throw new Error(`azblob container '${opts.container}': 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit`);
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) throw new Error(`azblob port ${opts.port}: not a TCP port`);
  const q = new URLSearchParams({ domain: `${opts.host}:${opts.port}`, localemu: "true", protocol: "http", storage_account: opts.account ?? DEV_ACCOUNT });
  const prefix = opts.prefix ? `/${opts.prefix.replace(/^\/+|\/+$/g, "")}` : "";
  return `azblob://${opts.container}${prefix}?${q.toString()}`;
}

/** The environment the CLI needs to sign its requests with the development account's shared key. */
export function azblobEnv(): Record<string, string> {
  return { AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT, AZURE_STORAGE_KEY: DEV_KEY };
}

/**
 * The container of one work directory's stacks: its base name (`compact-1765100000000`, `…-warmup`), lower-cased,
 * other characters as hyphens, cut to 63. Each work directory has a container of its own, as each has a state
 * folder of its own with the file backend (the warm-up's stack and the measured one share a stack name).
 */
export function containerFor(workDir: string): string {
  const name = path
    .basename(workDir)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return name.length >= 3 ? name : `run-${name}`.replace(/-+$/, "");
}

/** `text` with the account key replaced, for any line the benchmark prints or writes from the CLI's output. */
export function redact(text: string, key = DEV_KEY): string {
  return text.split(key).join("[AZURE_STORAGE_KEY]");
}

/** One line of Azurite's access log: `127.0.0.1 - - [date] "PUT /devstoreaccount1/c/k?x HTTP/1.1" 201 -`. */
export interface BlobRequest {
  method: string;
  /** The path without the account, e.g. `bench-ours/.pulumi/stacks/databricks-scim/bench.json`. */
  path: string;
  query: string;
  status: number;
}

const ACCESS_LINE = /^\S+ - - \[[^\]]+\] "([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;

export function parseAccessLine(line: string): BlobRequest | undefined {
  const m = ACCESS_LINE.exec(line);
  if (!m) return undefined;
  const target = m[2] as string;
  const q = target.indexOf("?");
  const pathPart = decodeURIComponent(q < 0 ? target : target.slice(0, q)).replace(new RegExp(`^/${DEV_ACCOUNT}/?`), "");
  return { method: m[1] as string, path: pathPart, query: q < 0 ? "" : target.slice(q + 1), status: Number(m[3]) };
}

/** What the state backend answered during one phase of one model. */
export interface BackendCounts {
  requests: number;
  byMethod: Record<string, number>;
  /** Writes of a blob: a whole-blob PUT, or the commit of its blocks (a large blob is staged in blocks first). */
  uploads: number;
  /** Of those, the stack's checkpoint (`.pulumi/stacks/<project>/<stack>.json`). */
  checkpointUploads: number;
  /**
   * Of the uploads, the writes of the checkpoint's backup (`<stack>.json.bak`): the CLI's DIY backend copies the
   * previous checkpoint there before each save (a server-side copy: the access log shows it as a PUT).
   */
  backupUploads: number;
  /** Block stages (`comp=block`) that large uploads were cut into. */
  blocks: number;
}

/** Counts requests of one container; a checkpoint is `.pulumi/stacks/…/<stack>.json` (not its .bak/history copies). */
export function countRequests(requests: BlobRequest[], container: string): BackendCounts {
  const out: BackendCounts = { requests: 0, byMethod: {}, uploads: 0, checkpointUploads: 0, backupUploads: 0, blocks: 0 };
  for (const r of requests) {
    if (r.path !== container && !r.path.startsWith(`${container}/`)) continue;
    out.requests++;
    out.byMethod[r.method] = (out.byMethod[r.method] ?? 0) + 1;
    if (r.method !== "PUT" || r.status >= 300) continue;
    const comp = new URLSearchParams(r.query).get("comp");
    if (comp === "block") out.blocks++;
    if (comp !== null && comp !== "blocklist") continue;
    if (new URLSearchParams(r.query).get("restype") === "container") continue;
    out.uploads++;
    if (/^[^/]+\/(.+\/)?\.pulumi\/stacks\/[^/]+\/[^/]+\.json$/.test(r.path)) out.checkpointUploads++;
    else if (/^[^/]+\/(.+\/)?\.pulumi\/stacks\/[^/]+\/[^/]+\.json\.bak$/.test(r.path)) out.backupUploads++;
  }
  return out;
}

/**
 * SharedKey authorization for a request to the Blob service (the scheme the CLI uses with AZURE_STORAGE_KEY).
 * `path` is the request's URI path as sent: with path-style addressing (an emulator) it starts with the account,
 * so the canonical resource is `/ACCOUNT/ACCOUNT/CONTAINER…`.
 */
export function sharedKeyAuthorization(
  req: { method: string; path: string; query: Record<string, string>; headers: Record<string, string> },
  account = DEV_ACCOUNT,
  key = DEV_KEY,
): string {
  const h = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const length = h["content-length"] && h["content-length"] !== "0" ? h["content-length"] : "";
  const standard = [
    "content-encoding",
    "content-language",
    "",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
  ].map((name) => (name === "" ? length : (h[name] ?? "")));
  const msHeaders = Object.keys(h)
    .filter((k) => k.startsWith("x-ms-"))
    .sort()
    .map((k) => `${k}:${(h[k] as string).trim()}\n`)
    .join("");
  const params = Object.keys(req.query)
    .map((k) => k.toLowerCase())
    .sort()
    .map((k) => `\n${k}:${req.query[k] ?? ""}`)
    .join("");
  const toSign = `${req.method}\n${standard.join("\n")}\n${msHeaders}/${account}${req.path}${params}`;
  const signature = crypto.createHmac("sha256", Buffer.from(key, "base64")).update(toSign, "utf8").digest("base64");
  return `SharedKey ${account}:${signature}`;
}

/** A running Azurite Blob service, its containers and the requests it logged. */
export class AzuriteBackend {
  readonly requests: BlobRequest[] = [];
  private readonly marks = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcess,
    readonly host: string,
    readonly port: number,
  ) {}

  /** Starts Azurite's Blob service on 127.0.0.1 (a free port), its data under `location`, telemetry off. */
  static async start(repo: string, location: string): Promise<AzuriteBackend> {
    const main = path.join(repo, "node_modules", "azurite", "dist", "src", "blob", "main.js");
    if (!fs.existsSync(main)) throw new Error(`--backend azblob needs Azurite (the azurite devDependency): ${main} is missing; run npm ci`);
    fs.mkdirSync(location, { recursive: true });
    const args = [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", location, "--disableTelemetry", "--skipApiVersionCheck"];
    const child = spawn(path.join(repo, "node_modules", ".bin", "node"), args, { stdio: ["ignore", "pipe", "pipe"] });
    const stopOnExit = (): void => void child.kill();
    process.once("exit", stopOnExit);
    child.once("exit", () => process.removeListener("exit", stopOnExit));
    let pending = "";
    let stderr = "";
    let onListening: ((port: number) => void) | undefined;
    const lines: string[] = [];
    // The access log's lines go to the backend once it exists; those before it wait in `lines`.
    const sink: { backend?: AzuriteBackend } = {};
    child.stdout.on("data", (d: Buffer) => {
      pending += d.toString();
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const line of parts) {
        const listening = /successfully listens on http:\/\/[^:]+:(\d+)/.exec(line);
        if (listening) onListening?.(Number(listening[1]));
        else lines.push(line);
      }
      if (sink.backend) for (const line of lines.splice(0)) sink.backend.take(line);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start in 30 s: ${stderr.slice(-2000)}`)), 30_000);
      onListening = (p) => {
        clearTimeout(timer);
        resolve(p);
      };
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited (${code}) before listening: ${stderr.slice(-2000)}`));
      });
    });
    const backend = new AzuriteBackend(child, "127.0.0.1", port);
    sink.backend = backend;
    for (const line of lines.splice(0)) backend.take(line);
    return backend;
  }

  private take(line: string): void {
    const r = parseAccessLine(line);
    if (r) this.requests.push(r);
    for (const w of this.waiters.splice(0)) if (!w(r)) this.waiters.push(w);
  }

  private readonly waiters: ((r: BlobRequest | undefined) => boolean)[] = [];
  private readonly containers = new Set<string>();
  private flushes = 0;

  /** One signed request to the Blob service; resolves with the status and body. */
  request(method: string, urlPath: string, query: Record<string, string>): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { "x-ms-date": new Date().toUTCString(), "x-ms-version": API_VERSION, "content-length": "0" };
    const fullPath = `/${DEV_ACCOUNT}${urlPath}`;
    headers.authorization = sharedKeyAuthorization({ method, path: fullPath, query, headers });
    const qs = new URLSearchParams(query).toString();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path: `${fullPath}${qs ? `?${qs}` : ""}`, headers }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.once("error", reject);
      req.end();
    });
  }

  async createContainer(name: string): Promise<void> {
    const r = await this.request("PUT", `/${name}`, { restype: "container" });
    if (r.status !== 201 && r.status !== 409) throw new Error(`Azurite: creating container ${name} answered ${r.status}: ${r.body.slice(0, 500)}`);
  }

  /** The blobs of a container with their sizes (List Blobs). */
  async listBlobs(container: string): Promise<{ name: string; bytes: number }[]> {
    const r = await this.request("GET", `/${container}`, { comp: "list", restype: "container" });
    if (r.status !== 200) throw new Error(`Azurite: listing ${container} answered ${r.status}: ${r.body.slice(0, 500)}`);
    const out: { name: string; bytes: number }[] = [];
    for (const m of r.body.matchAll(/<Blob>.*?<Name>([^<]*)<\/Name>.*?<Content-Length>(\d+)<\/Content-Length>.*?<\/Blob>/gs)) {
      out.push({ name: m[1] as string, bytes: Number(m[2]) });
    }
    return out;
  }

  /**
   * The CLI's environment for the stacks of one work directory: its container's URL (created on first use, before
   * the CLI logs in to it) and the account's key.
   */
  async envFor(workDir: string): Promise<Record<string, string>> {
    const container = containerFor(workDir);
    if (!this.containers.has(container)) {
      await this.createContainer(container);
      this.containers.add(container);
    }
    return { PULUMI_BACKEND_URL: azblobUrl({ container, host: this.host, port: this.port }), ...azblobEnv() };
  }

  /**
   * Waits until every request answered so far is in the access log: Azurite writes a request's line when its
   * answer is done, so the line of one more request (made now, to a container that does not exist) comes after
   * all of theirs. Bounded at 10 s.
   */
  async flush(): Promise<void> {
    const name = `flush-${++this.flushes}`;
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite: the access log did not show request ${name} in 10 s`)), 10_000);
      this.waiters.push((r) => {
        if (r?.path !== name) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
    await this.request("GET", `/${name}`, { restype: "container" });
    await seen;
  }

  /** The requests to `workDir`'s container since the previous call for it (after a flush of the log). */
  async takeCounts(workDir: string): Promise<BackendCounts> {
    await this.flush();
    const container = containerFor(workDir);
    const from = this.marks.get(container) ?? 0;
    this.marks.set(container, this.requests.length);
    return countRequests(this.requests.slice(from), container);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill();
    await exited;
  }
}

/** What renderBackend needs of a run: its label, its phases' backend counts, its stored checkpoint. */
export interface BackendRun {
  label: string;
  storedCheckpointBytes?: number;
  phases: { phase: string; seconds: number; stateBackend?: BackendCounts }[];
}

/** The markdown table of the state backend's requests by model and phase (`--backend azblob`). */
export function renderBackend(runs: BackendRun[]): string {
  const rows = runs.flatMap((r) =>
    r.phases
      .filter((p) => p.stateBackend)
      .map((p) => {
        const c = p.stateBackend as BackendCounts;
        const methods = Object.entries(c.byMethod)
          .sort((a, b) => b[1] - a[1])
          .map(([m, n]) => `${m} ${n}`)
          .join(", ");
        return `| ${r.label} | ${p.phase} | ${p.seconds.toFixed(1)} | ${c.requests} | ${methods || "—"} | ${c.uploads} | ${c.checkpointUploads} | ${c.backupUploads} | ${c.blocks} |`;
      }),
  );
  const sizes = runs
    .filter((r) => r.storedCheckpointBytes !== undefined)
    .map((r) => `${r.label}: ${((r.storedCheckpointBytes as number) / 1e6).toFixed(2)} MB`)
    .join("; ");
  return [
    "State backend: Azure Blob storage (Azurite, the CLI's azblob:// URL), one container per stack.",
    "",
    "| model | phase | s | blob requests | by method | uploads | checkpoint uploads | .bak copies | blocks staged |",
    "|---|---|---:|---:|---|---:|---:|---:|---:|",
    ...rows,
    ...(sizes ? ["", `Checkpoint blob after up: ${sizes}.`] : []),
  ].join("\n");
}
