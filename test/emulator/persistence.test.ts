// State file + journal: acknowledged writes survive a crash (simulated: a second emulator opens the files of
// one that never closed), a torn last journal line is ignored, a clean close leaves only the snapshot.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createGroup, createUser, patch, startClient } from "./helpers";

describe("persistence journal", () => {
  it("replays the journal of an emulator that never closed, ignoring a torn last line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-journal-"));
    const state = join(dir, "state.json");
    const a = await startClient({ statePath: state });
    const u = await createUser(a, "journalled@example.com");
    const g = await createGroup(a, "journalled-group", { members: [{ value: u.id }] });
    const others = [];
    for (let i = 0; i < 5; i++) others.push((await createUser(a, `j${i}@example.com`)).id);
    await a.ws("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value: others.map((value) => ({ value })) }));
    await a.ws("PATCH", `/Groups/${g.id}`, patch({ op: "remove", path: `members[value eq "${others[0]}"]` }));
    await a.ws("PUT", `/Groups/${g.id}`, { displayName: "renamed-group", members: [{ value: others[2] }, { value: u.id }] });
    await a.ws("DELETE", `/Users/${others[4]}`);
    // The snapshot is from start-up; everything since is in the journal, one fsync'd line per write.
    expect(existsSync(`${state}.journal`)).toBe(true);
    expect(readFileSync(`${state}.journal`, "utf8").trim().split("\n")).toHaveLength(1 + 11);
    appendFileSync(`${state}.journal`, '{"ops":[{"op":"delete","level":"workspace","kind":"Users","id":"' + u.id); // torn
    // `a` is never closed before `b` opens the files: as after a kill -9, no compaction happened.

    const b = await startClient({ statePath: state });
    try {
      const got = await b.ws("GET", `/Groups/${g.id}`);
      expect(got.body.displayName).toBe("renamed-group");
      expect(got.body.members.map((m: { value: string }) => m.value)).toEqual([others[2], u.id]);
      expect((await b.ws("GET", `/Users/${u.id}`)).status).toBe(200); // the torn delete never happened
      expect((await b.ws("GET", `/Users/${others[4]}`)).status).toBe(404);
      expect((await b.ws("GET", `/Users/${others[1]}`)).body.groups.map((x: { display: string }) => x.display).sort()).toEqual(["users"]);
      expect((await b.ws("GET", `/Users/${others[2]}`)).body.groups.map((x: { display: string }) => x.display).sort()).toEqual(["renamed-group", "users"]);
      // Start-up compacted: snapshot only.
      expect(readdirSync(dir)).toEqual(["state.json"]);
    } finally {
      await b.close();
      await a.emu.close();
    }
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });
});
