// The incremental parent index and the journal must agree with a from-scratch rebuild after any mix of
// writes: random creates, nested groups, member add/remove/replace, PUTs and deletes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildParentIndex } from "../../emulator/membership";
import { makeRng } from "../../emulator/faults/rng";
import { httpCall, patch, startClient, type Client } from "./helpers";

function normalised(index: ReadonlyMap<string, readonly string[]>): [string, string[]][] {
  return [...index]
    .map(([k, v]): [string, string[]] => [k, [...v].sort()])
    .filter(([, v]) => v.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

async function randomWrites(c: Client, steps: number, seed: number): Promise<void> {
  const rng = makeRng(seed);
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rng() * xs.length)];
  const users: string[] = [];
  const groups: string[] = [];
  for (let i = 0; i < steps; i++) {
    const r = rng();
    const g = pick(groups);
    const anyone = () => pick([...users, ...groups.filter((x) => x !== g)]);
    if (r < 0.25 || users.length < 3) {
      users.push((await c.ws("POST", "/Users", { userName: `r${seed}-${i}@example.com` })).body.id);
    } else if (r < 0.4 || !g) {
      const members = [pick(users), pick(users)].filter((x) => x).map((value) => ({ value }));
      groups.push((await c.ws("POST", "/Groups", { displayName: `rg${seed}-${i}`, members })).body.id);
    } else if (r < 0.6) {
      const m = anyone();
      if (m) await c.ws("PATCH", `/Groups/${g}`, patch({ op: "add", path: "members", value: [{ value: m }] }));
    } else if (r < 0.7) {
      const m = anyone();
      if (m) await c.ws("PATCH", `/Groups/${g}`, patch({ op: "remove", path: `members[value eq "${m}"]` }));
    } else if (r < 0.8) {
      const members = [anyone(), anyone()].filter((x) => x).map((value) => ({ value }));
      await c.ws("PATCH", `/Groups/${g}`, patch({ op: "replace", path: "members", value: members }));
    } else if (r < 0.87) {
      await c.ws("PUT", `/Groups/${g}`, { displayName: `put-${i}`, members: [{ value: anyone() }] });
    } else if (r < 0.94) {
      const u = pick(users) as string;
      await c.ws("DELETE", `/Users/${u}`);
      users.splice(users.indexOf(u), 1);
    } else {
      await c.ws("DELETE", `/Groups/${g}`);
      groups.splice(groups.indexOf(g as string), 1);
    }
  }
}

describe("incremental index and journal", () => {
  it("match a full rebuild after 300 random writes", async () => {
    const state = join(mkdtempSync(join(tmpdir(), "emu-idx-")), "state.json");
    const c = await startClient({ statePath: state });
    await randomWrites(c, 300, 11);
    for (const level of ["workspace", "account"] as const) {
      const live = c.emu.core.state.at(level);
      expect(normalised(live.parents)).toEqual(normalised(buildParentIndex(live)));
    }
    const before = (await httpCall("GET", `${c.emu.url}/__emulator/dump`)).body;
    // A second emulator from the same files (snapshot from start-up + journal): the same state.
    const d = await startClient({ statePath: state });
    const after = (await httpCall("GET", `${d.emu.url}/__emulator/dump`)).body;
    expect(after).toEqual(before);
    await d.close();
    await c.close();
  });
});
