// Hold: SCIM requests of the chosen methods wait, once received, until a test releases them (a server that is
// slow for exactly as long as the test needs, instead of a guessed latency). Then each goes on as usual: it is
// applied and answered, also when its client has gone meanwhile (the server side of an interrupted run).
// Test-admin only (/__emulator/hold); nothing Databricks has. Sits where latency does (inside the concurrency
// cap), so a held request holds its slot the way a slow real one does.
import type { Middleware } from "../pipeline";
import { classifyRequest } from "./classify";

export const HOLDABLE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HoldableMethod = (typeof HOLDABLE_METHODS)[number];

export interface HoldState {
  /** Methods held from now on; empty = no hold. */
  methods: HoldableMethod[];
  /** Requests waiting for the release now. */
  held: number;
}

export class HoldSettingsError extends Error {}

export class HoldGate {
  private methods = new Set<HoldableMethod>();
  private waiting: (() => void)[] = [];

  state(): HoldState {
    return { methods: [...this.methods], held: this.waiting.length };
  }

  /** `{"methods": [...]}`: hold those methods from the next request on (replaces the set). */
  set(input: unknown): HoldState {
    const methods = typeof input === "object" && input !== null ? (input as Record<string, unknown>).methods : undefined;
    if (!Array.isArray(methods) || methods.length === 0) throw new HoldSettingsError(`methods must be a non-empty list of ${HOLDABLE_METHODS.join(", ")}`);
    for (const m of methods) {
      if (!HOLDABLE_METHODS.includes(m as HoldableMethod))
        throw new HoldSettingsError(`methods: ${JSON.stringify(m)} is not one of ${HOLDABLE_METHODS.join(", ")}`);
    }
    this.methods = new Set(methods as HoldableMethod[]);
    return this.state();
  }

  /** Stops holding and lets every held request go on; how many were released. */
  release(): number {
    const released = this.waiting;
    this.methods.clear();
    this.waiting = [];
    for (const go of released) go();
    return released.length;
  }

  middleware(): Middleware {
    return async (req, next) => {
      if (this.methods.has(req.method as HoldableMethod) && classifyRequest(req)) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
      return next(req);
    };
  }
}
