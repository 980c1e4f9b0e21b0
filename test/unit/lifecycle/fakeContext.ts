// A fake context for lifecycle tests: what the dispatcher would hand a lifecycle, without the provider
// process's environment. Targets resolve without credentials or config files; the read lag, the create journal
// and the membership registry are plain in-memory records (no waiting, no files); reads go one GET per id
// (no batching), and memberships use the real members cache, batcher and carrying adds (runtime/declaredAdds.ts,
// fed by what check declared) over the given client, so the requests a test sees are the ones the provider sends.
import type { ScimClient } from "../../../provider/client";
import type {
  CallContext,
  CheckContext,
  Contexts,
  CreateJournal,
  GroupNames,
  MembershipRegistry,
  ReadLag,
  WorkspaceRegistry,
} from "../../../provider/lifecycle/context";
import type { Declaration, DeclaredGroup, JournalEvent, Prior, TargetInputs } from "../../../provider/lifecycle/types";
import { DeclaredAdds } from "../../../provider/runtime/declaredAdds";
import { GroupReadCache } from "../../../provider/runtime/groupMembersCache";
import { MemberBatcher } from "../../../provider/runtime/memberBatcher";
import { MembershipDeclarations } from "../../../provider/runtime/membershipRegistry";
import { NotFoundError } from "../../../provider/client";

export const FAKE_HOST = "https://adb-1.2.azuredatabricks.net";

export interface FakeContexts extends Contexts {
  /** What the lifecycle asked of the fakes, in order. */
  journal: { key: string; event: JournalEvent; id?: string }[];
  declared: Declaration[];
  written: Set<string>;
  /** The targets calls were made for. */
  targets: TargetInputs[];
}

export function fakeContexts(
  opts: { client?: (target: TargetInputs) => ScimClient; priors?: Record<string, Prior>; env?: Record<string, string> } = {},
): FakeContexts {
  const journalLog: FakeContexts["journal"] = [];
  const declared: Declaration[] = [];
  const written = new Set<string>();
  const claimed = new Set<string>();
  const targets: TargetInputs[] = [];
  const pair = (t: TargetInputs, g: string, m: string) => `${t.host}|${g}|${m}`;

  const lag: ReadLag = {
    boundMs: () => 0,
    noteWritten: (id) => void written.add(id),
    isRecent: (id) => written.has(id),
    retryNotFound: (fn) => fn(),
    pollUntilFound: (find) => find(),
  };
  const journal: CreateJournal = {
    key: (t, kind, naturalKey) => `${t.host}|${kind}|${naturalKey.toLowerCase()}`,
    prior: (key) => opts.priors?.[key],
    record: (key, event, extra) => void journalLog.push({ key, event, ...(extra?.id ? { id: extra.id } : {}) }),
    recordDeleted: (id) => void journalLog.push({ key: "", event: "deleted", id }),
  };
  // What carrying needs of the registry (each group's declared pairs, and when they were declared); conflicts
  // are not the fake's business, so its `declare` reports none.
  const declarations = new MembershipDeclarations();
  const registry: MembershipRegistry = {
    declare: (d) => {
      declared.push(d);
      declarations.declare(d);
      return undefined;
    },
    checksQuiet: async () => undefined,
    conflictAtApply: () => undefined,
    claimPair: (t, g, m) => void claimed.add(pair(t, g, m)),
    isClaimed: (t, g, m) => claimed.has(pair(t, g, m)),
  };
  const claims = new Map<string, string>();
  const workspaces: WorkspaceRegistry = {
    claim(space, name, keys) {
      const held = keys.map((k) => claims.get(`${space}|${k}`)).find((h) => h !== undefined && h !== name);
      if (held === undefined) for (const k of keys) claims.set(`${space}|${k}`, name);
      return held;
    },
  };
  const groupDecls = new Map<string, DeclaredGroup>();
  const groupNames: GroupNames = {
    declare: (key, g) => void (g ? groupDecls.set(key, g) : groupDecls.delete(key)),
    named: (n) => [...groupDecls.values()].filter((g) => g.displayName.toLowerCase() === n.toLowerCase()),
    checksQuiet: async () => undefined,
  };
  const check: CheckContext = {
    targets: {
      resolve: async (t) => ({ host: t.host ?? FAKE_HOST, level: t.level ?? "workspace", ...(t.accountId ? { accountId: t.accountId } : {}) }),
      hasEnvVar: (name) => !!opts.env?.[name],
    },
    registry,
    workspaces,
    groupNames,
  };
  const perClient = new WeakMap<ScimClient, { groups: GroupReadCache; batcher: MemberBatcher; adds: DeclaredAdds }>();
  const storesOf = (client: ScimClient) => {
    let stores = perClient.get(client);
    if (!stores) {
      const groups = new GroupReadCache(client, lag);
      const batcher = new MemberBatcher(client, groups, lag);
      stores = { groups, batcher, adds: new DeclaredAdds(batcher, declarations) };
      perClient.set(client, stores);
    }
    return stores;
  };
  return {
    journal: journalLog,
    declared,
    written,
    targets,
    check: () => check,
    call(target): CallContext {
      targets.push(target);
      const client = () => {
        if (!opts.client) throw new Error("this fake context has no client: the test expects no HTTP call");
        return opts.client(target);
      };
      return {
        get client() {
          return client();
        },
        settings: { assignmentWaitMs: 0 },
        lag,
        journal,
        registry,
        workspaces,
        groupNames,
        reads: {
          async read(api, id, attributes) {
            try {
              return await api.get(id, { attributes });
            } catch (e) {
              if (e instanceof NotFoundError) return undefined;
              throw e;
            }
          },
        },
        groups: {
          members: (g, o) => storesOf(client()).groups.members(g, o),
          snapshot: (g) => storesOf(client()).groups.snapshot(g),
          created: (g) => storesOf(client()).groups.created(g),
        },
        members: { add: (g, m) => storesOf(client()).adds.add(target, g, m), remove: (g, m) => storesOf(client()).batcher.remove(g, m) },
      };
    },
  };
}
