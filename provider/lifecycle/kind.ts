import { ConflictError, NotFoundError, isAmbiguousWrite, type ResourceApi, type ScimClient, type WithId } from "../client";
import type { PatchOperation } from "../client/types";
import { clientFor } from "../runtime/connection";
import type { Lifecycle, TargetInputs } from "./types";

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
  read?(client: ScimClient, id: string, props: O): Promise<T | undefined>;
  /** Outputs from what the server holds, plus the program's settings that live only in state. */
  outputsFrom(base: I | O, server: T): O;
  /** PATCH operations taking the server from `olds` to `news`, and nothing else. */
  patchOps(olds: O, news: I): PatchOperation[];
  /** Outputs once those operations are applied. */
  outputsAfterUpdate(olds: O, news: I): O;
  /** The inputs the engine keeps after a refresh. */
  inputsFrom(outs: O): I;
}

type Ops<I, O> = Pick<Lifecycle<I, O>, "read" | "update">;

/** read and update, the same for every kind. */
export function readAndUpdate<T extends { id?: string }, I extends TargetInputs, O extends I>(kind: ScimKind<T, I, O>): Ops<I, O> {
  return {
    async read(id, props) {
      const client = clientFor(props);
      let server: T | undefined;
      try {
        server = kind.read ? await kind.read(client, id, props) : await kind.api(client).get(id, { attributes: kind.readAttributes(props) });
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
      if (!server) return {}; // deleted out of band: the engine drops it from state
      const outs = kind.outputsFrom(props, server);
      return { id, props: outs, inputs: kind.inputsFrom(outs) };
    },
    async update(id, olds, news) {
      const ops = kind.patchOps(olds, news);
      if (ops.length > 0) await kind.api(clientFor(news)).patch(id, ops);
      return { outs: kind.outputsAfterUpdate(olds, news) };
    },
  };
}

/** Brings an existing object to the declared state with one PATCH; returns its id and the outputs. */
export async function converge<T extends { id?: string }, I extends TargetInputs, O extends I>(
  kind: ScimKind<T, I, O>,
  existing: WithId<T>,
  inputs: I,
): Promise<{ id: string; outs: O }> {
  const current = kind.outputsFrom(inputs, existing);
  const ops = kind.patchOps(current, inputs);
  if (ops.length > 0) await kind.api(clientFor(inputs)).patch(existing.id, ops);
  return { id: existing.id, outs: kind.outputsAfterUpdate(current, inputs) };
}

export interface CreateSteps<T extends { id?: string }, I extends TargetInputs, O extends I> {
  kind: ScimKind<T, I, O>;
  inputs: I & { adopt: boolean };
  body: T;
  /** The existing object with the same natural key (userName, displayName, applicationId), if any. */
  find(): Promise<WithId<T> | undefined>;
  /** The error for "already exists" when the program did not ask to adopt. */
  exists(existing: WithId<T> | undefined, conflict: ConflictError): Error;
  /** Why an existing object must not be taken over even with `adopt` (e.g. an IdP owns it), else undefined. */
  refusal?(existing: WithId<T>): string | undefined;
}

/**
 * POST; on "already exists", adopt the existing object if the program said so (else explain the way out); on a
 * lost answer, look the object up by its natural key before anything else, since the POST may have been applied.
 */
export async function createOrAdopt<T extends { id?: string }, I extends TargetInputs, O extends I>(
  s: CreateSteps<T, I, O>,
): Promise<{ id: string; outs: O }> {
  try {
    const created = await s.kind.api(clientFor(s.inputs)).create(s.body);
    return { id: created.id, outs: s.kind.outputsFrom(s.inputs, created) };
  } catch (e) {
    if (e instanceof ConflictError) {
      const existing = await s.find();
      if (!s.inputs.adopt || !existing?.id) throw s.exists(existing, e);
      const refusal = s.refusal?.(existing);
      if (refusal) throw new Error(refusal);
      return converge(s.kind, existing, s.inputs);
    }
    if (isAmbiguousWrite(e)) {
      const found = await s.find();
      // Something found that we would not adopt is not what our POST made: report the original failure.
      if (!found?.id || s.refusal?.(found)) throw e;
      return converge(s.kind, found, s.inputs);
    }
    throw e;
  }
}

/**
 * "Already exists" with the way out, e.g. `userName: a user 'a@b.co' already exists in https://host (id 12). Set
 * `adopt: true` …`. `noun` is "user", "group", "service principal".
 */
export function existsError(
  field: string,
  noun: string,
  key: string,
  target: TargetInputs,
  existing: { id?: string } | undefined,
  conflict: ConflictError,
): Error {
  return new Error(
    `${field}: a ${noun} '${key}' already exists in ${target.host}${existing?.id ? ` (id ${existing.id})` : ""}. ` +
      `Set \`adopt: true\` on this resource to manage the existing ${noun} (the preview then shows what will change), ` +
      `or remove it from the ${target.level} first. (${conflict.message})`,
  );
}

/**
 * The target part of outputs and of the inputs kept after a refresh: read and delete see only outputs, so
 * everything clientFor() needs (host, level, accountId, the credential source) is echoed.
 */
export function targetOf(t: TargetInputs): TargetInputs {
  return {
    host: t.host,
    level: t.level,
    ...(t.accountId ? { accountId: t.accountId } : {}),
    ...(t.connection ? { connection: t.connection } : {}),
  };
}
