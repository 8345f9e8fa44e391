/**
 * Seeded randomness for the simulator and benchmarks, so the same seed gives the same run:
 * a string hash (FNV-1a, then the murmur3 finaliser for avalanche) and a small PRNG
 * (mulberry32). Neither is cryptographic; both are fast and stable across platforms.
 */

/** A 32-bit hash of a string; unsigned. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A uniform number in [0, 1) drawn from (seed, key) alone: the same pair, the same number. */
export function seededUniform(seed: number, key: string): number {
  return hashString(`${seed}\u0000${key}`) / 0x1_0000_0000;
}

/** A PRNG: each call returns the next number in [0, 1). */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A whole number in [min, max], both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One of `choices`, drawn with the given weights (need not sum to 1). */
export function weightedChoice<T>(random: Random, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random() * total;
  for (const [value, weight] of choices) {
    if (point < weight) return value;
    point -= weight;
  }
  return choices[choices.length - 1]![0];
}
