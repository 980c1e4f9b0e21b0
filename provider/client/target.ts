// What all clients of one target (host + level [+ account]) in this process share: the concurrency permits and
// the per-verb pacers, so that what one client learns from a 429 slows every request to that target; and, per
// host, whether it has ever answered (a host that never answered fails fast: see transport.ts).
//
// Databricks counts its limits per workspace or per account, not per connection, so two clients (e.g. two
// credential sources for one workspace) must not each run at the full rate. Clients with an injected dispatcher
// (tests with a MockAgent) share only with clients on the same dispatcher, so unrelated tests do not meet.

import type { Dispatcher } from "undici";
import { Pacer } from "./pacer";
import { Semaphore } from "./semaphore";
import type { RateLimitBucket } from "./transport";

export const BUCKETS: readonly RateLimitBucket[] = ["GET", "LIST", "POST", "PUT", "PATCH", "DELETE"];

/** Per host: has it ever given an answer that looks like Databricks (an HTTP answer with a JSON or empty body)? */
export interface HostContact {
  reached: boolean;
}

export interface TargetGate {
  semaphore: Semaphore;
  pacers: Partial<Record<RateLimitBucket, Pacer>>;
  contact: HostContact;
  /** Last time a notice about long waits went out for this target (performance.now() ms). */
  lastNoticeAt: number;
}

/**
 * How each bucket is paced: a number is a published ceiling (requests/second, adaptive below it), `null` is
 * adaptive with no ceiling (nothing published: unpaced until throttled), `false` is no pacing at all.
 */
export interface BucketPacing {
  buckets: Record<RateLimitBucket, number | null | false>;
  /** Lists draw from the GET bucket (workspace level: one published limit for all SCIM GETs). */
  listSharesGet: boolean;
  /** @internal see PacerOptions.recoverySeconds. */
  recoverySeconds?: number;
}

interface Scope {
  gates: Map<string, TargetGate>;
  hosts: Map<string, HostContact>;
}

const processScope: Scope = { gates: new Map(), hosts: new Map() };
const dispatcherScopes = new WeakMap<Dispatcher, Scope>();

export function gateFor(args: {
  origin: string;
  level: string;
  accountId?: string;
  maxConcurrency: number;
  pacing: BucketPacing | false;
  dispatcher?: Dispatcher;
}): TargetGate {
  let scope = processScope;
  if (args.dispatcher) {
    scope = dispatcherScopes.get(args.dispatcher) ?? { gates: new Map(), hosts: new Map() };
    dispatcherScopes.set(args.dispatcher, scope);
  }
  let contact = scope.hosts.get(args.origin);
  if (!contact) scope.hosts.set(args.origin, (contact = { reached: false }));
  // Clients that pace differently cannot share pacers; they still share the host's contact state.
  const key = JSON.stringify([args.origin, args.level, args.accountId ?? "", args.maxConcurrency, args.pacing]);
  let gate = scope.gates.get(key);
  if (!gate) {
    gate = { semaphore: new Semaphore(args.maxConcurrency), pacers: buildPacers(args.pacing), contact, lastNoticeAt: Number.NEGATIVE_INFINITY };
    scope.gates.set(key, gate);
  }
  return gate;
}

function buildPacers(pacing: BucketPacing | false): Partial<Record<RateLimitBucket, Pacer>> {
  const pacers: Partial<Record<RateLimitBucket, Pacer>> = {};
  if (pacing === false) return pacers;
  for (const bucket of BUCKETS) {
    const ceiling = pacing.buckets[bucket];
    if (ceiling === false) continue;
    pacers[bucket] = new Pacer({ ceiling: ceiling ?? undefined, recoverySeconds: pacing.recoverySeconds });
  }
  if (pacing.listSharesGet && pacers.GET) pacers.LIST = pacers.GET;
  return pacers;
}
