import type { TaskAttemptRef, WorkerEvent } from '@gantry/workers';

/** A task event numbered for delivery: `sequence` counts from 1 per attempt, without gaps. */
export interface OutboxEvent {
  readonly ref: TaskAttemptRef;
  readonly sequence: number;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly event: WorkerEvent;
}

/** The control plane's answer to one delivered event. */
export interface EventAck {
  readonly ref: TaskAttemptRef;
  readonly sequence: number;
  readonly accepted: boolean;
  readonly message: string;
}

interface AttemptState {
  next: number;
  pending: number;
  droppedLines: number;
  /** The newest progress that came while the outbox was full; queued when there is room. */
  heldProgress: WorkerEvent | undefined;
  /** Likewise the newest checkpoint, with the time it happened. */
  heldCheckpoint: { readonly event: WorkerEvent; readonly time: number } | undefined;
  stale: boolean;
}

const EVENT_OVERHEAD_BYTES = 128;

function sizeOf(event: WorkerEvent): number {
  const text =
    event.type === 'log'
      ? event.lines.reduce((n, l) => n + l.length, 0)
      : event.type === 'result'
        ? JSON.stringify(event.result).length
        : 'message' in event
          ? event.message.length
          : 0;
  return EVENT_OVERHEAD_BYTES + 2 * text; // JavaScript strings: two bytes per character
}

const key = (ref: TaskAttemptRef) => `${ref.taskId}\u0000${ref.attempt}`;

/**
 * Task events waiting for the control plane, in memory, in the order they happened. Events
 * leave only when acknowledged, so nothing is lost while the control plane is away. Memory is
 * bounded by `maxBytes`: past it, new log lines are dropped, counted, and the count reported
 * in a log line of its own once there is room again; of the progress events, and of the
 * checkpoint events, only the newest is held back (each supersedes the one before: the control
 * plane keeps the last) and queued when there is room; `started`, `result` and `exited` are
 * always kept (at most one each per attempt, so they cannot grow without bound). An event rejected by the control plane
 * marks its attempt stale: the attempt's other events are dropped and `onStale` listeners are
 * told.
 */
export class Outbox {
  private readonly queue = new Map<string, OutboxEvent & { bytes: number }>();
  private readonly attempts = new Map<string, AttemptState>();
  private readonly staleListeners: ((ref: TaskAttemptRef, why: string) => void)[] = [];
  private readonly changeListeners: (() => void)[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  append(ref: TaskAttemptRef, event: WorkerEvent, time: number): void {
    const state = this.state(ref);
    if (state.stale) return this.forgetIfEnded(ref, event);
    const essential =
      event.type === 'started' || event.type === 'result' || event.type === 'exited';
    const full = this.bytes + sizeOf(event) > this.maxBytes;
    if (full && !essential) {
      if (event.type === 'log') state.droppedLines += event.lines.length;
      else if (event.type === 'checkpoint') state.heldCheckpoint = { event, time };
      else state.heldProgress = event;
      return;
    }
    if (state.droppedLines > 0) {
      const note = `[gantry-agent] ${state.droppedLines} log line(s) dropped: the control plane was unreachable and the agent's outbox was full`;
      state.droppedLines = 0;
      this.push(ref, state, { type: 'log', stream: 'stderr', lines: [note] }, time);
    }
    const { heldCheckpoint, heldProgress } = state;
    if (heldCheckpoint && event.type !== 'checkpoint')
      this.push(ref, state, heldCheckpoint.event, heldCheckpoint.time);
    if (heldProgress && event.type !== 'progress') this.push(ref, state, heldProgress, time);
    state.heldCheckpoint = undefined;
    state.heldProgress = undefined;
    this.push(ref, state, event, time);
    this.changeListeners.forEach((listener) => listener());
  }

  /** The oldest `max` events, in order. */
  peek(max: number): OutboxEvent[] {
    const batch: OutboxEvent[] = [];
    for (const { bytes: _bytes, ...event } of this.queue.values()) {
      if (batch.length >= max) break;
      batch.push(event);
    }
    return batch;
  }

  acknowledge(acks: readonly EventAck[]): void {
    for (const ack of acks) {
      const id = `${key(ack.ref)}\u0000${ack.sequence}`;
      const event = this.queue.get(id);
      if (!event) continue;
      this.remove(id, event);
      const ended = this.markStale(ack, event) || event.event.type === 'exited';
      if (ended) this.attempts.delete(key(ack.ref));
    }
  }

  hasPending(ref: TaskAttemptRef): boolean {
    return (this.attempts.get(key(ref))?.pending ?? 0) > 0;
  }

  get size(): number {
    return this.queue.size;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  onStale(listener: (ref: TaskAttemptRef, why: string) => void): void {
    this.staleListeners.push(listener);
  }

  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** On a rejection: drops the attempt's events; true when its exit was among them. */
  private markStale(ack: EventAck, rejected: OutboxEvent): boolean {
    if (ack.accepted) return false;
    const state = this.state(ack.ref);
    let ended = rejected.event.type === 'exited';
    if (state.stale) return ended;
    state.stale = true;
    for (const [id, event] of this.queue)
      if (key(event.ref) === key(ack.ref)) {
        ended ||= event.event.type === 'exited';
        this.remove(id, event);
      }
    this.staleListeners.forEach((listener) => listener(ack.ref, ack.message || 'rejected'));
    return ended;
  }

  private push(ref: TaskAttemptRef, state: AttemptState, event: WorkerEvent, time: number): void {
    const sequence = state.next++;
    const bytes = sizeOf(event);
    this.queue.set(`${key(ref)}\u0000${sequence}`, { ref, sequence, time, event, bytes });
    state.pending += 1;
    this.bytes += bytes;
  }

  private remove(id: string, event: OutboxEvent & { bytes: number }): void {
    this.queue.delete(id);
    this.bytes -= event.bytes;
    const state = this.attempts.get(key(event.ref));
    if (state) state.pending -= 1;
  }

  private forgetIfEnded(ref: TaskAttemptRef, event: WorkerEvent): void {
    if (event.type === 'exited') this.attempts.delete(key(ref));
  }

  private state(ref: TaskAttemptRef): AttemptState {
    let state = this.attempts.get(key(ref));
    if (!state) {
      state = {
        next: 1,
        pending: 0,
        droppedLines: 0,
        heldProgress: undefined,
        heldCheckpoint: undefined,
        stale: false,
      };
      this.attempts.set(key(ref), state);
    }
    return state;
  }
}
