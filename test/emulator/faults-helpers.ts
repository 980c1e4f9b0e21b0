// Helpers for the fault-injection tests: switch faults over the real endpoint, read counters, time requests.
import { httpCall, type Client, type Json } from "./helpers";

export async function setFaults(c: Client, body: unknown): Promise<Json> {
  const r = await httpCall("POST", `${c.emu.url}/__emulator/faults`, body);
  if (r.status !== 200) throw new Error(`POST /__emulator/faults: ${r.status} ${r.text}`);
  return r.body;
}

export async function emuGet(c: Client, path: string): Promise<Json> {
  const r = await httpCall("GET", `${c.emu.url}/__emulator/${path}`);
  if (r.status !== 200) throw new Error(`GET /__emulator/${path}: ${r.status}`);
  return r.body;
}

export async function resetAll(c: Client): Promise<void> {
  await httpCall("DELETE", `${c.emu.url}/__emulator/faults`);
  await httpCall("POST", `${c.emu.url}/__emulator/reset-stats`);
}

/** A call whose connection may be dropped: resolves to the socket error code instead of throwing. */
export async function callOrError(p: Promise<{ status: number }>): Promise<{ status: number } | { error: string }> {
  try {
    return await p;
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? String(e) };
  }
}

export function userNames(dump: Json, level: "workspace" | "account" = "workspace"): string[] {
  return (dump[level].Users as Json[]).map((u) => u.userName as string);
}
