/**
 * A data-driven program of the provider plugin's resources, declared by type token as any language's SDK
 * declares them (`databricks-scim:index:User`, …), for engine tests of the plugin: the stack configuration key
 * `spec` (JSON) lists the resources in order. A string `${name.id}` anywhere in the properties is the id of the
 * resource of that name declared before it (the program passes the Output, so the engine orders them).
 * `invokes` are the plugin's functions called by token (`databricks-scim:index:getUser`, …), as an SDK's generated
 * function calls them, after the resources are declared; each result is the stack output `invoke:<name>`, or
 * `{ error: <message> }` when the call failed (so that one run shows several refusals).
 */
import * as pulumi from "@pulumi/pulumi";

export interface PluginSpec {
  /** `deletedWith`: the name of a resource declared before it (a membership's group, as the TypeScript classes set it). */
  resources: { name: string; type: string; props: Record<string, unknown>; import?: string; deletedWith?: string }[];
  invokes?: { name: string; fn: string; args: Record<string, unknown> }[];
}

const REF = /^\$\{([^.}]+)\.id\}$/;

function resolve(value: unknown, declared: Map<string, pulumi.CustomResource>): unknown {
  if (typeof value === "string") {
    const m = REF.exec(value);
    if (!m) return value;
    const r = declared.get(m[1] as string);
    if (!r) throw new Error(`spec: '${value}' names no resource declared before it`);
    return r.id;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, declared));
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, declared)]));
  return value;
}

/** A resource of the plugin by its token, as an SDK's generated class is underneath. */
class PluginResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

export default async function program(): Promise<Record<string, unknown>> {
  const spec = JSON.parse(new pulumi.Config().require("spec")) as PluginSpec;
  const declared = new Map<string, pulumi.CustomResource>();
  for (const r of spec.resources) {
    const props = resolve(r.props, declared) as pulumi.Inputs;
    const opts: pulumi.CustomResourceOptions = {};
    if (r.import) opts.import = r.import;
    if (r.deletedWith) opts.deletedWith = declared.get(r.deletedWith);
    declared.set(r.name, new PluginResource(`databricks-scim:index:${r.type}`, r.name, props, opts));
  }
  const results: Record<string, unknown> = {};
  for (const i of spec.invokes ?? []) {
    results[`invoke:${i.name}`] = await pulumi.runtime.invoke(`databricks-scim:index:${i.fn}`, i.args).then(
      (r: unknown) => r,
      (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
    );
  }
  return { ...Object.fromEntries([...declared].map(([name, r]) => [name, r.id])), ...results };
}
