// The emulator's state and configuration, independent of HTTP: identity (ids + tokens), behaviour switches,
// the two levels' objects, persistence, reset and dump.
import { bootstrap, bootstrapWorkspace } from "./bootstrap";
import { resolveWorkspaces } from "./federation/workspaces";
import { newToken, newUuid } from "./ids";
import { bootstrapOAuth, OAuthIssuer } from "./oauth";
import type { Identity, JsonObject, Level, ResourceType } from "./model";
import { DEFAULT_PRINCIPALS, resolveBehaviour, type Behaviour, type Cloud, type EmulatorOptions } from "./options";
import { applyStateFile, readStateFile, StateJournal } from "./persistence";
import { renderAny, RenderContext } from "./render";
import { WORKSPACE_ADMINS_GROUP } from "./schemas";
import { State, Tx, type Change, type Commit, type LevelState, type LevelView } from "./store";
import { syncFederation } from "./federation/sync";

/** What reads of SCIM resources see instead of committed state (fault injection: read-after-write lag). */
export type ReadViewProvider = (base: LevelState) => LevelView | undefined;

export class EmulatorCore {
  readonly state: State;
  readonly identity: Identity;
  readonly behaviour: Behaviour;
  readonly cloud: Cloud;
  readonly statePath: string | undefined;
  /** Issues and checks OAuth tokens when `options.oauth` is set. */
  readonly oauth: OAuthIssuer | undefined;
  private readonly renderCache = new Map<LevelState, { version: number; ctx: RenderContext }>();
  private readonly journal: StateJournal | undefined;
  private readonly commitListeners: ((changes: Change[]) => void)[] = [];
  private readonly resetListeners: (() => void)[] = [];
  private readView: ReadViewProvider | undefined;

  constructor(options: EmulatorOptions) {
    this.behaviour = resolveBehaviour(options);
    // Azure by default: most users run it, and the README's examples are Azure's (Entra applicationIds).
    this.cloud = options.cloud ?? "azure";
    if (!["aws", "azure", "gcp"].includes(this.cloud)) throw new Error(`unknown cloud: ${this.cloud}`);
    this.statePath = options.statePath;
    this.oauth = options.oauth ? new OAuthIssuer(options.oauth === true ? {} : options.oauth) : undefined;
    const saved = this.statePath ? readStateFile(this.statePath) : undefined;
    // Precedence: explicit options/config > identity saved with the state > random.
    const workspaces = resolveWorkspaces(options, saved?.identity);
    this.identity = {
      accountId: options.accountId ?? saved?.identity.accountId ?? newUuid(),
      workspaceId: (workspaces[0] as { id: string }).id,
      workspaces,
      tokens: {
        admin: options.tokens?.admin ?? saved?.identity.tokens.admin ?? newToken(),
        user: options.tokens?.user ?? saved?.identity.tokens.user ?? newToken(),
        accountAdmin: options.tokens?.accountAdmin ?? saved?.identity.tokens.accountAdmin ?? newToken(),
      },
      principals: {
        admin: options.principals?.admin ?? saved?.identity.principals.admin ?? DEFAULT_PRINCIPALS.admin,
        user: options.principals?.user ?? saved?.identity.principals.user ?? DEFAULT_PRINCIPALS.user,
        accountAdmin: options.principals?.accountAdmin ?? saved?.identity.principals.accountAdmin ?? DEFAULT_PRINCIPALS.accountAdmin,
      },
    };
    const { tokens } = this.identity;
    if (new Set([tokens.admin, tokens.user, tokens.accountAdmin]).size !== 3) throw new Error("tokens must be distinct");
    this.state = new State(workspaces);
    if (saved && this.statePath) {
      applyStateFile(saved, this.state, this.statePath);
      // A workspace the saved state did not have starts as a new workspace does.
      for (const ws of this.state.workspaces.values()) {
        if (!ws.list("Groups").some((g) => g.displayName === WORKSPACE_ADMINS_GROUP)) {
          bootstrapWorkspace(this.state, ws.workspaceId as string, this.identity, this.behaviour, this.cloud);
        }
      }
    } else bootstrap(this.state, this.identity, this.behaviour, this.cloud);
    if (this.oauth) bootstrapOAuth(this.state, this.oauth, this.behaviour);
    if (this.statePath) this.journal = new StateJournal(this.statePath, saved?.generation ?? 0);
    this.persist();
  }

  /**
   * Durably save everything, identity included, as a new snapshot (no-op in memory mode). For changes outside
   * SCIM writes (bootstrap, reset, token rotation); SCIM writes go through `committed`.
   */
  persist(): void {
    this.journal?.compact(this.identity, this.state);
  }

  /**
   * A SCIM write was committed: journal it durably (fdatasync) BEFORE the reply goes out, then tell listeners
   * (the lag fault records before-images).
   */
  committed(commit: Commit): void {
    if (commit.changes.length === 0 && commit.assignments.length === 0) return;
    if (this.journal) {
      this.journal.append(commit);
      if (this.journal.wantsCompaction) this.persist();
    }
    if (commit.changes.length > 0) for (const l of this.commitListeners) l(commit.changes);
  }

  /**
   * Run a write in a transaction (`at("workspace")` = `workspaceId`), bring the federated workspaces in line
   * with it, then commit and journal (fsync'd) only if it all succeeded, before the reply goes out.
   */
  write(workspaceId: string, fn: (tx: Tx, now: string) => void): void {
    const tx = new Tx(this.state, workspaceId);
    const now = new Date().toISOString();
    fn(tx, now);
    if (!tx.dirty) return;
    syncFederation(this.state, tx, now);
    this.committed(tx.commit());
  }

  onCommit(listener: (changes: Change[]) => void): void {
    this.commitListeners.push(listener);
  }

  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** Install (or remove) what SCIM reads by id and lists see; see faults/lag.ts. */
  setReadView(provider: ReadViewProvider | undefined): void {
    this.readView = provider;
  }

  /** Render context over committed state, reused while nothing changed (`workspaceId`: default the primary). */
  renderContext(level: Level, workspaceId?: string): RenderContext {
    const view = this.state.at(level, workspaceId);
    const cached = this.renderCache.get(view);
    if (cached && cached.version === view.version) return cached.ctx;
    const ctx = new RenderContext(view, view.parents);
    this.renderCache.set(view, { version: view.version, ctx });
    return ctx;
  }

  /**
   * Context for client reads (GET by id, lists): committed state, or a lagging view of it. Writes, auth, write
   * responses and /__emulator/dump always use committed state.
   */
  readContext(level: Level, workspaceId?: string): RenderContext {
    const base = this.state.at(level, workspaceId);
    const view = this.readView?.(base);
    return view ? new RenderContext(view, base.parents) : this.renderContext(level, workspaceId);
  }

  /** Compact the state file and release it (clean shutdown). */
  close(): void {
    this.persist();
    this.journal?.close();
  }

  /** Empty state with the reserved groups and token principals recreated (so the tokens keep working). */
  reset(): void {
    for (const ws of this.state.workspaces.values()) ws.clear();
    this.state.account.clear();
    bootstrap(this.state, this.identity, this.behaviour, this.cloud);
    if (this.oauth) bootstrapOAuth(this.state, this.oauth, this.behaviour);
    this.persist();
    for (const l of this.resetListeners) l();
  }

  /** Every object at both levels, rendered as an admin would see it. */
  dump(): JsonObject {
    const level = (l: Level, workspaceId?: string): JsonObject => {
      const ctx = this.renderContext(l, workspaceId);
      const all = (kind: ResourceType) => ctx.view.list(kind).map((o) => renderAny(kind, o.id, ctx));
      return { Users: all("Users"), Groups: all("Groups"), ServicePrincipals: all("ServicePrincipals") };
    };
    const out: JsonObject = {
      accountId: this.identity.accountId,
      workspaceId: this.identity.workspaceId,
      workspace: level("workspace"),
      account: level("account"),
    };
    // Only with several or federated workspaces (federated is the default), so a classic dump keeps its shape.
    const list = this.identity.workspaces ?? [];
    if (list.length > 1 || list.some((w) => w.federated)) {
      out.workspaces = Object.fromEntries(
        list.map((w) => [
          w.id,
          { federated: w.federated, ...level("workspace", w.id), assignments: Object.fromEntries(this.state.at("workspace", w.id).assignmentEntries()) },
        ]),
      );
    }
    return out;
  }
}
