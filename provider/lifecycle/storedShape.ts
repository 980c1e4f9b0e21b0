import { aclPrincipalId, homeFolder } from "./derived";
import type { Fields } from "./fieldTypes";
import { GROUP_FIELDS } from "./groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "./servicePrincipalFields";
import { scimCollectionUrl } from "./target";
import type { Lifecycle, ResourceKind, TargetInputs } from "./types";
import { USER_FIELDS } from "./userFields";

/**
 * What a dynamic resource keeps in the Pulumi state, and how the lifecycle sees it again (issue 21 item 3).
 *
 * Pulumi stores every resource's inputs and outputs, and the file backend rewrites the whole state after each
 * step, so a value that can be told from the others costs bytes in every checkpoint. What is left out when it
 * is stored, and put back before any lifecycle method sees it (the lifecycles and the provider plugin keep the
 * full shape; this applies at the dynamic provider's boundary only, provider/runtime/index.ts):
 *  - `level` when it is "workspace" (the default of every target), in inputs and outputs;
 *  - a field of the kind's table at its `default` (adopt: false, onDelete: "delete", active: true): in inputs
 *    always, in outputs only when the field is no registered output of the resource class (`reported`), since
 *    Pulumi resolves a class's outputs from the stored outputs: `ScimUser.active` stays `true`;
 *  - outputs derived from others: a user's or service principal's `home` and `aclPrincipalId`, a group's
 *    `aclPrincipalId` and `url` (the classes' getters derive them as well: resources/user.ts), dropped only when
 *    they equal what is derived, so an odd stored value is kept as it is.
 * A state written before (every key present) reads the same: putting back only fills what is absent. Nothing
 * that refresh, diff, delete or recovery needs is lost: each value left out is a constant or a function of
 * what is stored (and of the resource id, which every call but create receives).
 */

type Values = Record<string, unknown>;

interface Shape {
  fields?: Fields;
  /** Outputs that are a function of the other outputs (and the id). */
  derived?(outs: Values, id: string): Values;
}

const principal = (collection: "users" | "servicePrincipals", key: string) => (o: Values) =>
  typeof o[key] === "string" ? { home: homeFolder(o[key] as string), aclPrincipalId: aclPrincipalId(collection, o[key] as string) } : {};

const SHAPES: Record<ResourceKind, Shape> = {
  user: { fields: USER_FIELDS, derived: principal("users", "userName") },
  servicePrincipal: { fields: SERVICE_PRINCIPAL_FIELDS, derived: principal("servicePrincipals", "applicationId") },
  group: {
    fields: GROUP_FIELDS,
    derived: (o, id) => ({
      ...(typeof o.displayName === "string" ? { aclPrincipalId: aclPrincipalId("groups", o.displayName) } : {}),
      ...(typeof o.host === "string" && id ? { url: `${scimCollectionUrl(targetIn(o), "Groups")}/${id}` } : {}),
    }),
  },
  users: {},
  servicePrincipals: {},
  groupMembership: {},
  groupMembers: {},
  workspaceAssignment: {},
  workspaceEntitlements: {},
};

const DEFAULT_LEVEL = "workspace";

/** The target part of full outputs (level put back), typed for scimCollectionUrl. */
function targetIn(o: Values): TargetInputs {
  const level = o.level === "account" ? "account" : "workspace";
  return { host: o.host as string, level, ...(typeof o.accountId === "string" ? { accountId: o.accountId } : {}) };
}

function withLevel(v: Values): Values {
  return v.level === undefined ? { ...v, level: DEFAULT_LEVEL } : v;
}

const isOutputKey = (f: Fields[string]) => f.reported === true || f.reportedWhenManaged === true;

/** Inputs as stored: without the default level and the fields at their default. */
export function storedInputs(kind: ResourceKind, inputs: object): Values {
  const out: Values = { ...(inputs as Values) };
  if (out.level === DEFAULT_LEVEL) delete out.level;
  for (const [k, f] of Object.entries(SHAPES[kind].fields ?? {})) if (f.default !== undefined && out[k] === f.default) delete out[k];
  return out;
}

/** Outputs as stored: without the default level, the state-only fields at their default and what is derived. */
export function storedOutputs(kind: ResourceKind, outputs: object, id: string): Values {
  const shape = SHAPES[kind];
  const out: Values = { ...(outputs as Values) };
  for (const [k, v] of Object.entries(shape.derived?.(withLevel(out), id) ?? {})) if (out[k] === v) delete out[k];
  if (out.level === DEFAULT_LEVEL) delete out.level;
  for (const [k, f] of Object.entries(shape.fields ?? {})) if (f.default !== undefined && !isOutputKey(f) && out[k] === f.default) delete out[k];
  return out;
}

/** Inputs as the lifecycle takes them: what was left out put back (a state written before has it all). */
export function fullInputs(kind: ResourceKind, stored: object): Values {
  const out = withLevel({ ...(stored as Values) });
  for (const [k, f] of Object.entries(SHAPES[kind].fields ?? {})) if (f.default !== undefined && out[k] === undefined) out[k] = f.default;
  return out;
}

/** Outputs as the lifecycle takes them. */
export function fullOutputs(kind: ResourceKind, stored: object, id: string): Values {
  const shape = SHAPES[kind];
  const out = withLevel({ ...(stored as Values) });
  for (const [k, f] of Object.entries(shape.fields ?? {})) if (f.default !== undefined && out[k] === undefined) out[k] = f.default;
  for (const [k, v] of Object.entries(shape.derived?.(out, id) ?? {})) if (out[k] === undefined) out[k] = v;
  return out;
}

/**
 * A kind's lifecycle as the engine calls it: what it stores in the stored shape, what it is handed in the full
 * one. Empty results (a gone resource's read) pass as they are.
 */
export function withStoredShape(kind: ResourceKind, inner: Lifecycle<object, object>): Lifecycle<object, object> {
  return {
    async check(olds, news) {
      // A create's olds are empty: nothing to put back there.
      const r = await inner.check(Object.keys(olds).length ? fullInputs(kind, olds) : olds, news);
      return r.inputs ? { ...r, inputs: storedInputs(kind, r.inputs) } : r;
    },
    diff: (id, olds, news) => inner.diff(id, fullOutputs(kind, olds, id), fullInputs(kind, news)),
    async create(inputs) {
      const r = await inner.create(fullInputs(kind, inputs));
      return r.outs ? { ...r, outs: storedOutputs(kind, r.outs, r.id) } : r;
    },
    async read(id, props) {
      const r = await inner.read(id, fullOutputs(kind, props, id));
      const out = { ...r };
      if (r.props) out.props = storedOutputs(kind, r.props, r.id ?? id);
      if (r.inputs) out.inputs = storedInputs(kind, r.inputs);
      return out;
    },
    async update(id, olds, news) {
      const r = await inner.update(id, fullOutputs(kind, olds, id), fullInputs(kind, news));
      return r.outs ? { ...r, outs: storedOutputs(kind, r.outs, id) } : r;
    },
    delete: (id, props) => inner.delete(id, fullOutputs(kind, props, id)),
  };
}
