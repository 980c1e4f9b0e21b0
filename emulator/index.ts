// Programmatic entry point of the local Databricks SCIM emulator.
export { startEmulator, type RunningEmulator } from "./server";
export { EmulatorCore } from "./core";
export { DEFAULT_BEHAVIOUR, DEFAULT_PRINCIPALS, loadConfigFile, type Behaviour, type Cloud, type EmulatorOptions } from "./options";
export type { EmuRequest, EmuResponse, FaultKind, Handler, Middleware } from "./pipeline";
export type { FaultCounters, RequestLogEntry, StatsSnapshot } from "./stats";
export { FaultController, type FaultSettings, type FaultSettingsInput, type LimitKey, type RandomFaultKind, type RateLimit } from "./faults/index";
