import * as fs from "node:fs";

/**
 * Peak memory of the dynamic-provider processes the engine starts during one operation: polls /proc for
 * processes running @pulumi/pulumi's cmd/dynamic-provider and keeps the largest VmHWM (the kernel's own
 * high-water mark of resident memory, so a short poll interval only risks missing a process that lives
 * less than one interval). Linux only; elsewhere it reports 0.
 */
export class ProviderMemoryProbe {
  private peakKb = 0;
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 50): void {
    this.peakKb = 0;
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return this.peakKb / 1024;
  }

  private sample(): void {
    let pids: string[];
    try {
      pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    for (const pid of pids) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmd.includes("cmd/dynamic-provider")) continue;
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) this.peakKb = Math.max(this.peakKb, Number(m[1]));
      } catch {
        // the process ended between listing and reading
      }
    }
  }
}
