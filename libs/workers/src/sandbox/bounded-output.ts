/**
 * One output stream of a sandboxed program, kept within `limitBytes`: when the program writes
 * more, the first half and the last half of the limit are kept with a marker between them,
 * because the start says what ran and the end says how it failed (a traceback comes last).
 * Memory stays bounded whatever the program writes; everything is read, so the program never
 * blocks on a full pipe.
 */
export class BoundedOutput {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(readonly limitBytes: number) {
    this.tailLimit = Math.floor(limitBytes / 2);
    this.headLimit = limitBytes - this.tailLimit;
  }

  write(chunk: Buffer): void {
    this.total += chunk.length;
    const room = this.headLimit - this.headBytes;
    if (room > 0) {
      const taken = chunk.subarray(0, room);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    // Drop whole chunks while what is left still covers the tail; then compact now and then.
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= this.tailLimit)
      this.tailBytes -= this.tail.shift()!.length;
    if (this.tail.length > 64) this.tail = [Buffer.concat(this.tail)];
  }

  /** Whether the program wrote more than the limit (and `text` left some out). */
  get truncated(): boolean {
    return this.total > this.limitBytes;
  }

  /** Bytes the program wrote in all. */
  get totalBytes(): number {
    return this.total;
  }

  /** The kept output as UTF-8, with `[... N bytes omitted ...]` where bytes were left out. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail);
    if (!this.truncated) return head + tail.toString('utf8');
    const kept = tail.subarray(Math.max(0, tail.length - this.tailLimit));
    const omitted = this.total - this.headBytes - kept.length;
    return `${head}\n[... ${omitted} bytes omitted ...]\n${kept.toString('utf8')}`;
  }
}
