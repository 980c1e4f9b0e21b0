/**
 * Writing the imported resources into a stack's state through Pulumi's own state import (the Automation API's
 * exportStack/importStack, i.e. `pulumi stack export` / `pulumi stack import`), merged with what the stack
 * already holds. The program never runs and nothing is sent to Databricks.
 */
import { randomUUID } from "node:crypto";
import type { Deployment, Stack } from "@pulumi/pulumi/automation";
import { ImportError } from "./errors";
import type { ResourceState } from "./stateOf";

interface StateResource {
  urn: string;
  custom?: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  [key: string]: unknown;
}

interface DeploymentBody {
  manifest?: unknown;
  resources?: StateResource[];
  pending_operations?: unknown[];
  [key: string]: unknown;
}

export async function openStack(workDir: string, stackName: string, env: Record<string, string>): Promise<Stack> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  return LocalWorkspace.selectStack({ stackName, workDir }, { workDir, envVars: env });
}

/** The stack's config as plain strings (secrets decrypted: used in this process only, never written). */
export async function stackConfig(stack: Stack): Promise<{ values: Record<string, string>; secretKeys: string[] }> {
  const all = await stack.getAllConfig();
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    values[k] = v.value;
    if (v.secret) secretKeys.push(k);
  }
  return { values, secretKeys };
}

export async function exportState(stack: Stack): Promise<Deployment> {
  return stack.exportStack();
}

/** SCIM ids (`user|<id>`, `group|<id>`, `members|<groupId>`, `pair|<g>|<m>`) that resources of the stack manage, by URN. */
export function managedIds(deployment: Deployment, ours: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resourcesOf(deployment)) {
    if (ours.has(r.urn) || !r.id || !r.type.startsWith("pulumi-nodejs:dynamic/scim:")) continue;
    const kind = r.type.slice("pulumi-nodejs:dynamic/scim:".length);
    const by = r.urn;
    // A collection (ScimUsers, ScimServicePrincipals) manages each identity of its map.
    const entries = (kind === "Users" ? r.outputs?.users : kind === "ServicePrincipals" ? r.outputs?.servicePrincipals : undefined) as
      Record<string, { id?: unknown }> | undefined;
    for (const e of Object.values(entries ?? {})) {
      if (typeof e?.id === "string") out.set(`${kind === "Users" ? "user" : "servicePrincipal"}|${e.id}`, by);
    }
    if (kind === "User") out.set(`user|${r.id}`, by);
    else if (kind === "ServicePrincipal") out.set(`servicePrincipal|${r.id}`, by);
    else if (kind === "Group") out.set(`group|${r.id}`, by);
    else if (kind === "GroupMembers") out.set(`members|${r.id}`, by);
    // A group whose memberships the stack already manages (either way) keeps them: no second resource for it.
    else if (kind === "GroupMembership") out.set(`members|${r.id.split("|")[0]}`, by);
  }
  return out;
}

export function urnOf(stackName: string, project: string, type: string, name: string): string {
  return `urn:pulumi:${stackName}::${project}::${type}::${name}`;
}

export interface MergeResult {
  deployment: Deployment;
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * The stack's deployment with our resources in it: new ones added, ones with the same URN (an earlier import)
 * replaced by what was read now, everything else kept as it is; then ordered so every resource comes after its
 * parent, provider and dependencies, as the engine requires.
 */
export function mergeState(
  deployment: Deployment,
  states: ResourceState[],
  ctx: { stackName: string; project: string; providerInputs: Record<string, unknown> },
): MergeResult {
  const body = (deployment.deployment ?? {}) as DeploymentBody;
  if (body.pending_operations && body.pending_operations.length > 0) {
    throw new ImportError(
      "IMPORT_PENDING_OPERATIONS",
      "the stack has pending operations from an interrupted update; run `pulumi refresh` (or `pulumi cancel`) first. Nothing was written.",
    );
  }
  const resources = [...(body.resources ?? [])];
  const stackUrn = urnOf(ctx.stackName, ctx.project, "pulumi:pulumi:Stack", `${ctx.project}-${ctx.stackName}`);
  if (!resources.some((r) => r.urn === stackUrn)) resources.unshift({ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" });
  const providerUrn = urnOf(ctx.stackName, ctx.project, "pulumi:providers:pulumi-nodejs", "default");
  let provider = resources.find((r) => r.urn === providerUrn);
  if (!provider) {
    provider = {
      urn: providerUrn,
      custom: true,
      id: randomUUID(),
      type: "pulumi:providers:pulumi-nodejs",
      inputs: ctx.providerInputs,
      outputs: ctx.providerInputs,
    };
    resources.push(provider);
  }
  const providerRef = `${providerUrn}::${provider.id}`;
  const byUrn = new Map(resources.map((r, i) => [r.urn, i]));
  const urnOfName = (name: string, kind: string): string => urnOf(ctx.stackName, ctx.project, kind, name);
  const nameToUrn = new Map(states.map((s) => [s.name, urnOfName(s.name, s.type)]));
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  const now = new Date().toISOString();
  for (const s of states) {
    const urn = nameToUrn.get(s.name) as string;
    const propertyDependencies: Record<string, string[]> = {};
    for (const [prop, names] of Object.entries(s.dependsOn)) propertyDependencies[prop] = names.map((n) => nameToUrn.get(n) as string);
    const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
    const entry: StateResource = {
      urn,
      custom: true,
      id: s.id,
      type: s.type,
      inputs: s.inputs,
      outputs: s.outputs,
      parent: stackUrn,
      provider: providerRef,
      ...(dependencies.length ? { dependencies } : {}),
      ...(Object.keys(propertyDependencies).length ? { propertyDependencies } : {}),
      created: now,
      modified: now,
    };
    const at = byUrn.get(urn);
    if (at === undefined) {
      resources.push(entry);
      added++;
      continue;
    }
    const old = resources[at] as StateResource;
    if (s.ownId && old.type === entry.type && old.id) entry.id = old.id; // made by an `up`, or an earlier import: its id stays
    if (old.id === entry.id && same(old.inputs, entry.inputs) && same(old.outputs, entry.outputs)) {
      unchanged++;
      continue;
    }
    resources[at] = { ...old, ...entry, created: (old.created as string | undefined) ?? now };
    updated++;
  }
  const ordered = topoOrder(resources);
  return { deployment: { ...deployment, deployment: { ...body, resources: ordered } }, added, updated, unchanged };
}

function resourcesOf(deployment: Deployment): StateResource[] {
  return ((deployment.deployment ?? {}) as DeploymentBody).resources ?? [];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, x]) => [k, sorted(x)]),
    );
  return v;
}

/** Stable order in which parents, providers and dependencies come first (the snapshot's integrity rule). */
function topoOrder(resources: StateResource[]): StateResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const done = new Set<string>();
  const out: StateResource[] = [];
  const visit = (r: StateResource, path: Set<string>): void => {
    if (done.has(r.urn) || path.has(r.urn)) return;
    path.add(r.urn);
    const deps = [r.parent, r.provider?.split("::").slice(0, -1).join("::"), r.deletedWith, ...(r.dependencies ?? [])];
    for (const d of deps) {
      const dep = d ? byUrn.get(d) : undefined;
      if (dep) visit(dep, path);
    }
    path.delete(r.urn);
    done.add(r.urn);
    out.push(r);
  };
  for (const r of resources) visit(r, new Set());
  return out;
}

export async function importState(stack: Stack, deployment: Deployment): Promise<void> {
  await stack.importStack(deployment);
}
