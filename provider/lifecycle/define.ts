import type * as pulumi from "@pulumi/pulumi";
import { AuthError, NotFoundError } from "../client";
import { Checker } from "./check";
import type { CallContext, CheckContext, Contexts } from "./context";
import { checkTarget, type TargetSeen } from "./target";
import { CONFIG_NAMESPACE, type ConnectionSource, type Lifecycle, type TargetInputs } from "./types";

/**
 * One lifecycle definer for every resource kind, owning the rules that are the same for all of them, so that a
 * kind's file says only what is its own (model: the Databricks Terraform provider's common.Resource, whose
 * Create/Read/Update/Delete receive the client):
 *  - check: a Checker, the target resolved (and a fallback target when it cannot be), the result assembled;
 *  - one diff convention (`diffAnswer`), the connection's diff included;
 *  - the connection (credential source, names only) carried from inputs into outputs;
 *  - a 404 on refresh means gone;
 *  - the stale-credential hint on refresh and destroy;
 *  - contexts handed in: check gets a CheckContext, every other call a CallContext for its target.
 */

/** A kind's own diff: the fields that force a replacement, and the fields that change in place. */
export interface DiffDecision {
  replaces: string[];
  changed: string[];
}

export interface LifecycleSpec<I extends TargetInputs, O extends TargetInputs> {
  /** Registered inputs as check sees them (memberships flatten their `scope`); default: as registered. */
  prepare?(news: Record<string, unknown>): Record<string, unknown>;
  /**
   * The kind's own fields, validated and normalised into inputs. `target` is resolved, or a fallback
   * ({host: "", level: "workspace"}) after a failure that `c` already holds. `seen.cloud`: the cloud the host's
   * metadata named when check read it (never stored; a host name's cloud is the kind's own business).
   */
  check(c: Checker, news: Record<string, unknown>, target: TargetInputs, ctx: CheckContext, seen: TargetSeen): I;
  /** No HTTP: a preview decides every diff from state and the new inputs. */
  diff(olds: O, news: I): DiffDecision;
  create(ctx: CallContext, inputs: I): Promise<{ id: string; outs: O }>;
  /** The object as the server holds it now, or undefined when it is gone (a NotFoundError means gone too). */
  read(ctx: CallContext, id: string, props: O): Promise<O | undefined>;
  /** The inputs the engine keeps after a refresh, from the outputs read. */
  inputsAfterRead(outs: O): I;
  update(ctx: CallContext, id: string, olds: O, news: I): Promise<O>;
  delete(ctx: CallContext, id: string, props: O): Promise<void>;
}

/** A kind's lifecycle, waiting for its contexts (the dispatcher's, or a test's fake). */
export interface DefinedLifecycle<I extends TargetInputs, O extends TargetInputs> {
  bind(contexts: Contexts): Lifecycle<I, O>;
}

const FALLBACK_TARGET: TargetInputs = { host: "", level: "workspace" };

export function defineLifecycle<I extends TargetInputs, O extends TargetInputs>(spec: LifecycleSpec<I, O>): DefinedLifecycle<I, O> {
  return {
    bind(contexts) {
      const core: Lifecycle<I, O> = {
        async check(_olds, registered) {
          const news = spec.prepare ? spec.prepare(registered) : registered;
          const ctx = contexts.check();
          const c = new Checker();
          const seen: TargetSeen = {};
          const target = (await checkTarget(c, news, ctx.targets, seen)) ?? FALLBACK_TARGET;
          const inputs = spec.check(c, news, target, ctx, seen);
          return c.failures.length ? { inputs, failures: c.failures } : { inputs };
        },
        async diff(_id, olds, news) {
          return diffAnswer(spec.diff(olds, news));
        },
        async create(inputs) {
          return spec.create(contexts.call(targetOf(inputs)), inputs);
        },
        async read(id, props) {
          const outs = await goneOnNotFound(() => spec.read(contexts.call(targetOf(props)), id, props));
          // Gone (deleted out of band): an empty answer, and the engine drops the resource from state.
          return outs ? { id, props: outs, inputs: spec.inputsAfterRead(outs) } : {};
        },
        async update(id, olds, news) {
          return { outs: await spec.update(contexts.call(targetOf(news)), id, olds, news) };
        },
        async delete(id, props) {
          await spec.delete(contexts.call(targetOf(props)), id, props);
        },
      };
      return withConnection(core);
    },
  };
}

/**
 * The one diff convention. Nothing changes: `changes: false`. Something changes: `changes` is left unset, so the
 * engine diffs the old and new inputs itself and `pulumi preview --diff` shows each changed field with its old
 * and new value (a `changes: true` answer carries no detailed diff: the dynamic provider host forwards only
 * changes, replaces and deleteBeforeReplace). Our `replaces` still decide what replaces. A replacement always
 * lands on another natural key or another workspace/account, so create-before-delete is safe.
 */
export function diffAnswer(d: DiffDecision): pulumi.dynamic.DiffResult {
  return d.replaces.length > 0 || d.changed.length > 0 ? { replaces: d.replaces } : { changes: false, replaces: d.replaces };
}

/**
 * The target part of outputs and of the inputs kept after a refresh: read and delete see only outputs, so
 * everything a call's client needs (host, level, accountId, the credential source) is echoed.
 */
export function targetOf(t: TargetInputs): TargetInputs {
  return {
    host: t.host,
    level: t.level,
    ...(t.accountId ? { accountId: t.accountId } : {}),
    ...(t.hostWorkspaceId ? { hostWorkspaceId: t.hostWorkspaceId } : {}),
    ...(t.connection ? { connection: t.connection } : {}),
  };
}

async function goneOnNotFound<T>(fn: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

type Carrying = { connection?: ConnectionSource };

/**
 * The connection rules, the same for every kind:
 *  - the credential source (`connection`, names only) travels from inputs into outputs, because read and delete
 *    only ever see outputs: a destroy must use the credentials the resource was created with;
 *  - a changed source is an update (never a replacement): the principal stays where it is. When the kind found
 *    field changes too, its answer (changes unset) already makes the engine diff the inputs, the connection
 *    among them, so it is kept as it is and `preview --diff` shows the fields; only when the source is the one
 *    change is the answer turned into `changes: true`;
 *  - an auth failure during refresh or destroy with a stack-config credential says why it may be stale.
 */
export function withConnection<I extends object, O extends object>(inner: Lifecycle<I, O>): Lifecycle<I, O> {
  return {
    check: (olds, news) => inner.check(olds, news),
    async diff(id, olds, news) {
      const d = await inner.diff(id, olds, news);
      if (d.changes === false && !sameSource(sourceOf(olds), sourceOf(news))) return { ...d, changes: true };
      return d;
    },
    async create(inputs) {
      const r = await inner.create(inputs);
      return { ...r, outs: carry(r.outs, sourceOf(inputs)) };
    },
    async update(id, olds, news) {
      const r = await inner.update(id, olds, news);
      return { ...r, outs: carry(r.outs, sourceOf(news)) };
    },
    async read(id, props) {
      const r = await staleHint(() => inner.read(id, props));
      const out = { ...r };
      if (r.props) out.props = carry(r.props, sourceOf(props));
      if (r.inputs) out.inputs = carry(r.inputs, sourceOf(props));
      return out;
    },
    delete: (id, props) => staleHint(() => inner.delete(id, props)),
  };
}

function sourceOf(values: object): ConnectionSource | undefined {
  return (values as Carrying).connection;
}

function carry<T extends object>(outs: T | undefined, connection: ConnectionSource | undefined): T | undefined {
  if (!outs) return outs;
  const copy: T & Carrying = { ...outs };
  if (connection) copy.connection = connection;
  else delete copy.connection;
  return copy;
}

function sameSource(a: ConnectionSource | undefined, b: ConnectionSource | undefined): boolean {
  const norm = (s: ConnectionSource | undefined) => JSON.stringify(Object.entries(s ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
}

/**
 * Appended when a stack-config credential is rejected outside `up` (docs/guides/credentials.md). Chosen by the typed
 * AuthError.authSourceKinds, never by the wording of the source text.
 */
export const STALE_CONFIG_HINT =
  ` pulumi destroy and pulumi refresh configure the provider with the stack configuration saved by the last ` +
  `\`pulumi up\`, not the current one: after rotating ${CONFIG_NAMESPACE}:token (or clientSecret), run ` +
  `\`pulumi destroy --run-program\` (or \`pulumi refresh --run-program\`), or \`pulumi up\` first. Credentials ` +
  `from the environment, a ~/.databrickscfg profile or a connection's tokenEnvVar are read fresh on every run.`;

async function staleHint<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AuthError && e.authSourceKinds.includes("stackConfig") && !e.message.includes(STALE_CONFIG_HINT)) {
      e.message += STALE_CONFIG_HINT;
    }
    throw e;
  }
}
