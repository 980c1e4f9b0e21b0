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
 * Waves are let out one at a time, in the order they end, each once the memberships of the one before have been
 * created (or failed). Why: the engine checks a registered resource only when one of its `--parallel` slots is
 * free, so the pairs of two groups let out together share the slots, each group's first PATCH leaves with the
 * few pairs checked by then, and the rest follow in more PATCHes (quick benchmark, account limits: 5.5-6.7
 * PATCHes per group when all waves were let out as they ended, 2.8 one at a time). Letting them out in turn costs
 * no throughput where PATCHes are rate-limited, and little where they are not (a group's creates take a few
 * round trips).
 *
 * No hangs: a wave also ends when none of its members has settled for WAVE_STALL_MS, and the next one is let
 * out when none of the memberships before it has been created for as long (a member whose creation
 * waits for a membership of the same group, through dependsOn, would otherwise wait for itself). Previews skip
 * waves (nothing is created, and ids are unknown); so do memberships given a bare id, whose member this program
 * does not create.
 */

/** The longest a wave waits while none of what it waits for settles. */
export const WAVE_STALL_MS = 30_000;

/**
 * Waits for promises to settle, fulfilled or rejected; more may be added until it is closed. Done once closed
 * with none pending, or when none has settled for `stallMs`.
 */
class Gate {
  private pending = 0;
  private closed = false;
  private lastSettled = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private finish!: () => void;
  ended = false;
  readonly done = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(private readonly stallMs: number) {}

  add(settled: Promise<unknown>): void {
    this.pending += 1;
    const one = () => {
      this.pending -= 1;
      this.lastSettled = Date.now();
      if (this.pending === 0 && this.closed) this.end();
    };
    settled.then(one, one);
    if (this.closed && !this.timer) this.arm(this.stallMs);
  }

  /** No more will be added; ends now if none is pending. The stall bound counts from here. */
  close(): void {
    this.closed = true;
    if (this.pending === 0) return this.end();
    if (!this.timer) {
      this.lastSettled = Date.now();
      this.arm(this.stallMs);
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const idle = Date.now() - this.lastSettled;
      if (idle >= this.stallMs) this.end();
      else this.arm(this.stallMs - idle);
    }, ms);
    // A gate never keeps the program's process alive by itself: the registrations it waits for do.
    this.timer.unref();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.finish();
  }
}

export interface Wave {
  /** The members of its memberships: the wave ends when all have settled. */
  members: Gate;
  /** Its memberships' creates: the next wave is let out when all have settled. */
  created: Gate;
  /** Resolves when the wave is let out: its memberships then register. */
  released: Promise<void>;
}

/**
 * The program's waves: each group's open wave, and the chain that lets them out one at a time, in the order they
 * end. One per program process (`programWaves`); a test may make its own.
 */
export class WaveQueue {
  /** group resource → its open wave (its members not all settled yet). */
  private readonly open = new WeakMap<object, Wave>();
  /** Resolves when the last wave let out has been created. */
  private previous: Promise<void> = Promise.resolve();

  /** Adds a member (`settled` settles once it exists or has failed) to the group's open wave. */
  join(group: object, settled: Promise<unknown>, stallMs = WAVE_STALL_MS): Wave {
    let wave = this.open.get(group);
    if (!wave || wave.members.ended) {
      wave = this.newWave(group, stallMs);
      this.open.set(group, wave);
    }
    wave.members.add(settled);
    // Closed at once: the gate ends when this and every member added before it settle (members settle later, never
    // while the program is still declaring the memberships of one synchronous loop).
    wave.members.close();
    return wave;
  }

  private newWave(group: object, stallMs: number): Wave {
    const members = new Gate(stallMs);
    const created = new Gate(stallMs);
    const released = members.done.then(() => {
      if (this.open.get(group) === wave) this.open.delete(group);
      const mine = this.previous.then(() => created.close());
      this.previous = mine.then(() => created.done);
      return mine;
    });
    const wave: Wave = { members, created, released };
    return wave;
  }
}

/** This program's waves (the program's process runs one program). */
const programWaves = new WaveQueue();

/** The Output's own promise (an internal method of the SDK's Output), where it has one: it also rejects. */
interface Settles {
  promise(): Promise<unknown>;
}
function settledOf(o: pulumi.Output<string>): Promise<unknown> | undefined {
  const p = (o as unknown as Partial<Settles>).promise;
  return typeof p === "function" ? p.call(o) : undefined;
}

/** A membership's place in its group's wave: the memberId to register, and where to report its create. */
export interface InWave {
  memberId: pulumi.Output<string>;
  /** Called with the membership resource's id once constructed. */
  created(id: pulumi.Output<string>): void;
}

/**
 * The memberId input of a GroupMembership of `group` (a ScimGroup of this program) and `member` (a resource
 * of this program): its id, held back until the group's wave is let out; undefined where no wave applies.
 */
export function memberIdInWave(group: object, member: pulumi.CustomResource): InWave | undefined {
  if (pulumi.runtime.isDryRun()) return undefined;
  const settled = settledOf(member.id);
  // Without a promise to watch (another SDK's Output), no wave: the pairs then register as their members appear.
  if (!settled) return undefined;
  const wave = joinWave(group, settled);
  return {
    memberId: member.id.apply(async (id) => {
      await wave.released;
      return id;
    }),
    created(id) {
      const p = settledOf(id);
      if (p) wave.created.add(p);
    },
  };
}

/** Adds a member (`settled` settles once it exists or has failed) to the group's open wave in this program. */
export function joinWave(group: object, settled: Promise<unknown>, stallMs = WAVE_STALL_MS): Wave {
  return programWaves.join(group, settled, stallMs);
}
