import { ConflictError, NotFoundError, isAmbiguousWrite, type ScimClient } from "../client";
import { SCHEMA_USER, type Entitlement, type PatchOperation, type ScimUser } from "../client/types";
import { clientFor } from "../runtime/connection";
import { Checker, EMAIL, isUnknown, sameSet } from "./check";
import { entitlementOps, fromComplex, toComplex } from "./entitlements";
import { checkTarget, targetReplaces } from "./target";
import type { DeletionPolicy, Lifecycle, TargetInputs } from "./types";

/** Inputs after check: normalised, defaults filled, target resolved. */
export interface UserInputs extends TargetInputs {
  /** Lower-cased, as Databricks stores it; a case-only change is therefore no change at all. */
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  active: boolean;
  externalId?: string;
  /** Sorted; undefined = not managed here. */
  entitlements?: Entitlement[];
  onDelete: DeletionPolicy;
  adopt: boolean;
}

/** Optional fields that the program may leave to the server; `managed` records which ones it set. */
const OPTIONAL = ["displayName", "givenName", "familyName", "externalId", "entitlements"] as const;
type OptionalField = (typeof OPTIONAL)[number];

export interface UserOutputs extends UserInputs {
  home: string;
  aclPrincipalId: string;
  /** Which optional fields the program sets; the others are reported but never changed or called drift. */
  managed: OptionalField[];
}

/** The attributes read back on refresh: only what this resource manages (reading entitlements is costly). */
const READ_ATTRIBUTES = "userName,displayName,active,externalId,entitlements,name";

export const userLifecycle: Lifecycle<UserInputs, UserOutputs> = {
  async check(_olds, news) {
    const c = new Checker();
    const target = checkTarget(c, news);
    const userNameRaw = c.requiredString(
      news,
      "userName",
      "Set it to the user's email address, e.g. userName: \"alice@example.com\".",
    );
    let userName = userNameRaw;
    if (typeof userNameRaw === "string" && !isUnknown(userNameRaw)) {
      userName = userNameRaw.trim().toLowerCase();
      if (!EMAIL.test(userName)) {
        c.fail("userName", `'${userNameRaw}' is not an email address. Databricks user names are emails, e.g. "alice@example.com".`);
      }
    }
    const inputs: UserInputs = {
      ...(target ?? { host: "", level: "workspace" }),
      userName: userName ?? "",
      active: c.boolean(news, "active", true),
      onDelete: c.oneOf(news, "onDelete", ["delete", "deactivate"] as const, "delete"),
      adopt: c.boolean(news, "adopt", false),
    };
    const displayName = c.optionalString(news, "displayName", "Omit it to let Databricks use the user name.");
    const givenName = c.optionalString(news, "givenName", "Omit it if the user has no given name.");
    const familyName = c.optionalString(news, "familyName", "Omit it if the user has no family name.");
    const externalId = c.optionalString(news, "externalId", "Omit it unless an identity provider needs it.");
    const entitlements = c.entitlements(news, inputs.level);
    if (displayName !== undefined) inputs.displayName = displayName;
    if (givenName !== undefined) inputs.givenName = givenName;
    if (familyName !== undefined) inputs.familyName = familyName;
    if (externalId !== undefined) inputs.externalId = externalId;
    if (entitlements !== undefined) inputs.entitlements = entitlements;
    return c.failures.length ? { inputs, failures: c.failures } : { inputs };
  },

  /** Where a user's diff is decided: field by field, no HTTP. */
  async diff(_id, olds, news) {
    const replaces = [...targetReplaces(olds, news)];
    if (olds.userName !== news.userName) replaces.push("userName");
    const changed = changedFields(olds, news);
    // A replacement always lands on another name or another workspace/account, so create-before-delete is safe.
    return { changes: replaces.length > 0 || changed.length > 0, replaces };
  },

  async create(inputs) {
    const client = clientFor(inputs);
    const body = createBody(inputs);
    let user: ScimUser;
    try {
      user = await client.users.create(body);
    } catch (e) {
      if (e instanceof ConflictError) {
        user = await adoptExisting(client, inputs, e);
      } else if (isAmbiguousWrite(e)) {
        // The request may have been applied before the connection dropped: look before creating again.
        const found = await client.users.findByUserName(inputs.userName);
        if (!found?.id) throw e;
        user = await converge(client, found, inputs);
      } else {
        throw e;
      }
    }
    if (!user.id) throw new Error(`userName: Databricks returned no id for '${inputs.userName}'.`);
    return { id: user.id, outs: outputsFrom(inputs, user) };
  },

  async read(id, props) {
    const client = clientFor(props);
    let user: ScimUser;
    try {
      user = await client.users.get(id, { attributes: READ_ATTRIBUTES });
    } catch (e) {
      if (e instanceof NotFoundError) return {}; // deleted out of band: the engine drops it from state
      throw e;
    }
    const outs = outputsFrom(props, user);
    return { id, props: outs, inputs: inputsFrom(outs) };
  },

  async update(id, olds, news) {
    const ops = patchOps(olds, news);
    if (ops.length > 0) await clientFor(news).users.patch(id, ops);
    return { outs: outputsAfterUpdate(olds, news) };
  },

  async delete(id, props) {
    const client = clientFor(props);
    try {
      if (props.onDelete === "deactivate") {
        await client.users.patch(id, [{ op: "replace", path: "active", value: false }]);
      } else {
        await client.users.delete(id);
      }
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e; // already gone is what we wanted
    }
  },
};

function changedFields(olds: UserOutputs, news: UserInputs): string[] {
  const out: string[] = [];
  if (olds.active !== news.active) out.push("active");
  if (olds.onDelete !== news.onDelete) out.push("onDelete");
  for (const f of OPTIONAL) {
    if (news[f] === undefined) continue; // not managed by the program: never a change
    if (f === "entitlements") {
      if (!sameSet(olds.entitlements, news.entitlements)) out.push(f);
    } else if (olds[f] !== news[f]) {
      out.push(f);
    }
  }
  return out;
}

function createBody(inputs: UserInputs): ScimUser {
  const body: ScimUser = { schemas: [SCHEMA_USER], userName: inputs.userName, active: inputs.active };
  if (inputs.displayName !== undefined) body.displayName = inputs.displayName;
  if (inputs.givenName !== undefined || inputs.familyName !== undefined) {
    body.name = { givenName: inputs.givenName, familyName: inputs.familyName };
  }
  if (inputs.externalId !== undefined) body.externalId = inputs.externalId;
  if (inputs.entitlements?.length) body.entitlements = toComplex(inputs.entitlements);
  return body;
}

/** PATCH operations that take the server from `olds` (last known) to `news`, and nothing else. */
function patchOps(olds: UserOutputs, news: UserInputs): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const set = (path: string, value: unknown): void => void ops.push({ op: "replace", path, value });
  if (news.displayName !== undefined && news.displayName !== olds.displayName) set("displayName", news.displayName);
  if (news.givenName !== undefined && news.givenName !== olds.givenName) set("name.givenName", news.givenName);
  if (news.familyName !== undefined && news.familyName !== olds.familyName) set("name.familyName", news.familyName);
  if (news.externalId !== undefined && news.externalId !== olds.externalId) set("externalId", news.externalId);
  if (news.active !== olds.active) set("active", news.active);
  if (news.entitlements !== undefined) ops.push(...entitlementOps(olds.entitlements ?? [], news.entitlements));
  return ops;
}

/** A user with this name exists: take it over if the program said so, else explain the way out. */
async function adoptExisting(client: ScimClient, inputs: UserInputs, conflict: ConflictError): Promise<ScimUser> {
  const existing = await client.users.findByUserName(inputs.userName);
  if (!inputs.adopt || !existing?.id) {
    throw new Error(
      `userName: a user '${inputs.userName}' already exists in ${inputs.host}${existing?.id ? ` (id ${existing.id})` : ""}. ` +
        "Set `adopt: true` on this resource to manage the existing user (the preview then shows what will change), " +
        `or remove it from the ${inputs.level} first. (${conflict.message})`,
    );
  }
  return converge(client, existing, inputs);
}

/** Brings an existing user to the declared state with one PATCH, and returns what the server then holds. */
async function converge(client: ScimClient, existing: ScimUser, inputs: UserInputs): Promise<ScimUser> {
  const current = outputsFrom(inputs, existing);
  const ops = patchOps(current, inputs);
  if (ops.length > 0) await client.users.patch(existing.id as string, ops);
  return { ...existing, ...userFromOutputs(outputsAfterUpdate(current, inputs)) };
}

function managedOf(inputs: UserInputs | UserOutputs): OptionalField[] {
  if ("managed" in inputs && Array.isArray(inputs.managed)) return inputs.managed;
  return OPTIONAL.filter((f) => inputs[f] !== undefined);
}

/** Outputs: the server's view of every field, plus the program's settings that live only in state. */
function outputsFrom(base: UserInputs | UserOutputs, user: ScimUser): UserOutputs {
  const userName = (user.userName ?? base.userName).toLowerCase();
  const outs: UserOutputs = {
    host: base.host,
    level: base.level,
    ...(base.accountId ? { accountId: base.accountId } : {}),
    userName,
    active: user.active ?? true,
    onDelete: base.onDelete,
    adopt: base.adopt,
    home: `/Users/${userName}`,
    aclPrincipalId: `users/${userName}`,
    managed: managedOf(base),
  };
  if (user.displayName !== undefined) outs.displayName = user.displayName;
  if (user.name?.givenName !== undefined) outs.givenName = user.name.givenName;
  if (user.name?.familyName !== undefined) outs.familyName = user.name.familyName;
  if (user.externalId !== undefined) outs.externalId = user.externalId;
  if (base.level === "workspace") outs.entitlements = fromComplex(user.entitlements);
  return outs;
}

function outputsAfterUpdate(olds: UserOutputs, news: UserInputs): UserOutputs {
  const outs: UserOutputs = { ...olds, ...stripUndefined(news), managed: OPTIONAL.filter((f) => news[f] !== undefined) };
  outs.home = `/Users/${outs.userName}`;
  outs.aclPrincipalId = `users/${outs.userName}`;
  return outs;
}

function userFromOutputs(o: UserOutputs): ScimUser {
  return {
    userName: o.userName,
    displayName: o.displayName,
    active: o.active,
    externalId: o.externalId,
    name: { givenName: o.givenName, familyName: o.familyName },
    entitlements: o.entitlements ? toComplex(o.entitlements) : undefined,
  };
}

/** After a refresh, the inputs the engine keeps are the server's values of the fields the program manages. */
function inputsFrom(outs: UserOutputs): UserInputs {
  const inputs: UserInputs = {
    host: outs.host,
    level: outs.level,
    ...(outs.accountId ? { accountId: outs.accountId } : {}),
    userName: outs.userName,
    active: outs.active,
    onDelete: outs.onDelete,
    adopt: outs.adopt,
  };
  for (const f of outs.managed) {
    const v = outs[f];
    if (f === "entitlements") inputs.entitlements = (v as Entitlement[] | undefined) ?? [];
    else if (v !== undefined) (inputs as unknown as Record<string, unknown>)[f] = v;
  }
  return inputs;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
