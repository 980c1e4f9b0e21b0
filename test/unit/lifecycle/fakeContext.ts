// A fake context for lifecycle tests: what the dispatcher would hand a lifecycle, without the provider
// process's environment. Targets resolve without credentials or config files; the read lag, the create journal
// and the membership registry are plain in-memory records (no waiting, no files); reads go one GET per id
// (no batching), and memberships use the real batcher and members cache over the given client, so the requests
// a test sees are the ones the provider sends.
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
import { groupMembers, groupSnapshot } from "../../../provider/runtime/groupMembersCache";
import { addMember, removeMember } from "../../../provider/runtime/memberBatcher";
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

export function fakeContexts(opts: { client?: (target: TargetInputs) => ScimClient; priors?: Record<string, Prior> } = {}): FakeContexts {
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
  const registry: MembershipRegistry = {
    declare: (d) => void declared.push(d),
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
    targets: { resolve: (t) => ({ host: t.host ?? FAKE_HOST, level: t.level ?? "workspace", ...(t.accountId ? { accountId: t.accountId } : {}) }) },
    registry,
    workspaces,
    groupNames,
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
        groups: { members: (g, o) => groupMembers(client(), g, o), snapshot: (g) => groupSnapshot(client(), g) },
        members: { add: (g, m) => addMember(client(), g, m), remove: (g, m) => removeMember(client(), g, m) },
      };
    },
  };
}
