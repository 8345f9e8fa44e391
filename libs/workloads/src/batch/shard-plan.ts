/** How a parent's request lines are cut into shards (ADR 9: contiguous, balanced ranges). */

/** One shard's lines: `[firstLine, firstLine + lineCount)`, 0-based. */
export interface ShardRange {
  readonly index: number;
  readonly firstLine: number;
  readonly lineCount: number;
}

/**
 * `min(shards, lines)` contiguous ranges covering every line once, in order, their sizes
 * differing by at most one (the first `lines % count` shards take one more). No lines, no shards.
 */
export function planShards(lines: number, shards: number): ShardRange[] {
  if (!Number.isInteger(lines) || lines < 0)
    throw new RangeError(`lines must be a whole number >= 0, got ${lines}`);
  if (!Number.isInteger(shards) || shards < 1)
    throw new RangeError(`shards must be a whole number >= 1, got ${shards}`);
  const count = Math.min(shards, lines);
  const base = Math.floor(lines / Math.max(count, 1));
  const extra = lines - base * count;
  const ranges: ShardRange[] = [];
  let firstLine = 0;
  for (let index = 0; index < count; index++) {
    const lineCount = base + (index < extra ? 1 : 0);
    ranges.push({ index, firstLine, lineCount });
    firstLine += lineCount;
  }
  return ranges;
}
