import * as fs from "node:fs";
import type { ScimClient } from "../client";

/**
 * For soak tests and benchmarks: when DATABRICKS_SCIM_STATS_FILE is set, the provider process appends one JSON
 * line with each client's counters (requests, retries, throttled, failures…) to that file as it exits, and
 * prints the same line to stderr. The provider process is started by the engine, so its clients' counters are
 * otherwise out of reach; a file named by the environment is the one channel both sides share.
 */
export class StatsReport {
  private readonly reported: ScimClient[] = [];
  private installed = false;
  private written = false;

  /** `file`: DATABRICKS_SCIM_STATS_FILE (./settings.ts); undefined: no report. */
  constructor(private readonly file: string | undefined) {}

  /** Reports the client's counters when the process exits. */
  add(client: ScimClient): void {
    const file = this.file;
    if (!file) return;
    this.reported.push(client);
    if (this.installed) return;
    this.installed = true;
    process.once("exit", () => this.write(file));
    // The engine stops its plugins with a signal; write before the default action ends the process.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        this.write(file);
        process.kill(process.pid, signal);
      });
    }
  }

  private write(file: string): void {
    if (this.written) return;
    this.written = true;
    const line = JSON.stringify({
      pid: process.pid,
      at: new Date().toISOString(),
      clients: this.reported.map((c) => ({ origin: c.origin, level: c.level, ...c.stats })),
    });
    process.stderr.write(`pulumi-databricks-scim stats: ${line}\n`);
    try {
      fs.appendFileSync(file, `${line}\n`);
    } catch {
      // A stats file that cannot be written must never fail the operation.
    }
  }
}
