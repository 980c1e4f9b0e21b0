import { HttpError, NotFoundError } from "./errors";
import type { GroupsApi, WithId } from "./resources";
import type { ScimGroup } from "./types";

/** What the proxy said of a name; `available: false` when the host does not serve it (to this caller). */
export type AccountGroupAnswer = { available: false } | { available: true; group: WithId<ScimGroup> | undefined };

/**
 * The account's groups as a workspace host's proxy of account SCIM (`/api/2.0/account/scim/v2/Groups`) shows
 * them, assigned to the workspace or not. Only identity-federated workspaces serve it; others answer 404 (403 or
 * 405 for a caller or method it does not serve). No request can tell whether a workspace is federated without
 * asking, so the first lookup is the probe: its answer decides for this client (one per host and credentials in
 * a process) whether later lookups are sent at all. Lookups made while the first is on the wire wait for its
 * answer rather than each probing. Read-only: nothing is ever written through it.
 */
export class AccountGroupsProxy {
  /** Unset until the first lookup; then whether the host serves the proxy (undefined: the probe failed, ask again). */
  #available: Promise<boolean | undefined> | undefined;

  constructor(private readonly groups: GroupsApi) {}

  /** The account group of this displayName (ids and names only), or that the proxy is not available here. */
  async findByDisplayName(displayName: string): Promise<AccountGroupAnswer> {
    const known = this.#available;
    if (known === undefined) return this.#probe(displayName);
    const available = await known;
    // The probe failed (an error the create reported): this lookup asks again, as the next probe if none is running.
    if (available === undefined) return this.findByDisplayName(displayName);
    return available ? this.#ask(displayName) : { available: false };
  }

  #probe(displayName: string): Promise<AccountGroupAnswer> {
    const answer = this.#ask(displayName);
    const available: Promise<boolean | undefined> = answer.then(
      (a) => a.available,
      () => {
        if (this.#available === available) this.#available = undefined;
        return undefined;
      },
    );
    this.#available = available;
    return answer;
  }

  async #ask(displayName: string): Promise<AccountGroupAnswer> {
    try {
      return { available: true, group: await this.groups.findByDisplayName(displayName, { attributes: "id,displayName" }) };
    } catch (e) {
      if (e instanceof NotFoundError || (e instanceof HttpError && (e.status === 403 || e.status === 405))) return { available: false };
      throw e;
    }
  }
}
