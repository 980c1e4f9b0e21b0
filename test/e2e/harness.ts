/**
 * Real components for engine tests: the emulator as its own process on loopback, the real `pulumi` CLI driven
 * through dist/scripts/stack.js in a child process, and raw HTTP (not our client) to look at the server.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { request } from "undici";
import { expect } from "vitest";
import type { EmulatorInfo } from "../../scripts/emulatorProcess";
import { runStack as runStackProcess, type StackOptions as ProcessStackOptions, type StackRun } from "../../scripts/stackProcess";

export { startEmulatorProcess as startEmulator, emulatorStats } from "../../scripts/emulatorProcess";
export type { EmulatorInfo, RunningEmulator } from "../../scripts/emulatorProcess";
export type { StackRun } from "../../scripts/stackProcess";

export const REPO = path.resolve(__dirname, "..", "..");
export const IDENTITIES_PROGRAM = path.join(REPO, "dist", "test", "programs", "identities.js");

export type StackOptions = Omit<ProcessStackOptions, "program"> & { program?: string };

/** A fresh work folder under the repository (the provider process resolves node_modules from it). */
export function workDir(name: string): string {
  const dir = path.join(REPO, "test", ".work", `${name}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** One CLI operation on the identities program unless another program is named. */
export function runStack(command: string, opts: StackOptions): Promise<StackRun> {
  return runStackProcess(command, { ...opts, program: opts.program ?? IDENTITIES_PROGRAM });
}

/** Raw SCIM calls for assertions and for making drift "in the admin console". */
export async function scim<T = unknown>(
  emu: EmulatorInfo,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  pathAndQuery: string,
  body?: unknown,
  base: string = emu.workspaceUrl,
): Promise<{ status: number; body: T }> {
  const res = await request(`${base}${pathAndQuery}`, {
    method,
    headers: {
      authorization: `Bearer ${base === emu.accountUrl ? emu.tokens.accountAdmin : emu.tokens.admin}`,
      "content-type": "application/scim+json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface ListResponse<T> {
  totalResults: number;
  Resources?: T[];
}

/** Every item of a collection; `resource` may carry a query, e.g. "Users?attributes=userName". */
export async function listAll<T>(emu: EmulatorInfo, resource: string, base?: string): Promise<T[]> {
  const sep = resource.includes("?") ? "&" : "?";
  const r = await scim<ListResponse<T>>(emu, "GET", `/${resource}${sep}count=100&startIndex=1`, undefined, base);
  const out = r.body.Resources ?? [];
  let start = 1 + out.length;
  while (out.length < r.body.totalResults) {
    const page = await scim<ListResponse<T>>(emu, "GET", `/${resource}${sep}count=100&startIndex=${start}`, undefined, base);
    const items = page.body.Resources ?? [];
    if (items.length === 0) break;
    out.push(...items);
    start += items.length;
  }
  return out;
}

/** The emulator's counters since the last reset (GET /__emulator/stats). */
export async function stats(emu: EmulatorInfo): Promise<{ total: number; byMethod: Record<string, number>; byResource: Record<string, number> }> {
  const r = await fetch(`${emu.url}/__emulator/stats`);
  return (await r.json()) as { total: number; byMethod: Record<string, number>; byResource: Record<string, number> };
}

export async function resetStats(emu: EmulatorInfo): Promise<void> {
  await fetch(`${emu.url}/__emulator/reset-stats`, { method: "POST" });
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  level: string;
  resourceType: string;
  /** The X-Databricks-Workspace-Id the request carried, when it did. */
  workspaceIdHeader?: string;
}

/** The emulator's request log since the last reset (GET /__emulator/requests). */
export async function requestLog(emu: EmulatorInfo): Promise<LoggedRequest[]> {
  const r = await fetch(`${emu.url}/__emulator/requests`);
  return ((await r.json()) as { requests: LoggedRequest[] }).requests;
}

/** The CLI's whole output, for assertion messages and for searching error texts. */
export function output(run: StackRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

/** Options for a run of a spec-driven test program: `base` with the spec as its `spec` config value. */
export function specOptions(base: StackOptions, spec: object, extra: Partial<StackOptions> = {}): StackOptions {
  return { ...base, config: { ...base.config, spec: JSON.stringify(spec) }, ...extra };
}

/** Asserts that a run succeeded, with the CLI's whole output as the message when it did not. */
export function expectOk(run: StackRun): void {
  expect(run.code, output(run)).toBe(0);
}

/** A SCIM PatchOp body. */
export function patchOp(...Operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations };
}
