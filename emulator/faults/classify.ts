// Which level and rate-limit class a SCIM request belongs to. Non-SCIM paths are never faulted (the gateway
// would answer them, not the SCIM service).
import type { Level } from "../model";
import type { EmuRequest } from "../pipeline";
import { matchRoute } from "../routes";
import type { LimitVerb } from "./settings";

export interface RequestClass {
  level: Level;
  verb: LimitVerb;
  write: boolean;
}

export function classifyRequest(req: EmuRequest): RequestClass | undefined {
  const route = matchRoute(req.path);
  if (!route) return undefined;
  const method = req.method;
  let verb: LimitVerb;
  if (method === "GET") verb = route.id === undefined && route.resource !== "Me" ? "LIST" : "GET";
  else if (method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE") verb = method;
  else return undefined;
  return { level: route.level, verb, write: method !== "GET" };
}
