// Programmatic entry point of the local Microsoft Graph (Entra ID) emulator.
export { startGraphEmulator, type RunningGraphEmulator } from "./server";
export { DEFAULT_APP_PERMISSIONS, type GraphEmulatorOptions } from "./options";
export type { AppSeed, GenerateSeed, GraphSeed, GroupSeed, ObjectSeed } from "./seed";
export type { ThrottleSettings } from "./throttle";
export { GRAPH_SCOPE } from "./identity";
