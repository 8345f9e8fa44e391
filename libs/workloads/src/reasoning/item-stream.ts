/**
 * The items a reasoning step produces, as they come: item-wise consumers (refine, verify) start
 * on each item as soon as it exists, so an early stop saves the calls not yet made; whole-step
 * consumers (vote, select, templates) wait for `done`.
 */
import type { CandidateVerdict } from '../common/verdict';

/** One output of a step: a completion, or an answer (vote, select), with a verdict if judged. */
export interface StepItem {
  /** Its position in the step's output (dense from 0; sample `i` is item `i`). */
  readonly index: number;
  readonly text: string;
  readonly verdict?: CandidateVerdict;
}

export class ItemStream {
  private readonly items: StepItem[] = [];
  private readonly listeners: Array<(item: StepItem) => void> = [];
  private closed = false;
  private settle!: { resolve: (items: StepItem[]) => void; reject: (error: Error) => void };
  /** Every item, in index order, once the step has finished; rejects if it failed. */
  readonly done: Promise<StepItem[]>;

  constructor() {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined); // a failure is reported by the step itself
  }

  /** True once the step has finished. */
  get finished(): boolean {
    return this.closed;
  }

  /** Items so far, in the order they came. */
  get count(): number {
    return this.items.length;
  }

  /** The items so far, in index order. */
  snapshot(): StepItem[] {
    return [...this.items].sort((a, b) => a.index - b.index);
  }

  emit(item: StepItem): void {
    this.items.push(item);
    this.listeners.forEach((listener) => listener(item));
  }

  close(): void {
    this.closed = true;
    this.settle.resolve([...this.items].sort((a, b) => a.index - b.index));
  }

  fail(error: Error): void {
    this.settle.reject(error);
  }

  /** Calls `onItem` for every item, those already here first. */
  subscribe(onItem: (item: StepItem) => void): void {
    this.items.forEach(onItem);
    this.listeners.push(onItem);
  }
}
