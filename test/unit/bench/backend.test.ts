/**
 * bench/backend.ts: the `--backend azblob` URL, environment and container names; Azurite's access log read into
 * per-phase counts; the SharedKey signature checked by a real Azurite process (right key: accepted, other key:
 * refused). No printed line may carry the account key.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AzuriteBackend,
  azblobEnv,
  azblobUrl,
  containerFor,
  countRequests,
  DEV_ACCOUNT,
  parseAccessLine,
  parseBackend,
  redact,
  renderBackend,
  sharedKeyAuthorization,
} from "../../../bench/backend";
import { repoRoot } from "../../../scripts/repoRoot";

const KEY = azblobEnv().AZURE_STORAGE_KEY as string;

describe("parseBackend", () => {
  it("defaults to the file backend and takes azblob", () => {
    expect(parseBackend(undefined)).toBe("file");
    expect(parseBackend("file")).toBe("file");
    expect(parseBackend("azblob")).toBe("azblob");
  });
  it("refuses anything else, naming the flag and the choices", () => {
    expect(() => parseBackend("s3")).toThrow(/--backend must be file .* or azblob .*not 's3'/);
  });
});

describe("azblobUrl", () => {
  it("is the CLI's azblob URL for an emulator on loopback, with no credential in it", () => {
    const url = azblobUrl({ container: "compact-1765100000000", host: "127.0.0.1", port: 40123 });
    expect(url).toBe("azblob://compact-1765100000000?domain=127.0.0.1%3A40123&localemu=true&protocol=http&storage_account=devstoreaccount1");
    expect(url).not.toContain(KEY);
    expect(url).not.toMatch(/key|sas|sig=/i);
  });
  it("takes a prefix inside the container", () => {
    expect(azblobUrl({ container: "bench", host: "127.0.0.1", port: 1, prefix: "/runs/a/" })).toMatch(/^azblob:\/\/bench\/runs\/a\?/);
  });
  it("refuses a container name Blob storage would refuse, and a port that is not one", () => {
    for (const container of ["Upper", "a", "has--double", "-lead", "trail-", "under_score"]) {
      expect(() => azblobUrl({ container, host: "127.0.0.1", port: 1 }), container).toThrow(/azblob container .*3-63 lowercase/);
    }
    expect(() => azblobUrl({ container: "ok-name", host: "127.0.0.1", port: 70000 })).toThrow(/port 70000: not a TCP port/);
  });
});

describe("azblobEnv and redact", () => {
  it("hands the account and key to the CLI in the environment only", () => {
    const env = azblobEnv();
    expect(Object.keys(env).sort()).toEqual(["AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY"]);
    expect(env.AZURE_STORAGE_ACCOUNT).toBe(DEV_ACCOUNT);
    expect(Buffer.from(KEY, "base64").length).toBe(64);
  });
  it("takes the key out of any text the benchmark prints", () => {
    const text = `error: AZURE_STORAGE_KEY=${KEY} and again ${KEY}.`;
    const out = redact(text);
    expect(out).not.toContain(KEY);
    expect(out).toBe("error: AZURE_STORAGE_KEY=[AZURE_STORAGE_KEY] and again [AZURE_STORAGE_KEY].");
  });
});

describe("containerFor", () => {
  it("is one container per work directory, a valid name", () => {
    const a = containerFor("/repo/bench/.work/compact-1765100000000");
    const b = containerFor("/repo/bench/.work/compact-1765100000000-warmup");
    expect(a).toBe("compact-1765100000000");
    expect(b).toBe("compact-1765100000000-warmup");
    expect(() => azblobUrl({ container: containerFor("/x/Some_Dir..Name__"), host: "h", port: 1 })).not.toThrow();
    expect(containerFor("/x/Some_Dir..Name__")).toBe("some-dir-name");
    expect(containerFor(`/x/${"a".repeat(70)}-`).length).toBe(63);
    expect(containerFor("/x/a").length).toBeGreaterThanOrEqual(3);
  });
});

describe("the access log", () => {
  const line = (method: string, target: string, status: number): string =>
    `127.0.0.1 - - [07/Dec/2026:11:16:24 +0000] "${method} /${DEV_ACCOUNT}/${target} HTTP/1.1" ${status} -`;

  it("reads a line as Azurite writes it, and nothing else", () => {
    expect(parseAccessLine(line("PUT", "c1/.pulumi/stacks/p/bench.json", 201))).toEqual({
      method: "PUT",
      path: "c1/.pulumi/stacks/p/bench.json",
      query: "",
      status: 201,
    });
    expect(parseAccessLine(line("GET", "c1?restype=container&comp=list", 200))?.query).toBe("restype=container&comp=list");
    expect(parseAccessLine("Azurite Blob service is starting on 127.0.0.1:0")).toBeUndefined();
  });

  it("counts a container's requests, its uploads and its checkpoint uploads", () => {
    const requests = [
      line("PUT", "c1?restype=container", 201), // creating the container: not an upload
      line("GET", "c1/.pulumi/meta.yaml", 200),
      line("PUT", "c1/.pulumi/stacks/p/bench.json", 201), // a checkpoint
      line("PUT", "c1/.pulumi/stacks/p/bench.json.bak", 201), // an upload, not a checkpoint
      line("PUT", "c1/.pulumi/stacks/p/bench.json?comp=block&blockid=AAA", 201), // a block of a large one
      line("PUT", "c1/.pulumi/stacks/p/bench.json?comp=blocklist", 201), // its commit: a checkpoint
      line("PUT", "c1/.pulumi/history/p/bench/bench-1.history.json", 201),
      line("PUT", "c1/.pulumi/stacks/p/bench.json", 412), // refused: not an upload
      line("DELETE", "c1/.pulumi/locks/p/bench/x.json", 202),
      line("PUT", "c10/.pulumi/stacks/p/bench.json", 201), // another container
      line("PUT", "flush-1?restype=container", 201),
    ].map((l) => parseAccessLine(l)!);
    expect(countRequests(requests, "c1")).toEqual({
      requests: 9,
      byMethod: { PUT: 7, GET: 1, DELETE: 1 },
      uploads: 4,
      checkpointUploads: 2,
      backupUploads: 1,
      blocks: 1,
    });
    expect(countRequests(requests, "c10").checkpointUploads).toBe(1);
  });

  it("renders the counts by model and phase", () => {
    const stateBackend = { requests: 9, byMethod: { GET: 1, PUT: 7, DELETE: 1 }, uploads: 4, checkpointUploads: 2, backupUploads: 1, blocks: 1 };
    const md = renderBackend([{ label: "compact", storedCheckpointBytes: 905_000, phases: [{ phase: "up", seconds: 12.34, stateBackend }] }]);
    expect(md).toContain("| compact | up | 12.3 | 9 | PUT 7, GET 1, DELETE 1 | 4 | 2 | 1 | 1 |");
    expect(md).toContain("Checkpoint blob after up: compact: 0.91 MB.");
  });
});

describe("sharedKeyAuthorization", () => {
  it("signs the canonical string of the Blob service (account twice on a path-style URL)", () => {
    const headers = { "x-ms-date": "Mon, 07 Dec 2026 11:00:00 GMT", "x-ms-version": "2021-12-02", "content-length": "0" };
    const a = sharedKeyAuthorization({ method: "PUT", path: `/${DEV_ACCOUNT}/c1`, query: { restype: "container" }, headers });
    expect(a).toMatch(new RegExp(`^SharedKey ${DEV_ACCOUNT}:[A-Za-z0-9+/]{43}=$`));
    expect(a).not.toContain(KEY);
    // Any part of the request changes the signature.
    expect(sharedKeyAuthorization({ method: "GET", path: `/${DEV_ACCOUNT}/c1`, query: { restype: "container" }, headers })).not.toBe(a);
    expect(sharedKeyAuthorization({ method: "PUT", path: `/${DEV_ACCOUNT}/c2`, query: { restype: "container" }, headers })).not.toBe(a);
  });
});

describe("a real Azurite process", () => {
  let az: AzuriteBackend;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "azurite-test-"));
    az = await AzuriteBackend.start(repoRoot(), dir);
  });
  afterAll(async () => {
    await az?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("accepts our signature, creates a work directory's container once, and hands the CLI its URL", async () => {
    const env = await az.envFor("/repo/bench/.work/compact-1");
    expect(env.PULUMI_BACKEND_URL).toBe(azblobUrl({ container: "compact-1", host: "127.0.0.1", port: az.port }));
    expect(await az.listBlobs("compact-1")).toEqual([]);
    await az.envFor("/repo/bench/.work/compact-1");
    const counts = await az.takeCounts("/repo/bench/.work/compact-1");
    expect(counts.byMethod).toEqual({ PUT: 1, GET: 1 }); // one create, one list; the flush is not counted
    expect(counts.uploads).toBe(0);
  });

  it("refuses a request signed with another key", async () => {
    const other = Buffer.alloc(64, 7).toString("base64");
    const headers = { "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02", "content-length": "0" };
    const authorization = sharedKeyAuthorization(
      { method: "PUT", path: `/${DEV_ACCOUNT}/signed-wrong`, query: { restype: "container" }, headers },
      DEV_ACCOUNT,
      other,
    );
    const res = await fetch(`http://127.0.0.1:${az.port}/${DEV_ACCOUNT}/signed-wrong?restype=container`, {
      method: "PUT",
      headers: { ...headers, authorization },
    });
    expect(res.status).toBe(403);
    await expect(az.createContainer("signed-right")).resolves.toBeUndefined();
  });
});
