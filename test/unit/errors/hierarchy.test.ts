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

  it("has no error class outside it: nothing in provider/ extends Error directly but the root", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (full.endsWith(".ts") && /class \w+ extends Error\b/.test(fs.readFileSync(full, "utf8"))) offenders.push(path.relative(process.cwd(), full));
      }
    };
    walk(path.resolve(__dirname, "../../../provider"));
    expect(offenders).toEqual([path.join("provider", "shared", "packageError.ts")]);
  });
});
