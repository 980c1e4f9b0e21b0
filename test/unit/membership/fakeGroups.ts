// A loopback SCIM server that knows only groups and their members: enough to count the requests the membership
// code makes, and to script the failures it must survive. Atomic PATCH, as Databricks: any failing operation
// leaves the group unchanged. Each test states which principals exist; adding any other id fails with the
// generic 400 Databricks gives, which names no member.
import { startServer, scimError, type Recorded, type Reply, type TestServer } from "../client/helpers";

export interface FakeGroups {
  server: TestServer;
  url: string;
  /** groupId → member ids. */
  groups: Map<string, Set<string>>;
  /** Ids that may be added as members. */
  principals: Set<string>;
  /** Answer every request with this instead (e.g. 500), while set. */
  failWith?: Reply;
  gets(): Recorded[];
  patches(): Recorded[];
  close(): Promise<void>;
}

export interface PatchBody {
  schemas: string[];
  Operations: { op: string; path?: string; value?: { value: string }[] }[];
}

const GROUP_PATH = /\/Groups\/([^/?]+)(\?.*)?$/;
const REMOVE_PATH = /^members\[value eq "([^"]+)"\]$/;

export async function fakeGroups(init: Record<string, string[]> = {}, principals: string[] = []): Promise<FakeGroups> {
  const groups = new Map(Object.entries(init).map(([g, ms]) => [g, new Set(ms)]));
  const state: FakeGroups = {
    server: undefined as unknown as TestServer,
    url: "",
    groups,
    principals: new Set([...principals, ...Object.values(init).flat(), ...Object.keys(init)]),
    gets: () => state.server.requests.filter((r) => r.method === "GET"),
    patches: () => state.server.requests.filter((r) => r.method === "PATCH"),
    close: () => state.server.close(),
  };
  state.server = await startServer((req) => handle(state, req));
  state.url = state.server.url;
  return state;
}

function handle(state: FakeGroups, req: Recorded): Reply {
  if (state.failWith) return state.failWith;
  const m = GROUP_PATH.exec(req.url);
  if (!m) return { status: 404, body: scimError(404, "Endpoint not supported.") };
  const id = decodeURIComponent(m[1] as string);
  const members = state.groups.get(id);
  if (!members) return { status: 404, body: scimError(404, `Group with id ${id} not found.`) };
  if (req.method === "GET") {
    return {
      status: 200,
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        id,
        displayName: `group-${id}`,
        members: [...members].map((v) => ({ value: v, display: `p-${v}`, $ref: `Users/${v}` })),
      },
    };
  }
  if (req.method === "PATCH") {
    const next = new Set(members);
    for (const op of (req.json as PatchBody).Operations) {
      if (op.op === "add" && op.path === "members") {
        for (const { value } of op.value ?? []) {
          if (!state.principals.has(value)) {
            return { status: 400, body: scimError(400, "Error in performing the patch operation on group resource.") };
          }
          next.add(value);
        }
      } else if (op.op === "remove" && REMOVE_PATH.test(op.path ?? "")) {
        next.delete(REMOVE_PATH.exec(op.path as string)?.[1] as string);
      } else {
        return { status: 400, body: scimError(400, "Invalid path", "invalidPath") };
      }
    }
    state.groups.set(id, next);
    return { status: 200, body: {} };
  }
  return { status: 405, body: scimError(405, "Method not allowed") };
}

/** Member ids an add op carried, and the members the remove ops named, per PATCH. */
export function opsOf(req: Recorded): { adds: string[]; removes: string[]; ops: number } {
  const body = req.json as PatchBody;
  const adds = body.Operations.filter((o) => o.op === "add").flatMap((o) => (o.value ?? []).map((v) => v.value));
  const removes = body.Operations.filter((o) => o.op === "remove").map((o) => REMOVE_PATH.exec(o.path ?? "")?.[1] as string);
  return { adds, removes, ops: body.Operations.length };
}

/** Numeric ids "1000", "1001", … */
export function ids(n: number, from = 1000): string[] {
  return Array.from({ length: n }, (_, i) => String(from + i));
}
