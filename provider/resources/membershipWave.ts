import * as pulumi from "@pulumi/pulumi";

/**
 * A group's GroupMembership resources register with the engine together, as one wave, once the members of all of
 * them exist: so their checks reach the provider in one burst, and the group's first membership create carries
 * every pair in one PATCH (provider/runtime/declaredAdds.ts).
 *
 * Why in the program: a membership registers when its inputs resolve, that is when its user (or service
 * principal, or group) has been created. The engine creates at most `--parallel` resources at a time, so a
 * group's members are created over many seconds and, without the wave, its pairs trickle in: the group's first
 * create left with a few pairs and the later ones each sent their own PATCH (13.9 PATCHes per group of 30 on the
 * quick benchmark under the account limits, where PATCH is limited to 2 a second). A provider-side wait would hold
 * one of the engine's slots per waiting create and starve the user creates that the wait is for. Here the waiting
 * happens before registration, where it holds nothing.
 *
 * Each membership's memberId becomes `member.id.apply(id => wave.then(() => id))`: an apply keeps the member as a
 * dependency of the membership (a plain Promise would lose it). The wave of a group holds every membership of
 * that group declared while it is open and ends when all of their members have settled, created or failed
 * (a failed member does not hold back the others). Memberships declared after it ended (later, after an await in
 * the program) start a new wave.
 *
 * No hangs: a wave also ends when none of its members has settled for WAVE_STALL_MS (a member whose creation
 * waits for a membership of the same group, through dependsOn, would otherwise wait for itself). Previews skip
 * waves (nothing is created, and ids are unknown); so do memberships given a bare id, whose member this program
 * does not create.
 */

/** The longest a wave waits while none of its members settles. */
export const WAVE_STALL_MS = 30_000;

class Wave {
  private pending = 0;
  private lastSettled = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private finish!: () => void;
  ended = false;
  readonly done = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(
    private readonly stallMs: number,
    private readonly onEnd: () => void,
  ) {}

  /** One more member to wait for; `settled` fulfils or rejects once it is created or has failed. */
  add(settled: Promise<unknown>): void {
    this.pending += 1;
    const one = () => {
      this.pending -= 1;
      this.lastSettled = Date.now();
      if (this.pending === 0) this.end();
    };
    settled.then(one, one);
    if (!this.timer) this.arm(this.stallMs);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const idle = Date.now() - this.lastSettled;
      if (idle >= this.stallMs) this.end();
      else this.arm(this.stallMs - idle);
    }, ms);
    // The wave never keeps the program's process alive by itself: its members' registrations do.
    this.timer.unref();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.onEnd();
    this.finish();
  }
}

/** group resource → its open wave. */
const open = new WeakMap<object, Wave>();

/** The Output's own promise (an internal method of the SDK's Output), where it has one: it also rejects. */
interface Settles {
  promise(): Promise<unknown>;
}
function settledOf(id: pulumi.Output<string>): Promise<unknown> | undefined {
  const p = (id as unknown as Partial<Settles>).promise;
  return typeof p === "function" ? p.call(id) : undefined;
}

/**
 * The memberId input of a GroupMembership of `group` (a ScimGroup of this program) and `member` (a resource
 * of this program): its id, held back until the group's current wave ends.
 */
export function memberIdInWave(group: object, member: pulumi.CustomResource): pulumi.Output<string> {
  if (pulumi.runtime.isDryRun()) return member.id;
  const settled = settledOf(member.id);
  // Without a promise to watch (another SDK's Output), no wave: the pairs then register as their members appear.
  if (!settled) return member.id;
  const done = joinWave(group, settled);
  return member.id.apply(async (id) => {
    await done;
    return id;
  });
}

/** Adds a member (`settled` settles once it exists or has failed) to the group's open wave; resolves when that wave ends. */
export function joinWave(group: object, settled: Promise<unknown>, stallMs = WAVE_STALL_MS): Promise<void> {
  let wave = open.get(group);
  if (!wave || wave.ended) {
    const w: Wave = new Wave(stallMs, () => {
      if (open.get(group) === w) open.delete(group);
    });
    open.set(group, w);
    wave = w;
  }
  wave.add(settled);
  return wave.done;
}
