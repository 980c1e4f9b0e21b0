// The process tree of a run, from /proc: interrupted-run tests kill or signal the CLI and its plugins, which the
// CLI starts in process groups of their own (so a group kill of the Automation API's child misses them).
import * as fs from "node:fs";

/** The parent pid from /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so split after the last ')'. */
export function parentOf(pid: number | string): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = parentOf(pid);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue = [...queue, ...(children.get(pid) ?? [])];
  }
  return out;
}
