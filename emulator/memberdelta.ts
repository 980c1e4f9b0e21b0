// How a group's member list changed in one commit. Used to keep the parent index (membership.ts) current and to
// journal membership changes (persistence.ts) without re-reading or re-writing whole member lists: the `users`
// group holds everyone, so anything O(members) per write made bulk creates quadratic.
//
// Writes only ever append members (add) or filter them out (remove) in place; both keep the order of the rest,
// so two linear passes over the values recognise them. Anything else (PUT/replace with a new list) is a
// "replace", for which the journal stores the whole new list so a replay reproduces the exact order.
import type { MemberRef } from "./model";

export type MemberDelta =
  { type: "append"; added: MemberRef[] } | { type: "remove"; removed: string[] } | { type: "replace"; added: MemberRef[]; removed: string[] };

const NONE: readonly MemberRef[] = [];

export function memberDelta(before: readonly MemberRef[] = NONE, after: readonly MemberRef[] = NONE): MemberDelta {
  if (after.length >= before.length) {
    let same = true;
    for (let i = 0; i < before.length; i++) {
      // Copy-on-write shares MemberRef objects, so identity settles almost every comparison cheaply.
      if (before[i] !== after[i] && (before[i] as MemberRef).value !== (after[i] as MemberRef).value) {
        same = false;
        break;
      }
    }
    if (same) return { type: "append", added: after.slice(before.length) };
  } else {
    // Is `after` `before` with some entries filtered out (order kept)?
    const removed: string[] = [];
    let j = 0;
    for (const m of before) {
      if (j < after.length && (after[j] as MemberRef).value === m.value) j++;
      else removed.push(m.value);
    }
    if (j === after.length) return { type: "remove", removed };
  }
  const beforeValues = new Set(before.map((m) => m.value));
  const afterValues = new Set(after.map((m) => m.value));
  return {
    type: "replace",
    added: after.filter((m) => !beforeValues.has(m.value)),
    removed: before.filter((m) => !afterValues.has(m.value)).map((m) => m.value),
  };
}

/** Values that joined / left, whatever the delta type. */
export function addedOf(d: MemberDelta): MemberRef[] {
  return d.type === "remove" ? [] : d.added;
}

export function removedOf(d: MemberDelta): string[] {
  return d.type === "append" ? [] : d.removed;
}
