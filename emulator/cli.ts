#!/usr/bin/env node
// CLI: `node dist/emulator/cli.js --port 0 [--host H] [--state FILE] [--config FILE] [--cloud aws|azure|gcp]
// [--account-id ID] [--workspace-id ID] [--max-page-size N] [--workspaces N] [--not-federated I,J]
// [--consistency-window-ms N] [fault flags, faults/flags.ts]`. Prints exactly ONE JSON line to stdout once
// listening; after that stdout stays silent (diagnostics go to stderr and never include tokens).
// First, before fastify loads: a clear error on a Node.js that is too old.
import "./nodeVersion";
import { parseArgs } from "node:util";
import { defaultSettings } from "./faults/settings";
import { faultFlagOptions, faultInputFromFlags, mergeSettings } from "./faults/index";
import { FAULT_USAGE } from "./faults/flags";
import { loadConfigFile, type Cloud, type EmulatorOptions } from "./options";
import { startEmulator } from "./server";
import { graphFlagOptions, graphOptionsFromFlags, graphStartupLine } from "./graph/cli";
import { startGraphEmulator } from "./graph/server";

const USAGE =
  "usage: databricks-scim-emulator [--port N] [--host H] [--state FILE] [--config FILE] [--cloud aws|azure|gcp] " +
  "[--account-id ID] [--workspace-id ID] [--max-page-size N] [--workspaces N] [--not-federated I,J] " +
  "[--consistency-window-ms N] [--oauth] [--oauth-token-ttl S] [--oauth-expires-in S] " +
  FAULT_USAGE +
  " [--graph] [--graph-port N] [--graph-seed FILE] [--graph-generate NAME=COUNT] [--graph-http]" +
  "\n";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      config: { type: "string" },
      cloud: { type: "string" },
      "account-id": { type: "string" },
      "workspace-id": { type: "string" },
      "max-page-size": { type: "string" },
      workspaces: { type: "string" },
      "not-federated": { type: "string" },
      "consistency-window-ms": { type: "string" },
      oauth: { type: "boolean" },
      "oauth-token-ttl": { type: "string" },
      "oauth-expires-in": { type: "string" },
      ...faultFlagOptions,
      ...graphFlagOptions,
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(USAGE);
    return;
  }
  // Precedence: flags > config file > defaults.
  const options: EmulatorOptions = values.config ? loadConfigFile(values.config) : {};
  if (values.port !== undefined) options.port = toInt("--port", values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values.state !== undefined) options.statePath = values.state;
  if (values.cloud !== undefined) {
    if (!["aws", "azure", "gcp"].includes(values.cloud)) throw new Error(`--cloud must be aws, azure or gcp`);
    options.cloud = values.cloud as Cloud;
  }
  if (values["account-id"] !== undefined) options.accountId = values["account-id"];
  if (values["workspace-id"] !== undefined) options.workspaceId = values["workspace-id"];
  if (values["max-page-size"] !== undefined) options.maxPageSize = toInt("--max-page-size", values["max-page-size"]);
  applyWorkspaceFlags(options, values);
  // Fault flags override the config file's `faults` key by key (validated here, so a typo exits with usage).
  const faultFlags = faultInputFromFlags(values);
  if (faultFlags) {
    // `limits` is only a label on output; the merged rateLimits/concurrency say it all.
    const { limits: _label, ...merged } = mergeSettings(mergeSettings(defaultSettings(), options.faults ?? {}), faultFlags);
    options.faults = merged;
  }
  // Any OAuth flag turns OAuth on (keeping clients from --config).
  if (values.oauth || values["oauth-token-ttl"] !== undefined || values["oauth-expires-in"] !== undefined) {
    const oauth = typeof options.oauth === "object" ? options.oauth : {};
    if (values["oauth-token-ttl"] !== undefined) oauth.tokenTtlSeconds = toInt("--oauth-token-ttl", values["oauth-token-ttl"]);
    if (values["oauth-expires-in"] !== undefined) oauth.expiresInSeconds = toInt("--oauth-expires-in", values["oauth-expires-in"]);
    options.oauth = oauth;
  }

  const graphOptions = graphOptionsFromFlags(values, options.graph);
  const emu = await startEmulator(options);
  const graph = graphOptions ? await startGraphEmulator({ host: options.host, ...graphOptions }) : undefined;
  process.stdout.write(
    JSON.stringify({
      url: emu.url,
      workspaceUrl: emu.workspaceUrl,
      accountUrl: emu.accountUrl,
      accountId: emu.accountId,
      workspaceId: emu.workspaceId,
      tokens: emu.tokens,
      ...(emu.oauth ? { oauth: emu.oauth } : {}),
      ...(graph ? { graph: graphStartupLine(graph) } : {}),
      ...(emu.workspaces ? { workspaces: emu.workspaces } : {}),
      pid: process.pid,
    }) + "\n",
  );
  const stop = () => {
    Promise.all([emu.close(), graph?.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/**
 * `--workspaces N` (N identity-federated workspaces), `--not-federated 2,3` (those positions, 1-based, without
 * federation), `--consistency-window-ms N`. See emulator/README.md "Workspaces and identity federation".
 */
function applyWorkspaceFlags(options: EmulatorOptions, values: Record<string, string | boolean | string[] | boolean[] | undefined>): void {
  const count = values.workspaces;
  const off = values["not-federated"];
  if (typeof count === "string") {
    const n = toInt("--workspaces", count);
    if (n < 1) throw new Error("--workspaces must be at least 1");
    const given = Array.isArray(options.workspaces) ? options.workspaces : [];
    options.workspaces = Array.from({ length: n }, (_, i) => ({ ...given[i] }));
  }
  if (typeof off === "string") {
    if (!Array.isArray(options.workspaces)) {
      const n = typeof options.workspaces === "number" ? options.workspaces : 1;
      options.workspaces = Array.from({ length: n }, () => ({}));
    }
    for (const raw of off.split(",")) {
      const i = toInt("--not-federated", raw.trim());
      const w = options.workspaces[i - 1];
      if (!w) throw new Error(`--not-federated ${i}: there are only ${options.workspaces.length} workspaces`);
      w.federated = false;
    }
  }
  const window = values["consistency-window-ms"];
  if (typeof window === "string") options.consistencyWindowMs = toInt("--consistency-window-ms", window);
}

function toInt(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`${flag} must be a non-negative integer`);
  return Number(raw);
}

main().catch((e: unknown) => {
  process.stderr.write(`databricks-scim-emulator: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(2);
});
