/**
 * databricks-scim-import at account level without --account-id (issue 24 item 2): the account id comes from the
 * host's /.well-known/databricks-config, as for the resources; --account-id (or DATABRICKS_ACCOUNT_ID) wins and
 * makes no metadata request; when neither names one, a usage error says what to pass. Against a stubbed server.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearHostMetadataCache } from "../../../provider/auth";
import { runImport } from "../../../provider/import/cli";

const ACCOUNT = "6a1c0b2e-3d4f-4a5b-8c9d-0e1f2a3b4c5d";
const OTHER = "0f0e0d0c-0b0a-4909-8807-060504030201";
const stub = { paths: [] as string[], metadataStatus: 200 };
let server: http.Server;
let host: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    stub.paths.push(req.url ?? "");
    if (req.url === "/.well-known/databricks-config") {
      if (stub.metadataStatus !== 200) return void res.writeHead(stub.metadataStatus).end();
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ account_id: ACCOUNT, host_type: "unified", cloud: "AWS" }));
    }
    res.writeHead(200, { "content-type": "application/scim+json" }).end(JSON.stringify({ totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  process.env = saved;
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(DATABRICKS_|ARM_|AZURE_)/.test(k)) delete process.env[k];
  Object.assign(process.env, { DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-import-account-id", DATABRICKS_SCIM_PACING: "off", HOME: "/nonexistent" });
  stub.paths = [];
  stub.metadataStatus = 200;
  clearHostMetadataCache();
});

function run(args: string[]): Promise<{ code: number; stdout: string; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-import-"));
  const file = path.join(dir, "identities.ts");
  let stdout = "";
  const io = { stdout: (s: string) => void (stdout += s), stderr: process.stderr, env: {}, cwd: dir };
  return runImport(["--out", file, "--quiet", "--level", "account", ...args], io).then((code) => ({ code, stdout, file }));
}

const scimPaths = () => stub.paths.filter((p) => p.startsWith("/api/"));

describe("databricks-scim-import at account level", () => {
  it("without --account-id reads the account the host's metadata names", async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("read 0 users");
    expect(stub.paths[0]).toBe("/.well-known/databricks-config");
    expect(scimPaths().length).toBeGreaterThan(0);
    expect(scimPaths().every((p) => p.startsWith(`/api/2.0/accounts/${ACCOUNT}/`))).toBe(true);
    expect(fs.readFileSync(r.file, "utf8")).toContain(ACCOUNT);
  });

  it("--account-id wins, and no metadata is asked for", async () => {
    const r = await run(["--account-id", OTHER]);
    expect(r.code).toBe(0);
    expect(stub.paths).not.toContain("/.well-known/databricks-config");
    expect(scimPaths().every((p) => p.startsWith(`/api/2.0/accounts/${OTHER}/`))).toBe(true);
  });

  it("when neither names the account: a usage error saying what to pass, before any SCIM request", async () => {
    stub.metadataStatus = 404;
    await expect(run([])).rejects.toThrow(
      /^--account-id is required at account level: nothing names the account .* the host's \/\.well-known\/databricks-config did not name one either\. Pass --account-id/,
    );
    expect(scimPaths()).toEqual([]);
  });
});
