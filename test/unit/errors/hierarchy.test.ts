// Issue 20: one error hierarchy. Every error the package raises on purpose is a DatabricksScimError with a `code`,
// and brand-based instanceof tells each class from its siblings, its parent and a plain Error.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CredentialError, DatabricksScimError, HttpError, InvalidArgumentError, NetworkError, NotFoundError } from "../../../provider/client/errors";
import { HostUnreachableError, NotDatabricksApiError } from "../../../provider/client/hostErrors";
import { MirrorConflictError } from "../../../provider/entra/existing";
import { GraphError } from "../../../provider/entra/graphErrors";
import { MirrorError } from "../../../provider/entra/failure";
import { MirrorArgumentError, MirrorPlanError } from "../../../provider/entra/plan";
import { UsageError } from "../../../provider/import/cli";
import { ImportError } from "../../../provider/import/errors";
import { ResourceError } from "../../../provider/lifecycle/errors";
import { LookupError } from "../../../provider/lookups";
import { MembershipError } from "../../../provider/runtime/memberBatcher";

const info = { method: "GET", path: "/Users/1", origin: "https://h" };

describe("the package's one error hierarchy", () => {
  const samples: [string, DatabricksScimError][] = [
    ["CredentialError", new CredentialError("AUTH_NOT_CONFIGURED", "no credentials")],
    ["InvalidArgumentError", new InvalidArgumentError("empty id")],
    ["NotFoundError", new NotFoundError({ ...info, status: 404 })],
    ["HostUnreachableError", new HostUnreachableError({ ...info, reason: "refused", elapsedMs: 1 })],
    ["NotDatabricksApiError", new NotDatabricksApiError({ ...info, status: 200, excerpt: "<html>" })],
    ["GraphError", new GraphError("forbidden", 403, "Authorization_RequestDenied")],
    ["MembershipError", new MembershipError("g", "m", "add" as never, "failed")],
    ["MirrorPlanError", new MirrorPlanError("cycle")],
    ["MirrorConflictError", new MirrorConflictError("taken")],
    ["MirrorArgumentError", new MirrorArgumentError("onLeave")],
    ["MirrorError", new MirrorError("forbidden", new GraphError("forbidden", 403, "Authorization_RequestDenied"))],
    ["UsageError", new UsageError("--kinds")],
    ["ResourceError", new ResourceError("RESOURCE_EXISTS", "userName", "taken")],
    ["LookupError", new LookupError("LOOKUP_NOT_FOUND", "getUser: none")],
    ["ImportError", new ImportError("IMPORT_PENDING_OPERATIONS", "pending")],
  ];

  it("roots every family in DatabricksScimError, each with a code", () => {
    for (const [name, e] of samples) {
      expect(e, name).toBeInstanceOf(DatabricksScimError);
      expect(e, name).toBeInstanceOf(Error);
      expect(typeof e.code, name).toBe("string");
      expect(e.code.length, name).toBeGreaterThan(0);
    }
  });

  it("tells a class from its siblings and parents (a subclass inherits no one's check)", () => {
    const unreachable = samples.find(([n]) => n === "HostUnreachableError")?.[1];
    expect(unreachable).toBeInstanceOf(NetworkError);
    expect(new NetworkError({ ...info, reason: "reset" })).not.toBeInstanceOf(HostUnreachableError);
    expect(new NotFoundError({ ...info, status: 404 })).toBeInstanceOf(HttpError);
    expect(new HttpError({ ...info, status: 412 })).not.toBeInstanceOf(NotFoundError);
    expect(new MirrorPlanError("x")).not.toBeInstanceOf(MirrorConflictError);
    expect(new Error("plain")).not.toBeInstanceOf(DatabricksScimError);
    // The brands are not part of what an error says.
    expect(Object.keys(new UsageError("u"))).toEqual(["code"]);
  });

  it("names the field a resource's error blames first in its message", () => {
    const e = new ResourceError("AMBIGUOUS_NAME", "displayName", "2 service principals are named 'ci'.");
    expect(e.message).toBe("displayName: 2 service principals are named 'ci'.");
    expect([e.code, e.field]).toEqual(["AMBIGUOUS_NAME", "displayName"]);
  });

  const sources = (): { file: string; text: string }[] => {
    const out: { file: string; text: string }[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (full.endsWith(".ts")) out.push({ file: path.relative(process.cwd(), full), text: fs.readFileSync(full, "utf8") });
      }
    };
    walk(path.resolve(__dirname, "../../../provider"));
    return out;
  };

  it("has no error class outside it: nothing in provider/ extends Error directly but the root", () => {
    const offenders = sources()
      .filter((s) => /class \w+ extends Error\b/.test(s.text))
      .map((s) => s.file);
    expect(offenders).toEqual([path.join("provider", "shared", "packageError.ts")]);
  });

  // A plain Error has no code, so nothing can tell its kind of failure but its text. Each one left says why in the
  // comment just above it ("plain Error: ..."): an invariant, or code that runs before the package loads.
  it("throws no plain Error in provider/ but where a comment says why", () => {
    const offenders: string[] = [];
    for (const { file, text } of sources()) {
      const lines = text.split("\n");
      lines.forEach((line, i) => {
        // Code only: a comment may well say `new Error()`.
        if (!/\bnew Error\(/.test(line) || /^\s*(\/\/|\/\*|\*)/.test(line)) return;
        let above = i - 1;
        while (above >= 0 && /^\s*\/\//.test(lines[above] ?? "")) above--;
        if (!/plain Error:/.test(lines.slice(above + 1, i).join("\n"))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
