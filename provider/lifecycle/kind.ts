import { ConflictError, NotFoundError, isAmbiguousWrite, type AmbiguousWriteError, type ResourceApi, type ScimClient, type WithId } from "../client";
import { sleep } from "../client/sleep";
import type { PatchOperation } from "../client/types";
import type { CallContext } from "./context";
import type { LifecycleSpec } from "./define";
import { ResourceError } from "./errors";
import type { Prior, TargetInputs } from "./types";

/**
 * What read, update, adoption and lost-response recovery need to know about one kind of SCIM object. The steps
 * themselves are the same for users, groups and service principals, so they live here once; each kind's file
 * keeps what is its own (check, diff, the create body, how its natural key is found).
 */
export interface ScimKind<T extends { id?: string; schemas?: string[] }, I extends TargetInputs, O extends I> {
  api(client: ScimClient): ResourceApi<T>;
  /** The attributes read on refresh: only what the resource reports (some, like entitlements, are costly). */
  readAttributes(props: O): string;
  /** How refresh reads one object, when not a plain GET (groups share one read per run); undefined: gone. */
  read?(ctx: CallContext, id: string, props: O): Promise<T | undefined>;
  /** Outputs from what the server holds, plus the program's settings that live only in state. */
  outputsFrom(base: I | O, server: T): O;
  /** PATCH operations taking the server from `olds` to `news`, and nothing else. */
  patchOps(olds: O, news: I): PatchOperation[];
  /** Outputs once those operations are applied. */
  outputsAfterUpdate(olds: O, news: I): O;
  /** The inputs the engine keeps after a refresh. */
  inputsFrom(outs: O): I;
}

type Ops<I extends TargetInputs, O extends TargetInputs> = Pick<LifecycleSpec<I, O>, "read" | "inputsAfterRead" | "update">;

/** read and update, the same for every kind. */
export function readAndUpdate<T extends { id?: string }, I extends TargetInputs, O extends I>(kind: ScimKind<T, I, O>): Ops<I, O> {
  return {
    async read(ctx, id, props) {
      let server: T | undefined;
      if (kind.read)
        server = await kind.read(ctx, id, props); // waits out the lag itself
      else if (ctx.lag.isRecent(id)) {
        // Created or adopted by this process moments ago: a 404 is the read lagging behind, not a deletion.
        server = await ctx.lag.retryNotFound(() => kind.api(ctx.client).get(id, { attributes: kind.readAttributes(props) }));
      } else {
        // Read together with the other reads running now: one filtered LIST for many (runtime/readBatcher.ts).
        server = await ctx.reads.read(kind.api(ctx.client), id, kind.readAttributes(props));
      }
      return server ? kind.outputsFrom(props, server) : undefined; // undefined (or a 404): deleted out of band
    },
    inputsAfterRead: (outs) => kind.inputsFrom(outs),
    async update(ctx, id, olds, news) {
      const ops = kind.patchOps(olds, news);
      const send = () => kind.api(ctx.client).patch(id, ops);
      if (ops.length > 0) await (ctx.lag.isRecent(id) ? ctx.lag.retryNotFound(send) : send());
      return kind.outputsAfterUpdate(olds, news);
    },
  };
}

/** Brings an existing object to the declared state with one PATCH; returns its id and the outputs. */
export async function converge<T extends { id?: string }, I extends TargetInputs, O extends I>(
  ctx: CallContext,
  kind: ScimKind<T, I, O>,
  existing: WithId<T>,
  inputs: I,
): Promise<{ id: string; outs: O }> {
  ctx.lag.noteWritten(existing.id);
  const current = kind.outputsFrom(inputs, existing);
  const ops = kind.patchOps(current, inputs);
  // The object was just created or found: a 404 here is the write path lagging, not a deletion.
  if (ops.length > 0) await ctx.lag.retryNotFound(() => kind.api(ctx.client).patch(existing.id, ops));
  return { id: existing.id, outs: kind.outputsAfterUpdate(current, inputs) };
}

export interface CreateSteps<T extends { id?: string }, I extends TargetInputs, O extends I> {
  kind: ScimKind<T, I, O>;
  inputs: I & { adopt: boolean };
  body: T;
  /** The existing object with the same natural key (userName, displayName, applicationId), if any. */
  find(): Promise<WithId<T> | undefined>;
  /** The error for "already exists" when the program did not ask to adopt. */
  exists(existing: WithId<T> | undefined, conflict: ConflictError): ResourceError;
  /** The error saying why an existing object must not be taken over even with `adopt` (e.g. an IdP owns it), else undefined. */
  refusal?(existing: WithId<T>): ResourceError | undefined;
  /**
   * false when a second POST of the same body makes a second object instead of answering 409 (a service
   * principal without applicationId: names are not unique). After a lost answer, `find` must then tell our new
   * object from older ones, and is polled for the whole read-lag bound before the POST is sent again.
   */
  uniqueKey?: boolean;
  /** For the create journal (runtime/createJournal.ts): the kind's name, the natural key, and how to read it. */
  kindName: string;
  naturalKey: string;
  keyOf(existing: T): string | undefined;
  /** Non-unique keys: the ids that held the key before this POST, kept in the journal with it. */
  snapshot?: string[];
  /**
   * Told the answer of a POST of this call that succeeded (the object is this process's own, as the answer
   * shows it); not for an object found, adopted or taken over from an interrupted run.
   */
  posted?(created: WithId<T>): void;
  /** Non-unique keys: the object with the key that is not one of `before` (an earlier run's `snapshot`). */
  findSince?(before: string[] | undefined): Promise<WithId<T> | undefined>;
}

/** POSTs per create when answers keep getting lost (each one already retried by the client where safe). */
export const MAX_CREATE_ATTEMPTS = 6;

/**
 * POST; on "already exists", adopt the existing object if the program said so (else explain the way out).
 *
 * A POST whose answer was lost (reset after sending, 500/502/504, timeout: AmbiguousWriteError) may or may not
 * have been applied. Then: look the object up by its natural key; found → it is ours, converge it; not found →
 * POST again (the lookup may lag behind the write by up to a minute). With a unique key the repeated POST is safe: it
 * creates the object, or answers 409 when the lost POST did, and then the object is ours whatever `adopt` says,
 * found by polling the lookup until the lag has passed. Without a unique key (uniqueKey: false) a repeated POST
 * would duplicate, so the lookup is polled for the whole lag bound first.
 */
export async function createOrAdopt<T extends { id?: string }, I extends TargetInputs, O extends I>(
  ctx: CallContext,
  s: CreateSteps<T, I, O>,
): Promise<{ id: string; outs: O }> {
  const api = s.kind.api(ctx.client);
  const { journal, lag } = ctx;
  const record = journal.record.bind(journal);
  const key = journal.key(s.inputs, s.kindName, s.naturalKey);
  const prior = journal.prior(key);
  const adopted = await fromInterruptedRun(ctx, s, key, prior, api);
  if (adopted) return adopted;
  // An earlier run sent this POST and never saw the answer: with a unique key, a 409 now is that POST's answer.
  let lost: AmbiguousWriteError | PriorPost | undefined = prior?.event === "posting" && s.uniqueKey !== false ? PRIOR_POST : undefined;
  for (let attempt = 1; ; attempt++) {
    record(key, "posting", s.snapshot ? { before: s.snapshot } : {});
    try {
      const created = await api.create(s.body);
      lag.noteWritten(created.id);
      record(key, "created", { id: created.id });
      s.posted?.(created);
      return { id: created.id, outs: s.kind.outputsFrom(s.inputs, created) };
    } catch (e) {
      if (e instanceof ConflictError) {
        // After a lost answer, the 409 is most likely our own earlier POST: wait until the lookup sees it.
        const existing = lost ? await lag.pollUntilFound(s.find) : await s.find();
        if (lost && existing?.id && !s.refusal?.(existing)) return journaled(ctx, key, await converge(ctx, s.kind, existing, s.inputs));
        // Refused for want of evidence: noted with the object's id, so that a person who knows it is an interrupted
        // run's can say so (`pulumi-databricks-scim-recover --take <id>`, in the message).
        if (!s.inputs.adopt && existing?.id) record(key, "refused", { id: existing.id });
        else record(key, "failed");
        if (!s.inputs.adopt || !existing?.id) throw s.exists(existing, e);
        const refusal = s.refusal?.(existing);
        // The refusal is the user's answer, without the 409 as its cause: the 409 only led to it.
        if (refusal) throw refusal;
        return journaled(ctx, key, await converge(ctx, s.kind, existing, s.inputs));
      }
      if (!isAmbiguousWrite(e)) {
        record(key, "failed");
        throw e;
      }
      lost = e;
      const found = s.uniqueKey === false ? await lag.pollUntilFound(s.find) : await s.find();
      // Something found that we would not adopt is not what our POST made: report the original failure.
      if (found?.id) {
        if (s.refusal?.(found)) throw e;
        return journaled(ctx, key, await converge(ctx, s.kind, found, s.inputs));
      }
      if (attempt >= MAX_CREATE_ATTEMPTS) throw e;
      await sleep(250 * 2 ** attempt);
    }
  }
}

/** Stands for "an earlier, interrupted run sent this POST and never saw the answer" (see createJournal.ts). */
const PRIOR_POST = Symbol("prior-post");
type PriorPost = typeof PRIOR_POST;

function journaled<R extends { id: string }>(ctx: CallContext, key: string, r: R): R {
  ctx.journal.record(key, "created", { id: r.id });
  return r;
}

/**
 * An earlier run that was killed after its POST (runtime/createJournal.ts): take over the object it made. By id
 * when it saw the answer; without a unique key, by looking for the object that was not there before its POST
 * (waiting out the read lag if that POST was moments ago). With a unique key, a POST without a seen answer is
 * left to the loop: it answers 409 if the earlier one was applied, and the object is then ours.
 */
async function fromInterruptedRun<T extends { id?: string }, I extends TargetInputs, O extends I>(
  ctx: CallContext,
  s: CreateSteps<T, I, O>,
  key: string,
  prior: Prior | undefined,
  api: ResourceApi<T>,
): Promise<{ id: string; outs: O } | undefined> {
  if (!prior) return undefined;
  const { journal, lag } = ctx;
  const lagBoundMs = () => lag.boundMs();
  if (prior.event === "created" && prior.id) {
    const id = prior.id;
    // Made moments ago by the killed run, a 404 may be the read lagging behind its write.
    const remaining = lagBoundMs() - (Date.now() - prior.at);
    const get = () => api.get(id);
    const existing = await (remaining > 0 ? lag.retryNotFound(get, remaining) : get()).catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    });
    // Still the object that run made (a group renamed since by another resource is not): take it over.
    const same = existing && s.keyOf(existing)?.toLowerCase() === s.naturalKey.toLowerCase();
    if (existing && same && !s.refusal?.(existing)) return journaled(ctx, key, await converge(ctx, s.kind, existing, s.inputs));
    journal.record(key, "failed"); // gone or changed since: start afresh
    return undefined;
  }
  if (prior.event === "posting" && s.findSince) {
    const find = () => s.findSince!(prior.before);
    const found = Date.now() - prior.at < lagBoundMs() ? await lag.pollUntilFound(find, lagBoundMs() - (Date.now() - prior.at)) : await find();
    if (found?.id && !s.refusal?.(found)) return journaled(ctx, key, await converge(ctx, s.kind, found, s.inputs));
    journal.record(key, "failed"); // that POST was not applied
  }
  return undefined;
}

/**
 * "Already exists" with the ways out, e.g. `userName: a user 'a@b.co' already exists in https://host (id 12) …`.
 * `noun` is "user", "group", "service principal".
 *
 * Reached only when the create journal holds no POST of this stack for the key (createOrAdopt takes the object
 * over when it does). The provider cannot tell more: a dynamic provider's create gets the inputs, not the
 * engine's pending creates (those are in the state, which only the CLI reads), and SCIM objects carry no creator.
 * The one case where the object is this stack's all the same is an interrupted `up` on a machine whose files are
 * gone (a CI runner): then the recovery reads the pending creates from the state, and `adopt` is the wrong advice
 * (it would stay in the program for good, and takes over anyone's object). So the message gives that case first,
 * with its commands, and `adopt` only for an object no run of this stack made.
 */
export function existsError(
  field: string,
  noun: string,
  key: string,
  target: TargetInputs,
  existing: { id?: string } | undefined,
  conflict: ConflictError,
): ResourceError {
  const recovery = existing?.id
    ? `In the project folder run \`npx pulumi-databricks-scim-recover --take ${existing.id}\` (it notes this ${noun} as that run's), ` +
      `then \`pulumi up\` (it takes the ${noun} over), and \`pulumi refresh --clear-pending-creates --yes\` if \`pulumi up\` ` +
      "still warns of pending operations."
    : "Run `pulumi up` again in a minute: the server's lists lag behind its writes, and this message then gives the id to take over.";
  return new ResourceError(
    "RESOURCE_EXISTS",
    field,
    `a ${noun} '${key}' already exists in ${target.host}${existing?.id ? ` (id ${existing.id})` : ""}, and this ` +
      "machine has no record of this stack creating it. If a `pulumi up` of this stack was interrupted (Ctrl-C, a kill, a CI " +
      `timeout) on a machine whose files are gone, it is most likely that run's ${noun}: do not adopt it, recover it. ${recovery} ` +
      '(README, "Interrupted runs". On a new machine, `pulumi stack export | npx pulumi-databricks-scim-recover` before its first ' +
      "`pulumi up` does this for every create the interrupted run left pending.) If no run of this stack made it, set " +
      `\`adopt: true\` on this resource to manage the existing ${noun} (the preview then shows what will change), or remove it ` +
      `from the ${target.level} first. (${conflict.message})`,
  );
}
