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
 * step, so a value that can be told from the others costs bytes in every checkpoint.
 *
 * Inputs are stored whole, exactly as check returns them: the engine's own display diff (preview, `--diff`)
 * compares the stored inputs with the new ones, so a key left out there shows as added (`+active`) when a
 * program states its default; and the recovery of an interrupted run reads the target from a pending create's
 * inputs (runtime/pendingCreates.ts).
 *
 * What is left out of the stored outputs, and put back before any lifecycle method sees it (the lifecycles and
 * the provider plugin keep the full shape; this applies at the dynamic provider's boundary only,
 * provider/runtime/index.ts). Only keys no typed output of the resource class resolves from: Pulumi resolves a
 * registered output from the stored outputs, so such a key stays (`ScimUser.active`, `ScimGroup.url`).
 *  - `level` when it is "workspace" (the default of every target);
 *  - a field of the kind's table at its `default` when it is no reported field (adopt: false, onDelete: "delete");
 *  - outputs derived from others that the class derives itself: a user's or service principal's `home` and
 *    `aclPrincipalId`, a group's `aclPrincipalId` (getters, resources/user.ts); a membership's `groupId` and
 *    `memberId`, the two parts of its id `<groupId>|<memberId>` (resources/groupMembership.ts). Each only when
 *    it equals what is derived, so an odd stored value is kept as it is.
 * A state written before (every key present) reads the same: putting back only fills what is absent. Nothing
 * that refresh, diff, delete or recovery needs is lost: each value left out is a constant or a function of
 * what is stored (and of the resource id, which every call but create receives).
 */

type Values = Record<string, unknown>;

interface Shape {
  fields?: Fields;
  /** Outputs that are a function of the other outputs (and the id): left out when equal, put back when absent. */
  derived?(outs: Values, id: string): Values;
  /**
   * Derived outputs that are stored all the same, because the resource class registers them as outputs (a
   * program would read `undefined` without them); put back when absent (a state written by 7893e02's parent
   * branch, pairstate, left them out).
   */
  stored?: readonly string[];
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
    stored: ["url"],
  },
  users: {},
  servicePrincipals: {},
  groupMembership: { derived: (_o, id) => membershipIds(id) },
  groupMembers: {},
  workspaceAssignment: {},
  workspaceEntitlements: {},
};

/** `<groupId>|<memberId>` → both ids (resources/groupMembership.ts, lifecycle/groupMembership.ts membershipId). */
function membershipIds(id: string): Values {
  const parts = id.split("|");
  return parts.length === 2 && parts[0] && parts[1] ? { groupId: parts[0], memberId: parts[1] } : {};
}

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

/** Outputs as stored: without the default level, the unreported fields at their default and what is derived. */
export function storedOutputs(kind: ResourceKind, outputs: object, id: string): Values {
  const shape = SHAPES[kind];
  const out: Values = { ...(outputs as Values) };
  for (const [k, v] of Object.entries(shape.derived?.(withLevel(out), id) ?? {})) if (out[k] === v && !shape.stored?.includes(k)) delete out[k];
  if (out.level === DEFAULT_LEVEL) delete out.level;
  for (const [k, f] of Object.entries(shape.fields ?? {})) if (f.default !== undefined && !isOutputKey(f) && out[k] === f.default) delete out[k];
  return out;
}

/**
 * Inputs as the lifecycle takes them. They are stored whole; this fills what a state written by the pairstate
 * branch (on main from d313d3a until its revert e9f324a) left out of them: the default level and the fields at
 * their default.
 */
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
 * A kind's lifecycle as the engine calls it: the outputs it stores in the stored shape (inputs as check returns
 * them), what it is handed in the full shape. Empty results (a gone resource's read) pass as they are.
 */
export function withStoredShape(kind: ResourceKind, inner: Lifecycle<object, object>): Lifecycle<object, object> {
  return {
    async check(olds, news) {
      // A create's olds are empty: nothing to put back there.
      return inner.check(Object.keys(olds).length ? fullInputs(kind, olds) : olds, news);
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
      return out;
    },
    async update(id, olds, news) {
      const r = await inner.update(id, fullOutputs(kind, olds, id), fullInputs(kind, news));
      return r.outs ? { ...r, outs: storedOutputs(kind, r.outs, id) } : r;
    },
    delete: (id, props) => inner.delete(id, fullOutputs(kind, props, id)),
  };
}
