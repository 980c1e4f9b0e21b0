// The quiet wait a group create takes without a preview (lifecycle/groupShadow.ts `shadowAtCreate`): it ends
// CHECK_QUIET_MS after the last group check, and never later than QUIET_WAIT_MAX_MS however often groups are
// checked. Its cost is what a run without a preview pays per burst of group creates, so both bounds are pinned.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CHECK_QUIET_MS, DeclaredGroupNames, QUIET_WAIT_MAX_MS } from "../../../provider/runtime/groupNames";

const group = { resourceName: "g", level: "workspace", host: "https://adb-1.2.azuredatabricks.net", displayName: "eng" } as const;

// Each test a fresh provider session's group names, as a new provider process has.
let names: DeclaredGroupNames;
const declareGroup: DeclaredGroupNames["declare"] = (key, g) => names.declare(key, g);
const groupChecksQuiet = () => names.checksQuiet();

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  names = new DeclaredGroupNames();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Milliseconds (fake time) until the wait resolves, advancing the clock in `stepMs` steps and calling `each` per step. */
async function waited(stepMs: number, each: () => void = () => undefined): Promise<number> {
  const start = Date.now();
  let done = false;
  void groupChecksQuiet().then(() => (done = true));
  while (!done) {
    if (Date.now() - start > 10 * QUIET_WAIT_MAX_MS) throw new Error("the quiet wait never ended");
    each();
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return Date.now() - start;
}

describe("groupChecksQuiet", () => {
  it("no group checked in this process: no wait", async () => {
    expect(await waited(10)).toBeLessThanOrEqual(10);
  });

  it("ends CHECK_QUIET_MS after the last group check", async () => {
    declareGroup("a", group);
    const ms = await waited(10);
    expect(ms).toBeGreaterThanOrEqual(CHECK_QUIET_MS);
    expect(ms).toBeLessThanOrEqual(CHECK_QUIET_MS + 10);
  });

  it("checks that keep coming do not extend it past QUIET_WAIT_MAX_MS", async () => {
    let i = 0;
    declareGroup(`k${i++}`, group);
    const ms = await waited(50, () => declareGroup(`k${i++}`, group));
    expect(ms).toBeGreaterThanOrEqual(QUIET_WAIT_MAX_MS);
    expect(ms).toBeLessThanOrEqual(QUIET_WAIT_MAX_MS + 50);
  });
});
