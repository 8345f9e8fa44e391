/**
 * Typed columns handed back by what a cycle no longer needs, for the next cycle to take. V8
 * keeps a typed array's memory outside its heap and starts a full collection once that memory
 * has grown by some tens of MB since the last one ("external memory pressure"): at 10,000 nodes
 * and 100,000 pending jobs the columns the policy worked with were ~7 MB a cycle, new each
 * cycle, so a full collection began every ~9 cycles and its marking slowed the cycle it fell in
 * by 30-100 ms (`bench:cycle`'s p99). Taken from the pool, the same buffers serve cycle after
 * cycle (the kept facts of the last cycle and this one's take turns).
 *
 * A column handed back must not be read or written again: the one who gives it is its only
 * holder (the structures here give back their own columns when they are replaced, and nobody
 * else keeps them). A column is zero-filled when taken, as a new one is.
 */

type Column = Int32Array | Float64Array | Uint8Array;
type Kind = Int32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

/** Columns shorter than this are new each time (V8 keeps the smallest on its heap anyway). */
const SMALLEST = 16;
/** Buffers kept per kind and size at most (a cycle uses a few hundred columns in all). */
const KEPT_PER_SIZE = 256;

export class ColumnPool {
  /** Per kind, per power of two: buffers of exactly that many elements. */
  private readonly free = new Map<Kind, Column[][]>();
  /** The buffers in the pool now: one given twice is kept once. */
  private readonly pooled = new WeakSet<ArrayBufferLike>();

  /**
   * A zero-filled column of `length`: a view of a kept buffer of the next power of two when
   * there is one, else of a new one of that size (so that it can be kept when given back).
   */
  take<K extends Kind>(kind: K, length: number): InstanceType<K> {
    if (length < SMALLEST) return new kind(length) as InstanceType<K>;
    const size = Math.ceil(Math.log2(length));
    const buffer = this.sizes(kind)[size]?.pop();
    if (!buffer) return new kind(2 ** size).subarray(0, length) as InstanceType<K>;
    this.pooled.delete(buffer.buffer);
    const column = buffer.subarray(0, length);
    column.fill(0);
    return column as InstanceType<K>;
  }

  /** Hands columns back: the buffers the pool gave out serve later `take`s. */
  give(...columns: readonly (Column | undefined)[]): void {
    for (const column of columns) {
      if (!column || this.pooled.has(column.buffer)) continue;
      const kind = column.constructor as Kind;
      const whole = new kind(column.buffer as ArrayBuffer);
      const size = Math.log2(whole.length);
      // Only whole powers of two (what `take` made): a column made elsewhere is left alone.
      if (!Number.isInteger(size) || whole.length < SMALLEST) continue;
      const sizes = this.sizes(kind);
      const list = (sizes[size] ??= []);
      if (list.length >= KEPT_PER_SIZE) continue;
      list.push(whole);
      this.pooled.add(column.buffer);
    }
  }

  private sizes(kind: Kind): Column[][] {
    let sizes = this.free.get(kind);
    if (!sizes) this.free.set(kind, (sizes = []));
    return sizes;
  }
}

/** The policy's pool: a cycle is one synchronous call, so cycles never interleave their use. */
export const columnPool = new ColumnPool();

/**
 * Columns that live one cycle (the index's holdings, victim orders, slot times): taken from the
 * pool while a cycle is open and all handed back when it closes. Outside a cycle (a test
 * building an index on its own) a column is simply new, and left to the collector.
 */
class CycleColumns {
  private open: Column[] | undefined;

  take<K extends Kind>(kind: K, length: number): InstanceType<K> {
    const column = columnPool.take(kind, length);
    this.open?.push(column);
    return column;
  }

  /** A copy of a column, for the cycle. */
  copy<C extends Column>(column: C): C {
    const copy = this.take(column.constructor as Kind, column.length) as C;
    copy.set(column);
    return copy;
  }

  /** Runs a cycle: what it took goes back to the pool when it returns (or throws). */
  during<T>(cycle: () => T): T {
    const outer = this.open;
    this.open = [];
    try {
      return cycle();
    } finally {
      columnPool.give(...this.open);
      this.open = outer;
    }
  }
}

export const cycleColumns = new CycleColumns();
