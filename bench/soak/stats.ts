/** The provider processes' client counters, from the file named by DATABRICKS_SCIM_STATS_FILE (one JSON line each). */
import * as fs from "node:fs";
import type { ClientStats } from "../../provider/client";

export interface ProviderStats {
  processes: number;
  requests: number;
  retries: number;
  throttled: number;
  failures: number;
  waitedMs: number;
}

export function readProviderStats(file: string): ProviderStats {
  const out: ProviderStats = { processes: 0, requests: 0, retries: 0, throttled: 0, failures: 0, waitedMs: 0 };
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const { clients } = JSON.parse(line) as { clients: ClientStats[] };
    out.processes++;
    for (const c of clients) {
      out.requests += c.requests;
      out.retries += c.retries;
      out.throttled += c.throttled;
      out.failures += c.failures;
      out.waitedMs += c.waitedMs;
    }
  }
  return out;
}
