// The emulator's state and configuration, independent of HTTP: identity (ids + tokens), behaviour switches,
// the two levels' objects, persistence, reset and dump.
import { bootstrap } from "./bootstrap";
import { newToken, newUuid, newWorkspaceId } from "./ids";
import type { Identity, JsonObject, Level, ResourceType } from "./model";
import { DEFAULT_PRINCIPALS, resolveBehaviour, type Behaviour, type Cloud, type EmulatorOptions } from "./options";
import { applyStateFile, readStateFile, writeStateFile } from "./persistence";
import { renderAny, RenderContext } from "./render";
import { State } from "./store";

export class EmulatorCore {
  readonly state = new State();
  readonly identity: Identity;
  readonly behaviour: Behaviour;
  readonly cloud: Cloud;
  readonly statePath: string | undefined;
  private readonly renderCache = new Map<Level, { version: number; ctx: RenderContext }>();

  constructor(options: EmulatorOptions) {
    this.behaviour = resolveBehaviour(options);
    this.cloud = options.cloud ?? "aws";
    if (!["aws", "azure", "gcp"].includes(this.cloud)) throw new Error(`unknown cloud: ${this.cloud}`);
    this.statePath = options.statePath;
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
    if (saved) applyStateFile(saved, this.state);
    else bootstrap(this.state, this.identity, this.behaviour, this.cloud);
    this.persist();
  }

  /** Durably save (no-op in memory mode). Called after every committed write, before the reply. */
  persist(): void {
    if (this.statePath) writeStateFile(this.statePath, this.identity, this.state);
  }

  /** Render context over committed state, reused while nothing changed (parent index is the costly part). */
  renderContext(level: Level): RenderContext {
    const view = this.state.at(level);
    const cached = this.renderCache.get(level);
    if (cached && cached.version === view.version) return cached.ctx;
    const ctx = new RenderContext(view);
    this.renderCache.set(level, { version: view.version, ctx });
    return ctx;
  }

  /** Empty state with the reserved groups and token principals recreated (so the tokens keep working). */
  reset(): void {
    this.state.workspace.clear();
    this.state.account.clear();
    bootstrap(this.state, this.identity, this.behaviour, this.cloud);
    this.persist();
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
