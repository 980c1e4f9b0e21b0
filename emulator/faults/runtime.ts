// What every fault middleware reads at request time: the CURRENT settings (they change at run time through
// /__emulator/faults) and the shared random source.
import type { Rng } from "./rng";
import type { FaultSettings } from "./settings";

export interface FaultRuntime {
  readonly settings: FaultSettings;
  readonly rng: Rng;
  readonly workspaceId: string;
}

/** Retry-After seconds on a `retryAfterFraction` share of responses, else undefined (header omitted). */
export function maybeRetryAfter(rt: FaultRuntime, seconds: number): number | undefined {
  return rt.rng() < rt.settings.retryAfterFraction ? Math.max(1, Math.ceil(seconds)) : undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
