#!/usr/bin/env node
// CLI: `node dist/emulator/cli.js --port 0 [--host H] [--state FILE] [--config FILE] [--cloud aws|azure|gcp]
// [--account-id ID] [--workspace-id ID] [--max-page-size N]`. Prints exactly ONE JSON line to stdout once
// listening; after that stdout stays silent (diagnostics go to stderr and never include tokens).
import { parseArgs } from "node:util";
import { loadConfigFile, type Cloud, type EmulatorOptions } from "./options";
import { startEmulator } from "./server";

const USAGE =
  "usage: databricks-scim-emulator [--port N] [--host H] [--state FILE] [--config FILE] [--cloud aws|azure|gcp] " +
  "[--account-id ID] [--workspace-id ID] [--max-page-size N]\n";

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

  const emu = await startEmulator(options);
  process.stdout.write(
    JSON.stringify({
      url: emu.url,
      workspaceUrl: emu.workspaceUrl,
      accountUrl: emu.accountUrl,
      accountId: emu.accountId,
      workspaceId: emu.workspaceId,
      tokens: emu.tokens,
      pid: process.pid,
    }) + "\n",
  );
  const stop = () => {
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function toInt(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new Error(`${flag} must be a non-negative integer`);
  return Number(raw);
}

main().catch((e: unknown) => {
  process.stderr.write(`databricks-scim-emulator: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(2);
});
