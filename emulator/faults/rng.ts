// Random source for fault decisions: seeded (mulberry32) for reproducible runs, or Math.random. With a seed,
// the same sequence of requests in the same arrival order gets the same faults.
export type Rng = () => number;

export function makeRng(seed: number | null): Rng {
  if (seed === null) return Math.random;
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
