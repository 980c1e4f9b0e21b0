/** bench/incumbent.ts: run-tf.sh's summary.txt read into phase figures, the harness paths checked, the ratios rendered. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { incumbentFigures, incumbentPaths, parseSummary, parseWall, ratio, renderIncumbent, type IncumbentRun } from "../../../bench/incumbent";
import type { RunResult } from "../../../bench/report";

// As run-tf.sh writes it (the shape of the anchor harness's smoke run, figures changed so each phase differs).
const SUMMARY = `emulator pid 31134 at http://127.0.0.1:40557 (flags: --cloud aws --no-federation)
apply rc=0 wall=0:21.50 cpu_s=30.1 [(tofu)=12.0 (terraform-provi)=15.5 ] maxrss_kb=96240 requests={"total":4200,"byMethod":{"POST":1100,"GET":3000,"PATCH":100},"byStatus":{"200":3100,"201":1100},"faults":{"429":0,"500-limit":0,"5xx":0,"reset":0,"lost":0,"lagged":0,"latencyMs":0}}
    Apply complete! Resources: 4100 added, 0 changed, 0 destroyed.
plan rc=0 wall=0:10.90 cpu_s=14.2 [(tofu)=6.0 (terraform-provi)=7.1 ] maxrss_kb=95592 requests={"total":4100,"byMethod":{"GET":4100},"byStatus":{"200":4100},"faults":{"429":0}}
plan-norefresh rc=0 wall=0:08.00 cpu_s=9.0 [(tofu)=8.0 ] maxrss_kb=93008 requests={"total":0,"byMethod":{},"byStatus":{},"faults":{"429":0}}
change rc=0 wall=0:12.80 cpu_s=15.0 [(tofu)=7.0 (terraform-provi)=7.5 ] maxrss_kb=92428 requests={"total":4155,"byMethod":{"GET":4100,"PATCH":55},"byStatus":{"200":4155},"faults":{"429":0}}
destroy rc=0 wall=1:20.40 cpu_s=25.0 [] maxrss_kb=92812 requests={"total":4200,"byMethod":{"GET":100,"PATCH":3000,"DELETE":1100},"byStatus":{"200":3100,"204":1100},"faults":{"429":0}}
state bytes after apply: 3058600 for 4100 resources
`;

describe("parseSummary", () => {
  it("reads every phase line, mapped onto our phases, and the state line", () => {
    const s = parseSummary(SUMMARY);
    expect(s.phases.map((p) => [p.phase, p.ours, p.seconds])).toEqual([
      ["apply", "up", 21.5],
      ["plan", "refresh", 10.9],
      ["plan-norefresh", "preview", 8],
      ["change", "change", 12.8],
      ["destroy", "destroy", 80.4],
    ]);
    const apply = s.phases[0];
    expect(apply?.rc).toBe(0);
    expect(apply?.cpuSeconds).toBe(30.1);
    expect(apply?.cpuByProcess).toEqual({ tofu: 12, "terraform-provi": 15.5 });
    expect(apply?.maxRssKb).toBe(96240);
    expect(apply?.requests).toBe(4200);
    expect(apply?.byMethod).toEqual({ POST: 1100, GET: 3000, PATCH: 100 });
    expect(s.phases[4]?.cpuByProcess).toEqual({});
    expect(s.stateBytes).toBe(3058600);
    expect(s.resources).toBe(4100);
  });

  it("throws, naming the line, on a phase line it cannot read, rather than drop it", () => {
    const broken = SUMMARY.replace("plan rc=0 wall=0:10.90 cpu_s=14.2", "plan rc=0 wall=0:10.90 cpu=14.2");
    expect(() => parseSummary(broken)).toThrow(/cannot read the phase line 'plan rc=0 wall=0:10.90 cpu=14.2/);
    const noTotal = SUMMARY.replace('requests={"total":4100,', 'requests={"count":4100,');
    expect(() => parseSummary(noTotal)).toThrow(/plan line has no request total/);
  });

  it("reads the wall clock as GNU time writes it", () => {
    expect(parseWall("0:08.00")).toBe(8);
    expect(parseWall("13:56.42")).toBeCloseTo(836.42, 6);
    expect(parseWall("1:02:03")).toBe(3723);
    expect(() => parseWall("8.0")).toThrow(/is not m:ss.cc or h:mm:ss/);
  });
});

describe("incumbentPaths", () => {
  it("names both variables and what is missing", () => {
    expect(() => incumbentPaths({})).toThrow(/TFA_ROOT is not set; ANCHOR_DIR is not set/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tfa-"));
    try {
      expect(() => incumbentPaths({ TFA_ROOT: dir, ANCHOR_DIR: dir })).toThrow(
        new RegExp(`TFA_ROOT=${dir} has no bin/tofu.*ANCHOR_DIR=${dir} has no run-tf.sh`),
      );
      fs.mkdirSync(path.join(dir, "bin"));
      for (const f of ["bin/tofu", "tofurc", "run-tf.sh", "gen-tuned.py"]) fs.writeFileSync(path.join(dir, f), "");
      expect(incumbentPaths({ TFA_ROOT: dir, ANCHOR_DIR: dir })).toEqual({ tfaRoot: dir, anchorDir: dir });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ratios and figures", () => {
  const inc: IncumbentRun = {
    ...parseSummary(SUMMARY),
    label: "t",
    shape: { users: 1000, groups: 100, memberships: 3000, changed: 0 },
    config: { tuned: true, rateLimit: 1000, parallelism: 10, emulatorFlags: [] },
    load: { before: 1, after: 2 },
    resultsDir: "/tmp/x",
  };
  const compact: RunResult = {
    label: "compact",
    shape: inc.shape,
    resources: 202,
    stateBytesPerResource: 6290,
    phases: ["up", "preview", "refresh", "change", "destroy"].map((phase, i) => ({
      phase,
      seconds: [43, 4, 21.8, 6.4, 40.2][i] as number,
      requests: 0,
      byMethod: {},
      failedRequests: 0,
      peakMb: 0,
      cpuSeconds: { provider: 0, emulator: 0, program: 0, engine: 0 },
    })),
  };

  it("gives the targets the incumbent's phase times from this run", () => {
    const f = incumbentFigures(inc);
    expect(f.seconds).toEqual({ up: 21.5, preview: 8, change: 12.8, destroy: 80.4 });
    expect(f.source).toMatch(/measured in this run/);
  });

  it("renders ours / incumbent per phase beside each model", () => {
    expect(ratio(43, 21.5)).toBe("2.00");
    expect(ratio(undefined, 1)).toBe("—");
    const table = renderIncumbent(inc, [compact]);
    expect(table).toContain("| up | apply | 21.5 | GET 3000, PATCH 100, POST 1100 | 43.0 | 2.00 |");
    expect(table).toContain("| preview | plan -refresh=false | 8.0 | — | 4.0 | 0.50 |");
    expect(table).toContain("| refresh | plan | 10.9 | GET 4100 | 21.8 | 2.00 |");
    expect(table).toContain("| destroy | destroy | 80.4 | DELETE 1100, GET 100, PATCH 3000 | 40.2 | 0.50 |");
  });
});
