/** The column pool hands back zero-filled columns of the length asked, reusing given buffers. */
import { ColumnPool } from './column-pool';

describe('ColumnPool', () => {
  it('gives a given buffer out again, zero-filled and cut to the length asked', () => {
    const pool = new ColumnPool();
    const first = pool.take(Float64Array, 5000).fill(7);
    expect(first.length).toBe(5000);
    pool.give(first);
    const again = pool.take(Float64Array, 4500);
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(4500);
    expect(again.every((x) => x === 0)).toBe(true);
    // Taken: not handed out twice.
    expect(pool.take(Float64Array, 4500).buffer).not.toBe(first.buffer);
  });

  it('keeps a buffer given twice once, and never gives one of another kind or size', () => {
    const pool = new ColumnPool();
    const column = pool.take(Int32Array, 2048);
    pool.give(column, column.subarray(0, 1500));
    const a = pool.take(Int32Array, 2000);
    const b = pool.take(Int32Array, 2000);
    expect(a.buffer).toBe(column.buffer);
    expect(b.buffer).not.toBe(column.buffer);
    pool.give(a);
    expect(pool.take(Uint8Array, 2000).buffer).not.toBe(column.buffer);
    expect(pool.take(Int32Array, 1000).buffer).not.toBe(column.buffer);
    expect(pool.take(Int32Array, 1025).buffer).toBe(column.buffer);
  });

  it('keeps no columns it did not make, nor the shortest', () => {
    const pool = new ColumnPool();
    const odd = new Int32Array(3000);
    const short = pool.take(Int32Array, 8);
    pool.give(odd, short);
    expect(pool.take(Int32Array, 3000).buffer).not.toBe(odd.buffer);
    expect(pool.take(Int32Array, 8).buffer).not.toBe(short.buffer);
  });
});
