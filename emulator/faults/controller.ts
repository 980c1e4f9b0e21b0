// Owns the fault settings and the state behind them (buckets, RNG, lag journal), builds the middlewares in
// their fixed order, and hooks the lag view into the core. Settings change at run time (/__emulator/faults);
// middlewares read them per request, so a change applies to the next request.
import type { EmulatorCore } from "../core";
import type { Middleware } from "../pipeline";
import { concurrencyMiddleware } from "./concurrency";
import { HoldGate } from "./hold";
import { LagRecorder, lagMiddleware } from "./lag";
import { mergeSettings } from "./merge";
import { randomFaultMiddleware } from "./random";
import { RateLimiter, rateLimitMiddleware } from "./ratelimit";
import { makeRng, type Rng } from "./rng";
import type { FaultRuntime } from "./runtime";
import { defaultSettings, type FaultSettings } from "./settings";

export class FaultController implements FaultRuntime {
  settings: FaultSettings = defaultSettings();
  rng: Rng = Math.random;
  readonly workspaceId: string;
  private readonly limiter = new RateLimiter(this);
  private readonly lag = new LagRecorder(this);
  /** Requests held until released (/__emulator/hold). */
  readonly hold = new HoldGate();

  constructor(core: EmulatorCore, initial?: unknown) {
    this.workspaceId = core.identity.workspaceId;
    core.onCommit((changes) => this.lag.record(changes));
    core.onReset(() => this.lag.clear());
    core.setReadView((base) => (this.settings.lag.windowMs > 0 ? this.lag.viewFor(base) : undefined));
    if (initial !== undefined) this.update(initial);
  }

  /**
   * Outermost first: the gateway's rate limit (429) before the concurrency cap (500) before the hold, random
   * faults and latency (inside the cap, so slow requests hold a slot) before the lag marker (innermost).
   */
  middlewares(): Middleware[] {
    return [rateLimitMiddleware(this, this.limiter), concurrencyMiddleware(this), this.hold.middleware(), randomFaultMiddleware(this), lagMiddleware()];
  }

  /** Merge a (partial) settings object; throws FaultSettingsError on invalid input and changes nothing then. */
  update(input: unknown): FaultSettings {
    const next = mergeSettings(this.settings, input);
    const reseed = typeof input === "object" && input !== null && "seed" in input;
    this.settings = next;
    if (reseed || this.rng === Math.random) this.rng = makeRng(next.seed);
    this.limiter.reset();
    if (next.lag.windowMs === 0) this.lag.clear();
    return this.settings;
  }

  /** Everything off (DELETE /__emulator/faults), held requests released. */
  clear(): FaultSettings {
    this.hold.release();
    this.settings = defaultSettings();
    this.rng = Math.random;
    this.limiter.reset();
    this.lag.clear();
    return this.settings;
  }
}
