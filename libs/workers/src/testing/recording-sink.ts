import type { TaskEventSink, WorkerEvent } from '../backend';

type Of<T extends WorkerEvent['type']> = Extract<WorkerEvent, { type: T }>;

/** A sink that keeps every event, for tests, and lets them await one. */
export class RecordingSink implements TaskEventSink {
  readonly events: WorkerEvent[] = [];
  private readonly waiting: { match: (e: WorkerEvent) => boolean; resolve: () => void }[] = [];

  emit(event: WorkerEvent): void {
    this.events.push(event);
    for (const w of this.waiting.filter((w) => w.match(event))) {
      this.waiting.splice(this.waiting.indexOf(w), 1);
      w.resolve();
    }
  }

  of<T extends WorkerEvent['type']>(type: T): Of<T>[] {
    return this.events.filter((e): e is Of<T> => e.type === type);
  }

  /** Every line of one stream, in order. */
  lines(stream: 'stdout' | 'stderr'): string[] {
    return this.of('log')
      .filter((e) => e.stream === stream)
      .flatMap((e) => e.lines);
  }

  /** The first event (already seen or still to come) of `type` that `match` accepts. */
  async next<T extends WorkerEvent['type']>(
    type: T,
    match: (e: Of<T>) => boolean = () => true,
  ): Promise<Of<T>> {
    const accepts = (e: WorkerEvent): e is Of<T> => e.type === type && match(e as Of<T>);
    const seen = this.events.find(accepts);
    if (seen) return seen;
    await new Promise<void>((resolve) => this.waiting.push({ match: accepts, resolve }));
    return this.events.find(accepts)!;
  }
}
