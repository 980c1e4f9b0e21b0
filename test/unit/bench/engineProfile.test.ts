/**
 * bench/engineProfile.ts: the stand-in `pulumi` adds `--profiling` to the profiled commands only (checked by
 * running it over a fake CLI that records its arguments), and pprof's `-top -cum` text is summed into the parts
 * of the checkpoint loop (lines as `go tool pprof` v1.25 printed them for a real profile of the pairs' `up`).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PARTS, parseTop, profilingBinDir, renderProfiles, seconds } from "../../../bench/engineProfile";

const TOP = `File: pulumi
Type: cpu
Duration: 82.88s, Total samples = 85.62s (103.31%)
Showing nodes accounting for 34.67s, 40.49% of 85.62s total
      flat  flat%   sum%        cum   cum%
         0     0%     0%     70.10s 81.87%  github.com/pulumi/pulumi/pkg/v3/backend.(*SnapshotManager).defaultServiceLoop
         0     0%     0%     69.90s 81.64%  github.com/pulumi/pulumi/pkg/v3/backend.(*SnapshotManager).saveSnapshot
         0     0% 0.012%     28.11s 32.83%  github.com/pulumi/pulumi/pkg/v3/backend/diy.compactJSONMarshaler.Marshal
     0.14s  0.16%  0.91%     12.62s 14.74%  github.com/pulumi/pulumi/pkg/v3/resource/stack.SerializeDeploymentWithMetadata
         0     0% 22.31%      9.44s 11.03%  github.com/pulumi/pulumi/pkg/v3/backend/diy.(*wrappedBucket).WriteAll
     0.62s  0.72% 23.03%      8.21s  9.59%  github.com/pulumi/pulumi/pkg/v3/resource/stack/snapshot.VerifyIntegrity
     0.01s 0.012% 29.85%      5.34s  6.24%  github.com/pulumi/pulumi/pkg/v3/resource/deploy.(*Snapshot).NormalizeURNReferences
     0.01s 0.012% 29.85%      5.33s  6.23%  github.com/pulumi/pulumi/pkg/v3/resource/deploy.(*Snapshot).NormalizeURNReferences.func3
         0     0% 29.89%      5.10s  5.96%  github.com/pulumi/pulumi/pkg/v3/backend/diy.(*wrappedBucket).Copy
     0.80s  0.93%  1.85%    450ms  0.5%  github.com/pulumi/pulumi/pkg/v3/resource/stack.SerializeResource
`;

describe("parseTop", () => {
  it("takes each part's cumulative seconds from its own row, not from a closure's row below it", () => {
    const s = parseTop(TOP, "pairs-up");
    expect(s.tag).toBe("pairs-up");
    expect(s.totalSeconds).toBeCloseTo(85.62);
    expect(s.parts).toEqual([69.9, 12.62, 8.21, 5.34, 28.11, 9.44, 5.1]);
    expect(s.parts).toHaveLength(PARTS.length);
  });

  it("gives 0 for a part the profile does not have (e.g. a phase that wrote no checkpoint)", () => {
    const s = parseTop("Type: cpu\nDuration: 1s, Total samples = 250ms (25%)\n", "x");
    expect(s.totalSeconds).toBeCloseTo(0.25);
    expect(s.parts.every((p) => p === 0)).toBe(true);
  });
});

describe("seconds", () => {
  it("reads pprof's units", () => {
    expect(seconds("12.5s")).toBe(12.5);
    expect(seconds("450ms")).toBeCloseTo(0.45);
    expect(seconds("0")).toBe(0);
    expect(seconds("n/a")).toBe(0);
  });
});

describe("renderProfiles", () => {
  it("prints a row per run with seconds and the share of the run's engine CPU", () => {
    const table = renderProfiles([parseTop(TOP, "pairs-up")]);
    expect(table).toContain("| run (model-phase) | engine CPU | checkpoint loop | serialize |");
    expect(table).toContain("| pairs-up | 85.6 s | 69.9 s (82%) | 12.6 s (15%) | 8.2 s (10%) | 5.3 s (6%) | 28.1 s (33%) | 9.4 s (11%) | 5.1 s (6%) |");
  });

  it("says so when no profile was written", () => {
    expect(renderProfiles([])).toMatch(/No engine profile/);
  });
});

describe("profilingBinDir", () => {
  it("adds --profiling DIR/<tag> to up, preview, refresh and destroy only (the command comes first, as the Automation API runs it), and links the real directory's other files", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "engine-profile-"));
    const real = path.join(root, "real");
    fs.mkdirSync(real);
    const argsFile = path.join(root, "args");
    fs.writeFileSync(path.join(real, "pulumi"), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${argsFile}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(real, "pulumi-resource-pulumi-nodejs"), "#!/bin/sh\n", { mode: 0o755 });
    const out = path.join(root, "out");
    const bin = profilingBinDir(real, out);
    const run = (args: string[], tag?: string): string[] => {
      execFileSync(path.join(bin, "pulumi"), args, { env: { ...process.env, ...(tag ? { SCIM_PROFILE_TAG: tag } : {}) } });
      return fs.readFileSync(argsFile, "utf8").trim().split("\n");
    };
    try {
      expect(run(["up", "--yes", "--stack", "bench"], "pairs-up")).toEqual(["--profiling", `${out}/pairs-up`, "up", "--yes", "--stack", "bench"]);
      expect(run(["destroy", "--yes"], "pairs-destroy")).toEqual(["--profiling", `${out}/pairs-destroy`, "destroy", "--yes"]);
      expect(run(["up", "--yes"])).toEqual(["up", "--yes"]); // untagged: the benchmark's warm-up
      expect(run(["stack", "select", "bench"], "pairs-up")).toEqual(["stack", "select", "bench"]);
      expect(run(["config", "set", "up", "1"], "x")).toEqual(["config", "set", "up", "1"]);
      expect(fs.readlinkSync(path.join(bin, "pulumi-resource-pulumi-nodejs"))).toBe(path.join(real, "pulumi-resource-pulumi-nodejs"));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
