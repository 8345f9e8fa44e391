import { createHash } from 'node:crypto';

/**
 * mulberry32: a tiny seeded PRNG (32-bit state), so the engine's answers are the same for the
 * same inputs on every machine and Node version. A copy of the one in libs/workers (this app
 * imports nothing but Node, so its build is one folder). Not for anything that needs real
 * randomness.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A PRNG seeded by the sha256 of `parts` (as canonical JSON): every answer is a function of
 * exactly the inputs named here, and nearby inputs give unrelated streams.
 */
export function prngFor(...parts: readonly unknown[]): () => number {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  return mulberry32(digest.readUInt32BE(0));
}
