import * as fs from "node:fs";

/** The processes of one engine operation, by the part they play. */
export type ProcessRole = "engine" | "program" | "provider" | "emulator";
export const ROLES: readonly ProcessRole[] = ["engine", "program", "provider", "emulator"];

export interface ProbeResult {
  /** Largest resident-memory high-water mark (VmHWM) of a dynamic-provider process, in MB. */
  providerPeakMb: number;
  /** CPU seconds (user + system) each role used during the operation. */
  cpuSeconds: Record<ProcessRole, number>;
}

/**
 * Polls /proc during one operation: the peak memory of the dynamic-provider processes (@pulumi/pulumi's
 * cmd/dynamic-provider, the kernel's own high-water mark, so a short interval only risks missing a process
 * that lives less than one interval) and the CPU time of every process by role. CPU time is what tells where
 * a wall-time ratio comes from on a machine whose cores the engine, the program, the provider and the emulator
 * share. A process's CPU is its last sample, so one that ends between samples loses at most one interval.
 * Linux only; elsewhere it reports zeros.
 */
export class ProcessProbe {
  private peakKb = 0;
  private timer: NodeJS.Timeout | undefined;
  /** pid → [role, CPU ticks at the first sample, CPU ticks at the last]. */
  private cpu = new Map<string, [ProcessRole, number, number]>();
  private readonly tickHz = 100; // USER_HZ, 100 on every Linux this runs on

  /** `emulatorPid`: the emulator runs for the whole benchmark, so only its CPU during the operation counts. */
  constructor(private readonly emulatorPid?: number) {}

  start(intervalMs = 50): void {
    this.peakKb = 0;
    this.cpu.clear();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): ProbeResult {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const cpuSeconds = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<ProcessRole, number>;
    for (const [role, first, last] of this.cpu.values()) cpuSeconds[role] += (last - first) / this.tickHz;
    return { providerPeakMb: this.peakKb / 1024, cpuSeconds };
  }

  private roleOf(pid: string, cmd: string): ProcessRole | undefined {
    if (this.emulatorPid !== undefined && pid === String(this.emulatorPid)) return "emulator";
    if (cmd.includes("cmd/dynamic-provider")) return "provider";
    if (cmd.includes("dist/scripts/stack.js")) return "program"; // inline programs run in the driver process
    const argv0 = cmd.split("\0")[0] ?? "";
    if (/(^|\/)pulumi$/.test(argv0)) return "engine";
    return undefined;
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
        const known = this.cpu.get(pid);
        const role = known?.[0] ?? this.roleOf(pid, fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
        if (!role) continue;
        // /proc/<pid>/stat: fields 14 and 15 (utime, stime) counted after the ")" that ends the command name.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ticks = Number(fields[11]) + Number(fields[12]);
        // A process first seen mid-operation started during it: all of its CPU counts (first = 0).
        const first = known ? known[1] : role === "emulator" || this.timer === undefined ? ticks : 0;
        this.cpu.set(pid, [role, first, ticks]);
        if (role === "provider") {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
          if (m) this.peakKb = Math.max(this.peakKb, Number(m[1]));
        }
      } catch {
        // the process ended between listing and reading
      }
    }
  }
}
