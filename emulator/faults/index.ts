// Fault injection for the emulator: rate limits, concurrency cap, random 5xx/reset/lost/latency/429, and
// read-after-write lag. Off by default; switched by options.faults / CLI flags / `/__emulator/faults`.
export { FaultController } from "./controller";
export { FaultSettingsError, mergeSettings } from "./merge";
export { HoldSettingsError, type HoldState } from "./hold";
export { faultFlagOptions, faultInputFromFlags } from "./flags";
export type { FaultSettings, FaultSettingsInput, LagOp, LimitKey, RandomFaultKind, RateLimit } from "./settings";
