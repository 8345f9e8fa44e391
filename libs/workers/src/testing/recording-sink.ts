import type { TaskEventSink, WorkerEvent } from '../backend';

/** A sink that keeps every event, for tests. */
export class RecordingSink implements TaskEventSink {
  readonly events: WorkerEvent[] = [];

  emit(event: WorkerEvent): void {
    this.events.push(event);
  }

  of<T extends WorkerEvent['type']>(type: T): Extract<WorkerEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  }

  /** Every line of one stream, in order. */
  lines(stream: 'stdout' | 'stderr'): string[] {
    return this.of('log')
      .filter((e) => e.stream === stream)
      .flatMap((e) => e.lines);
  }
}
