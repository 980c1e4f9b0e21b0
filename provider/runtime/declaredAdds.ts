import type { TargetInputs } from "../lifecycle/types";
import { type MemberBatcher, MAX_MEMBERS_PER_PATCH } from "./memberBatcher";
import { type MembershipDeclarations, targetKey } from "./membershipRegistry";

/**
 * One PATCH per group on `up`, where the engine hands out only `--parallel` creates at a time.
 *
 * Why: memberBatcher coalesces only the changes in flight together, and with the engine's default parallelism
 * that is a few memberships spread over many groups: 3,000 pairs went out as 2,996 PATCHes (Databricks allows
 * about 2 account PATCHes a second). But check, which the engine runs for every resource as the program
 * registers it, has already told this process (membershipRegistry) which pairs the program declares, usually
 * long before their creates are scheduled. So the first membership create of a group carries every declared,
 * not yet carried pair of that group (a member id known at check is a principal that exists, or one that the
 * PATCH refuses), up to MAX_MEMBERS_PER_PATCH, and the later creates of those pairs confirm from that PATCH's
 * outcome without a request.
 *
 * The engine checks a resource and starts its create at once, while it still checks the resources registered
 * with it (a group's memberships register together, once the group exists, but on a busy engine their checks
 * come tens to hundreds of milliseconds apart). So a create that would start a group's PATCH first waits until
 * check has declared nothing on that group for GROUP_QUIET_MS or three times the last gap between two of its
 * checks, whichever is longer (at most GROUP_WAIT_MAX_MS): the burst of that group's pairs is then declared,
 * and the PATCH carries all of them.
 *
 * Correctness is not traded:
 *  - A PATCH refused for a bad member is split by memberBatcher into one PATCH per member, so only the bad pair
 *    fails; a carried pair that failed is sent again, alone, by its own create, which fails with its own message.
 *  - A carried pair is only ever added because the program declares it. If the run ends before that pair's own
 *    create (killed, or stopped by another resource's failure), the pair is on the server but not in the state;
 *    the next `up` of the same program creates it, which adds an existing member: a no-op success. Converged.
 *  - Preview runs check only: nothing is sent.
 */

/** How long check must have been quiet on a group before its carrying PATCH leaves. */
export const GROUP_QUIET_MS = 50;
/** The longest a create waits for that quiet (it holds one of the engine's parallel slots meanwhile). */
export const GROUP_WAIT_MAX_MS = 2000;

const SENT = Symbol("sent");

/** One per client (./session.ts): what its membership creates carried, over its batcher and the session's declarations. */
export class DeclaredAdds {
  /** `target|group|member` → the outcome of the PATCH that carried the pair ahead of its create, or SENT once its
   * create has consumed it (so that later creates of the group do not carry it again). */
  private readonly carried = new Map<string, Promise<void> | typeof SENT>();

  constructor(
    private readonly batcher: Pick<MemberBatcher, "add">,
    private readonly declared: Pick<MembershipDeclarations, "declaredMembers" | "groupPace">,
  ) {}

  private quietWait(target: TargetInputs, groupId: string): number {
    const { quietMs, lastGapMs } = this.declared.groupPace(target, groupId);
    return Math.max(GROUP_QUIET_MS, 3 * lastGapMs) - quietMs;
  }

  private async groupQuiet(target: TargetInputs, groupId: string): Promise<void> {
    const until = Date.now() + GROUP_WAIT_MAX_MS;
    for (let wait = this.quietWait(target, groupId); wait > 0 && Date.now() < until; wait = this.quietWait(target, groupId)) {
      await new Promise((r) => setTimeout(r, Math.min(wait, until - Date.now())));
    }
  }

  /** Adds the member (create of a GroupMembership), carrying the group's other declared pairs along. */
  async add(target: TargetInputs, groupId: string, memberId: string): Promise<void> {
    const mine = this.carried;
    const key = (m: string) => `${targetKey(target)}|${groupId}|${m}`;
    if (!mine.has(key(memberId))) await this.groupQuiet(target, groupId);
    const early = mine.get(key(memberId));
    mine.set(key(memberId), SENT);
    if (early && early !== SENT) {
      // Settled by a PATCH that carried it: success confirms; a failure is retried alone for this pair's own answer.
      return early.catch(() => this.batcher.add(groupId, memberId));
    }
    const own = this.batcher.add(groupId, memberId);
    let size = 1;
    for (const m of this.declared.declaredMembers(target, groupId)) {
      if (size >= MAX_MEMBERS_PER_PATCH) break;
      if (m === memberId || mine.has(key(m))) continue;
      // Joins the same batch as `own`: memberBatcher waits BATCH_WINDOW_MS before sending an idle group's changes.
      const p = this.batcher.add(groupId, m);
      p.catch(() => undefined); // its own create reads the outcome; never an unhandled rejection meanwhile
      mine.set(key(m), p);
      size += 1;
    }
    return own;
  }
}
