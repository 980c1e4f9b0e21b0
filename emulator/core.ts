// The emulator's state and configuration, independent of HTTP: identity (ids + tokens), behaviour switches,
// the two levels' objects, persistence, reset and dump.
import { bootstrap } from "./bootstrap";
import { newToken, newUuid, newWorkspaceId } from "./ids";
import { bootstrapOAuth, OAuthIssuer } from "./oauth";
import type { Identity, JsonObject, Level, ResourceType } from "./model";
import { DEFAULT_PRINCIPALS, resolveBehaviour, type Behaviour, type Cloud, type EmulatorOptions } from "./options";
import { applyStateFile, readStateFile, StateJournal } from "./persistence";
import { renderAny, RenderContext } from "./render";
import { State, type Change, type LevelState, type LevelView } from "./store";

/** What reads of SCIM resources see instead of committed state (fault injection: read-after-write lag). */
export type ReadViewProvider = (base: LevelState) => LevelView | undefined;

export class EmulatorCore {
  readonly state = new State();
  readonly identity: Identity;
  readonly behaviour: Behaviour;
  readonly cloud: Cloud;
  readonly statePath: string | undefined;
  /** Issues and checks OAuth tokens when `options.oauth` is set. */
  readonly oauth: OAuthIssuer | undefined;
  private readonly renderCache = new Map<Level, { version: number; ctx: RenderContext }>();
  private readonly journal: StateJournal | undefined;
  private readonly commitListeners: ((changes: Change[]) => void)[] = [];
  private readonly resetListeners: (() => void)[] = [];
  private readView: ReadViewProvider | undefined;

  constructor(options: EmulatorOptions) {
    this.behaviour = resolveBehaviour(options);
    this.cloud = options.cloud ?? "aws";
    if (!["aws", "azure", "gcp"].includes(this.cloud)) throw new Error(`unknown cloud: ${this.cloud}`);
    this.statePath = options.statePath;
    this.oauth = options.oauth ? new OAuthIssuer(options.oauth === true ? {} : options.oauth) : undefined;
    const saved = this.statePath ? readStateFile(this.statePath) : undefined;
    // Precedence: explicit options/config > identity saved with the state > random.
    this.identity = {
      accountId: options.accountId ?? saved?.identity.accountId ?? newUuid(),
      workspaceId: options.workspaceId ?? saved?.identity.workspaceId ?? newWorkspaceId(),
      tokens: {
        admin: options.tokens?.admin ?? saved?.identity.tokens.admin ?? newToken(),
        user: options.tokens?.user ?? saved?.identity.tokens.user ?? newToken(),
        accountAdmin: options.tokens?.accountAdmin ?? saved?.identity.tokens.accountAdmin ?? newToken(),
      },
      principals: {
        admin: options.principals?.admin ?? saved?.identity.principals.admin ?? DEFAULT_PRINCIPALS.admin,
        user: options.principals?.user ?? saved?.identity.principals.user ?? DEFAULT_PRINCIPALS.user,
        accountAdmin:
          options.principals?.accountAdmin ?? saved?.identity.principals.accountAdmin ?? DEFAULT_PRINCIPALS.accountAdmin,
      },
    };
    const { tokens } = this.identity;
    if (new Set([tokens.admin, tokens.user, tokens.accountAdmin]).size !== 3) throw new Error("tokens must be distinct");
    if (saved && this.statePath) applyStateFile(saved, this.state, this.statePath);
    else bootstrap(this.state, this.identity, this.behaviour, this.cloud);
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
  committed(changes: Change[]): void {
    if (changes.length === 0) return;
    if (this.journal) {
      this.journal.append(changes);
      if (this.journal.wantsCompaction) this.persist();
    }
    for (const l of this.commitListeners) l(changes);
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

  /** Render context over committed state, reused while nothing changed. */
  renderContext(level: Level): RenderContext {
    const view = this.state.at(level);
    const cached = this.renderCache.get(level);
    if (cached && cached.version === view.version) return cached.ctx;
    const ctx = new RenderContext(view, view.parents);
    this.renderCache.set(level, { version: view.version, ctx });
    return ctx;
  }

  /**
   * Context for client reads (GET by id, lists): committed state, or a lagging view of it. Writes, auth, write
   * responses and /__emulator/dump always use committed state.
   */
  readContext(level: Level): RenderContext {
    const base = this.state.at(level);
    const view = this.readView?.(base);
    return view ? new RenderContext(view, base.parents) : this.renderContext(level);
  }

  /** Compact the state file and release it (clean shutdown). */
  close(): void {
    this.persist();
    this.journal?.close();
  }

  /** Empty state with the reserved groups and token principals recreated (so the tokens keep working). */
  reset(): void {
    this.state.workspace.clear();
    this.state.account.clear();
    bootstrap(this.state, this.identity, this.behaviour, this.cloud);
    if (this.oauth) bootstrapOAuth(this.state, this.oauth, this.behaviour);
    this.persist();
    for (const l of this.resetListeners) l();
  }

  /** Every object at both levels, rendered as an admin would see it. */
  dump(): JsonObject {
    const level = (l: Level): JsonObject => {
      const ctx = this.renderContext(l);
      const all = (kind: ResourceType) => ctx.view.list(kind).map((o) => renderAny(kind, o.id, ctx));
      return { Users: all("Users"), Groups: all("Groups"), ServicePrincipals: all("ServicePrincipals") };
    };
    return {
      accountId: this.identity.accountId,
      workspaceId: this.identity.workspaceId,
      workspace: level("workspace"),
      account: level("account"),
    };
  }
}
