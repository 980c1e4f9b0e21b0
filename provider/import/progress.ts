/**
 * Progress of a long read on stderr: objects read of the total, rate, time left. A plain line rather than a
 * progress-bar library: one line rewritten in place on a terminal (a line every few seconds when stderr is a
 * file or a CI log), no dependency, and nothing written to stdout, which stays free for the summary.
 */
export interface Progress {
  /** Starts a phase, e.g. "users", with its total when known. */
  phase(name: string, total?: number): void;
  total(total: number): void;
  advance(n?: number): void;
  done(): void;
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  const tty = stream.isTTY === true;
  let name = "";
  let total: number | undefined;
  let count = 0;
  let started = 0;
  let lastPrint = 0;
  const render = (final: boolean): void => {
    if (quiet) return;
    const now = Date.now();
    if (!final && now - lastPrint < (tty ? 200 : 5000)) return;
    lastPrint = now;
    const secs = Math.max((now - started) / 1000, 0.001);
    const rate = count / secs;
    const of = total !== undefined ? ` of ${total}` : "";
    const left = total !== undefined && rate > 0 && !final ? `, ${formatDuration(((total - count) / rate) * 1000)} left` : "";
    const line = `reading ${name}: ${count}${of} (${rate.toFixed(1)}/s${left}${final ? `, ${formatDuration(now - started)}` : ""})`;
    stream.write(tty ? `\r\x1b[2K${line}${final ? "\n" : ""}` : `${line}\n`);
  };
  return {
    phase(n, t) {
      name = n;
      total = t;
      count = 0;
      started = Date.now();
      lastPrint = 0;
    },
    total(t) {
      total = t;
    },
    advance(n = 1) {
      count += n;
      render(false);
    },
    done() {
      render(true);
    },
  };
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const silentProgress: Progress = { phase() {}, total() {}, advance() {}, done() {} };
