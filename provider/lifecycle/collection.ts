import { randomUUID } from "node:crypto";
import { NotFoundError } from "../client";
import { DatabricksScimError } from "../shared/packageError";
import { Checker, isUnknown, typeName } from "./check";
import type { CallContext } from "./context";
import { targetOf, type LifecycleSpec } from "./define";
import { ResourceError } from "./errors";
import type { Fields } from "./fieldTypes";
import { optionalFields } from "./fields";
import type { Managed } from "./managed";
import { targetReplaces } from "./target";
import type { TargetInputs } from "./types";

/**
 * Many identities of one kind in one resource (ScimUsers): a map, natural key → that identity's fields, in
 * inputs and outputs alike. Why one resource: the engine rewrites the whole state after every step (file and
 * blob backends), so a program of N per-identity resources costs N checkpoints of a state that grows with N; a
 * collection is one step and one checkpoint. Why a map: the engine diffs a map by key, so `pulumi preview --diff`
 * names each identity (`+ "alice@example.com"`, `~ "bob@example.com": { ~ displayName: … }`), as it names each
 * per-identity resource.
 *
 * Each identity goes through the per-identity kind's own steps (`one`: check, diff, create with adopt and the
 * create journal, read through the batched reads, PATCH, the deletion policy), so a collection behaves, identity
 * by identity, as the per-identity resources do. What is the collection's own:
 *  - state: per identity, only what the program manages (the table's required and defaulted fields, the optional
 *    ones it sets) and the SCIM id; the key is the map's; the target once for all; state-only fields (onDelete,
 *    adopt) only when they differ from their default;
 *  - check messages name the identity: `users["bob@example.com"].displayName: …`;
 *  - partial failure: every identity is attempted; when some fail, the others are recorded (the error carries the
 *    outputs so far, which the engine keeps as the resource's state, pulumirpc.ErrorResourceInitFailed) and the
 *    error names each one that failed. The next `up` is then an update (the engine retries a resource with
 *    initialisation errors even when its inputs did not change) that does only what is missing, and the create
 *    journal keeps a POST whose outcome was lost from making a second identity.
 */

type Values = Record<string, unknown>;

/** One identity as the collection stores it in its inputs: the kind's fields but the key, normalised. */
export type Entry = Values;
/** And in its outputs: with its SCIM id. */
export type EntryOut = Values & { id: string };

export interface CollectionSpec<I extends TargetInputs, O extends I & Managed<string>> {
  /** "user", for messages. */
  noun: string;
  /** The input and output that holds the map ("users"). */
  mapKey: string;
  /** The field the map is keyed by ("userName"). */
  keyField: string;
  /** One entry as a program writes it, for the message asking for the map. */
  example: string;
  fields: Fields;
  /** One identity's steps (the per-identity resource's spec). */
  one: LifecycleSpec<I, O>;
}

/** Identities worked on at once: more than the client's concurrency cap (4), so that it is never idle. */
export const COLLECTION_CONCURRENCY = 16;
/** Failures listed in an error message; every one is in the error's `reasons`. */
const LISTED_FAILURES = 20;

/**
 * Some identities failed, the others were applied: what the dynamic provider host turns into a partial result
 * (`id`, `properties`, `reasons`: pulumirpc.ErrorResourceInitFailed), so the engine records what was done.
 */
export class PartialApplyError extends DatabricksScimError {
  readonly code = "SCIM_PARTIAL_APPLY";
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Values,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/** A collection's inputs and outputs: the target, and the map under the spec's `mapKey`. */
export type CollectionState = TargetInputs & Record<string, unknown>;

/** A collection's lifecycle, and the state it records for identities that already exist (the importer's take-over). */
export interface DefinedCollection<I extends TargetInputs, O extends TargetInputs> extends LifecycleSpec<CollectionState, CollectionState> {
  /**
   * The outputs `create` records for checked `inputs` when every identity already exists as `made` says (its SCIM
   * id, and the outputs its own kind's create returns for its inputs, expanded from the collection's entry): the
   * collection's own state shape, for provider/import/stateOf.ts, which must not copy it.
   */
  recorded(inputs: CollectionState, made: (key: string, one: I) => { id: string; outs: O }): CollectionState;
}

export function defineCollection<I extends TargetInputs, O extends I & Managed<string>>(spec: CollectionSpec<I, O>): DefinedCollection<I, O> {
  const { mapKey, keyField, fields, one, noun } = spec;
  const optional = optionalFields(fields);
  const label = (key: string) => `${mapKey}[${JSON.stringify(key)}]`;
  const mapOf = (v: object): Record<string, unknown> => ((v as Values)[mapKey] ?? {}) as Record<string, unknown>;

  /** A state-only field (no SCIM path) at its default is left out of the state; put back here. */
  const stateOnlyDefaults: Values = {};
  for (const [k, f] of Object.entries(fields)) if (!f.path && f.default !== undefined) stateOnlyDefaults[k] = f.default;

  const expandIn = (target: TargetInputs, key: string, entry: Entry): I =>
    ({ ...targetOf(target), ...stateOnlyDefaults, ...entry, [keyField]: key }) as unknown as I;

  const expandOut = (target: TargetInputs, key: string, entry: EntryOut): O => {
    const { id: _id, ...rest } = entry;
    return { ...targetOf(target), ...stateOnlyDefaults, ...rest, [keyField]: key, managed: optional.filter((f) => rest[f] !== undefined) } as unknown as O;
  };

  /** What the state keeps of one identity: the fields the program manages, without the key, defaults of state-only fields dropped. */
  const compact = (values: object, managed: readonly string[]): Entry => {
    const v = values as Values;
    const out: Entry = {};
    for (const [k, f] of Object.entries(fields)) {
      if (k === keyField) continue;
      const fixed = f.required || f.default !== undefined;
      if (!fixed && !managed.includes(k)) continue;
      let value = v[k];
      if (value === undefined && (f.type === "entitlements" || f.type === "roles")) value = [];
      if (value === undefined || (!f.path && value === f.default)) continue;
      out[k] = value;
    }
    return out;
  };
  const managedOfInputs = (entry: Entry) => optional.filter((f) => entry[f] !== undefined);
  const entryOut = (id: string, outs: O): EntryOut => ({ id, ...compact(outs, outs.managed) });

  return {
    recorded(inputs, made) {
      const entries = mapOf(inputs) as Record<string, Entry>;
      const done: Record<string, EntryOut> = {};
      for (const [key, entry] of Object.entries(entries)) {
        const r = made(key, expandIn(inputs, key, entry));
        done[key] = entryOut(r.id, r.outs);
      }
      return { ...targetOf(inputs), [mapKey]: sorted(done) };
    },

    check(c, news, target, ctx, targetSeen) {
      const raw = news[mapKey];
      if (isUnknown(raw)) return { ...target, [mapKey]: raw };
      if (raw === undefined || raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        c.fail(
          mapKey,
          `${raw === undefined || raw === null ? "is required" : `expected a map of ${keyField} to fields, got ${typeName(raw)}`}: ` +
            `pass ${mapKey}: { ${spec.example}, … } (${keyField} → that ${noun}'s fields; {} for none).`,
        );
        return { ...target, [mapKey]: {} };
      }
      // Collection-wide settings, given to every identity that does not set its own.
      // Checked once here, so that a bad value is one message, not one per identity.
      const shared: Values = {};
      for (const k of ["onDelete", "adopt"]) {
        if (news[k] === undefined || news[k] === null || !(k in fields)) continue;
        const before = c.failures.length;
        if (k === "onDelete") c.oneOf(news, k, ["delete", "deactivate"] as const, "delete");
        else c.boolean(news, k, false);
        if (c.failures.length === before) shared[k] = news[k];
      }
      const entries: Record<string, unknown> = {};
      const seen = new Map<string, string>();
      for (const [rawKey, value] of Object.entries(raw as Values)) {
        if (isUnknown(value)) {
          entries[rawKey] = value; // an identity not known until apply (a preview)
          continue;
        }
        if (value !== undefined && value !== null && (typeof value !== "object" || Array.isArray(value))) {
          c.fail("", `${label(rawKey)}: expected that ${noun}'s fields ({} for none), got ${typeName(value)}.`);
          continue;
        }
        const given = (value ?? {}) as Values;
        if (given[keyField] !== undefined) {
          c.fail("", `${label(rawKey)}.${keyField}: is the map's key; leave it out of the fields.`);
          continue;
        }
        const ec = new Checker();
        const checked = one.check(ec, { ...shared, ...given, [keyField]: rawKey }, target, ctx, targetSeen) as unknown as Values;
        // A bad key is the one thing to fix: what the kind's check says because of it (an SP without applicationId
        // must have a displayName) would only mislead.
        const keyFailures = ec.failures.filter((f) => f.reason.startsWith(`${keyField}:`));
        for (const f of keyFailures.length > 0 ? keyFailures : ec.failures) c.fail("", `${label(rawKey)}.${f.reason}`);
        if (ec.failures.length > 0) continue;
        const key = String(checked[keyField]);
        const first = seen.get(key);
        if (first !== undefined) {
          c.fail(
            "",
            `${label(rawKey)}: the same ${keyField} as ${JSON.stringify(first)} (compared ignoring case, as Databricks does). List each ${noun} once.`,
          );
          continue;
        }
        seen.set(key, rawKey);
        entries[key] = compact(checked, managedOfInputs(checked));
      }
      return { ...target, [mapKey]: entries };
    },

    diff(olds, news) {
      const replaces = targetReplaces(olds, news);
      const before = mapOf(olds) as Record<string, EntryOut>;
      const after = mapOf(news);
      return { replaces, changed: isUnknown(after) || changedKeys(before, after).length > 0 ? [mapKey] : [] };
    },

    async create(ctx, inputs) {
      const id = randomUUID();
      const entries = mapOf(inputs) as Record<string, Entry>;
      const done: Record<string, EntryOut> = {};
      const failures = await settle(Object.keys(entries), async (key) => {
        const r = await one.create(ctx, expandIn(inputs, key, entries[key] as Entry));
        done[key] = entryOut(r.id, r.outs);
      });
      const outs = { ...targetOf(inputs), [mapKey]: sorted(done) };
      if (failures.length > 0) throw failed("created", Object.keys(entries).length, failures, id, outs, Object.keys(done).length > 0);
      return { id, outs };
    },

    async read(ctx, _id, props) {
      const entries = mapOf(props) as Record<string, EntryOut>;
      const now: Record<string, EntryOut> = {};
      // All at once, not through the pool: the batched reads (runtime/readBatcher.ts) turn reads started together
      // into filtered LISTs of up to 50 ids, and hold back the rest themselves.
      const failures = await settle(
        Object.keys(entries),
        async (key) => {
          const entry = entries[key] as EntryOut;
          const server = await readOne(ctx, one, entry.id, expandOut(props, key, entry));
          // Deleted out of band: left out, so the next preview shows it as one to create.
          if (server)
            now[key] = {
              id: entry.id,
              ...compact(
                server,
                optional.filter((f) => entry[f] !== undefined),
              ),
            };
        },
        Infinity,
      );
      if (failures.length > 0) throw failed("read", Object.keys(entries).length, failures);
      return { ...targetOf(props), [mapKey]: sorted(now) };
    },

    inputsAfterRead(outs) {
      const entries: Record<string, Entry> = {};
      for (const [key, e] of Object.entries(mapOf(outs) as Record<string, EntryOut>)) {
        const { id: _id, ...rest } = e;
        entries[key] = rest;
      }
      return { ...targetOf(outs), [mapKey]: entries };
    },

    async update(ctx, id, olds, news) {
      const before = mapOf(olds) as Record<string, EntryOut>;
      const after = mapOf(news) as Record<string, Entry>;
      // Unchanged identities and those whose change fails keep what the state had.
      const result: Record<string, EntryOut> = { ...before };
      const keys = changedKeys(before, after);
      const failures = await settle(keys, async (key) => {
        const old = before[key];
        const want = after[key];
        if (want === undefined) {
          await one.delete(ctx, (old as EntryOut).id, expandOut(olds, key, old as EntryOut));
          delete result[key];
          return;
        }
        const newInputs = expandIn(news, key, want);
        if (old === undefined) {
          const r = await one.create(ctx, newInputs);
          result[key] = entryOut(r.id, r.outs);
          return;
        }
        const oldOuts = expandOut(olds, key, old);
        if (one.diff(oldOuts, newInputs).replaces.length > 0) {
          // A field that cannot change in place: the identity is made anew, as the per-identity resource would be.
          const r = await one.create(ctx, newInputs);
          result[key] = entryOut(r.id, r.outs);
          await one.delete(ctx, old.id, oldOuts);
          return;
        }
        result[key] = entryOut(old.id, await one.update(ctx, old.id, oldOuts, newInputs));
      });
      const outs = { ...targetOf(news), [mapKey]: sorted(result) };
      if (failures.length > 0) throw failed("updated", keys.length, failures, id, outs, true);
      return outs;
    },

    async delete(ctx, _id, props) {
      const entries = mapOf(props) as Record<string, EntryOut>;
      const failures = await settle(Object.keys(entries), async (key) => {
        const entry = entries[key] as EntryOut;
        await one.delete(ctx, entry.id, expandOut(props, key, entry));
      });
      if (failures.length > 0) throw failed("deleted", Object.keys(entries).length, failures);
    },
  };

  /** The keys to act on: added, removed, or changed as the per-identity diff sees it. */
  function changedKeys(before: Record<string, EntryOut>, after: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const [key, want] of Object.entries(after)) {
      const old = before[key];
      if (old === undefined || isUnknown(want)) {
        out.push(key);
        continue;
      }
      const d = one.diff(expandOut({ host: "", level: "workspace" }, key, old), expandIn({ host: "", level: "workspace" }, key, want as Entry));
      if (d.replaces.length > 0 || d.changed.length > 0) out.push(key);
    }
    for (const key of Object.keys(before)) if (!(key in after)) out.push(key);
    return out;
  }

  function failed(what: string, total: number, failures: Failure[], id?: string, outs?: Values, partial = false): Error {
    const lines = failures.slice(0, LISTED_FAILURES).map((f) => `  - ${label(f.key)}: ${f.message}`);
    if (failures.length > LISTED_FAILURES) lines.push(`  … and ${failures.length - LISTED_FAILURES} more`);
    const rest = total - failures.length;
    const recorded =
      partial && id !== undefined
        ? ` The other ${rest} ${plural(rest)} ${rest === 1 ? "was" : "were"} ${what} and ${rest === 1 ? "is" : "are"} recorded in the state; fix the ones below (or what they need) and run \`pulumi up\` again: it does only what is left.`
        : "";
    const summary = `${failures.length} of ${total} ${plural(total)} could not be ${what}.${recorded}`;
    const message = `${summary}\n${lines.join("\n")}`;
    // The engine prints a partial result's reasons, not its message: the summary first, then each identity.
    const reasons = [summary, ...failures.map((f) => `${label(f.key)}: ${f.message}`)];
    return partial && id !== undefined && outs
      ? new PartialApplyError(message, id, outs, reasons)
      : new ResourceError("IDENTITIES_FAILED", mapKey, message, { cause: failures[0]?.error });
  }

  function plural(n: number): string {
    return n === 1 ? noun : `${noun}s`;
  }
}

interface Failure {
  key: string;
  message: string;
  error: unknown;
}

/** Runs `fn` for every key, at most `limit` at once; every key is attempted, and the failures are returned. */
async function settle(keys: readonly string[], fn: (key: string) => Promise<void>, limit = COLLECTION_CONCURRENCY): Promise<Failure[]> {
  const failures: Failure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++] as string;
      try {
        await fn(key);
      } catch (e) {
        failures.push({ key, message: e instanceof Error ? e.message : String(e), error: e });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, keys.length) }, worker));
  return failures.sort((a, b) => a.key.localeCompare(b.key));
}

/** The identity as the server holds it now, or undefined when it is gone (a 404 included). */
async function readOne<I extends TargetInputs, O extends I>(ctx: CallContext, one: LifecycleSpec<I, O>, id: string, props: O): Promise<O | undefined> {
  try {
    return await one.read(ctx, id, props);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** Keys in order, so the state and its diffs read the same from run to run. */
function sorted<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
