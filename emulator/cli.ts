#!/usr/bin/env node
// CLI: `node dist/emulator/cli.js [flags]` (`--help` lists every flag with its default and unit; the tables are
// MAIN_FLAG_HELP here, faultFlagHelp in faults/flags.ts, graphFlagHelp in graph/cli.ts). Prints exactly ONE JSON
// line to stdout once listening; after that stdout stays silent (diagnostics go to stderr and never include tokens).
// First, before fastify loads: a clear error on a Node.js that is too old.
import "./nodeVersion";
import { parseArgs } from "node:util";
import { formatHelp, README_PATH, type FlagHelp } from "./cliHelp";
import { defaultSettings } from "./faults/settings";
import { faultFlagOptions, faultInputFromFlags, mergeSettings } from "./faults/index";
import { faultFlagHelp } from "./faults/flags";
import { DEFAULT_BEHAVIOUR, loadConfigFile, type Cloud, type EmulatorOptions } from "./options";
import { startEmulator } from "./server";
import { graphFlagHelp, graphFlagOptions, graphOptionsFromFlags, graphStartupLine } from "./graph/cli";
import { startGraphEmulator } from "./graph/server";

const mainFlagOptions = {
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  config: { type: "string" },
  cloud: { type: "string" },
  "account-id": { type: "string" },
  "workspace-id": { type: "string" },
  "max-page-size": { type: "string" },
  workspaces: { type: "string" },
  "no-federation": { type: "boolean" },
  "not-federated": { type: "string" },
  "consistency-window-ms": { type: "string" },
  oauth: { type: "boolean" },
  "oauth-token-ttl": { type: "string" },
  "oauth-expires-in": { type: "string" },
  help: { type: "boolean" },
} as const;

const MAIN_FLAG_HELP: Record<keyof typeof mainFlagOptions, FlagHelp> = {
  port: { value: "N", text: "Port of the main host (account API and the primary workspace); 0 = any free port. Default: 0." },
  host: { value: "H", text: "Address to listen on (0.0.0.0 for every interface). Default: 127.0.0.1." },
  state: {
    value: "FILE",
    text: "Keep state in FILE (snapshot) and FILE.journal (one synced line per write), so a restart resumes. Default: in memory only.",
  },
  config: {
    value: "FILE",
    text: "JSON object with the keys of EmulatorOptions (dist/emulator/options.d.ts: every behaviour switch, tokens, faults, graph); flags override it. Default: none.",
  },
  cloud: {
    value: "azure|aws|gcp",
    text:
      "Cloud whose service-principal rules apply: azure = the client gives the Entra applicationId, or none for a " +
      "Databricks-managed one (generated; displayName required); aws, gcp = Databricks generates it and refuses one given. Default: azure.",
  },
  "account-id": { value: "ID", text: "Account id. Default: the one saved with --state, else a random UUID." },
  "workspace-id": { value: "ID", text: "Numeric id of the primary workspace. Default: the one saved with --state, else random." },
  "max-page-size": {
    value: "N",
    text: `Most items a SCIM list page returns (a larger count is clamped). Default: ${DEFAULT_BEHAVIOUR.maxPageSize}.`,
  },
  workspaces: {
    value: "N",
    text:
      "N workspaces in the account, each also on a port of its own (listed in the JSON line), identity-federated unless " +
      "--no-federation or --not-federated. Default: one workspace, on the main port only.",
  },
  "no-federation": {
    text:
      "Workspaces without identity federation (those created before November 2023): workspace SCIM principals stay the " +
      "workspace's own and permission assignments are refused. Default: federated, as Databricks makes every new workspace.",
  },
  "not-federated": {
    value: "I,J",
    text: "Only the workspaces at these 1-based positions without identity federation. Default: none.",
  },
  "consistency-window-ms": {
    value: "N",
    text:
      "For N milliseconds after an account principal is created, assigning it to a workspace answers " +
      `"Principal <id> not in workspace <id>" (eventual consistency). Default: ${DEFAULT_BEHAVIOUR.consistencyWindowMs}.`,
  },
  oauth: {
    text: "Serve OAuth M2M (discovery and token endpoints) with one admin service principal, printed as `oauth` in the JSON line. Default: off (discovery answers 404).",
  },
  "oauth-token-ttl": { value: "S", text: "Lifetime of issued OAuth tokens, in seconds; turns --oauth on. Default: 3600." },
  "oauth-expires-in": {
    value: "S",
    text: "expires_in told to the client, in seconds (larger than the TTL: a token expires under a client that believes it valid); turns --oauth on. Default: the TTL.",
  },
  help: { text: "Print this help and exit." },
};

const SHORT_USAGE = "usage: databricks-scim-emulator [flags]   (--help lists every flag, its default and unit)\n";

function help(): string {
  return formatHelp(
    [
      "usage: databricks-scim-emulator [flags]",
      "",
      "A local Databricks SCIM emulator (workspace and account APIs, plain http on loopback). Once listening it prints",
      "ONE JSON line on stdout: url, workspaceUrl, accountUrl, accountId, workspaceId, tokens (admin, user, accountAdmin),",
      "pid, and `oauth`, `graph`, `workspaces` when those are on. Use url as DATABRICKS_HOST (with its http:// scheme).",
    ],
    [
      { title: "Databricks emulator", flags: MAIN_FLAG_HELP },
      { title: "Faults and limits (SCIM requests only; also at run time: GET/POST/DELETE /__emulator/faults)", flags: faultFlagHelp },
      { title: "Microsoft Graph / Entra ID emulator", flags: graphFlagHelp },
    ],
    [`Docs (TLS trust, seeding, the /__emulator admin API, every endpoint): ${README_PATH}`],
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { ...mainFlagOptions, ...faultFlagOptions, ...graphFlagOptions }, strict: true });
  if (values.help) {
    process.stdout.write(help());
    return;
  }
  // Precedence: flags > config file > defaults.
  const options: EmulatorOptions = values.config ? loadConfigFile(values.config) : {};
  if (values.port !== undefined) options.port = toInt("--port", values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values.state !== undefined) options.statePath = values.state;
  if (values.cloud !== undefined) {
    if (!["aws", "azure", "gcp"].includes(values.cloud)) throw new Error(`--cloud must be azure, aws or gcp`);
    options.cloud = values.cloud as Cloud;
  }
  if (values["account-id"] !== undefined) options.accountId = values["account-id"];
  if (values["workspace-id"] !== undefined) options.workspaceId = values["workspace-id"];
  if (values["max-page-size"] !== undefined) options.maxPageSize = toInt("--max-page-size", values["max-page-size"]);
  if (values["no-federation"]) options.federated = false;
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
      // Said here because a host without scheme means https to Databricks clients, which then fail with a raw TLS
      // error against this plain-http server; the Graph side's CA is in graph.trust.
      tls: "none: plain http, no certificate to trust; use url as DATABRICKS_HOST with its http://",
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
 * `--workspaces N` (N workspaces, federated unless --no-federation), `--not-federated 2,3` (those positions,
 * 1-based, without federation), `--consistency-window-ms N`. See emulator/README.md "Workspaces and identity
 * federation".
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
  process.stderr.write(`databricks-scim-emulator: ${e instanceof Error ? e.message : String(e)}\n${SHORT_USAGE}`);
  process.exit(2);
});
