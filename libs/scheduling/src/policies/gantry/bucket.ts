/**
 * The schedulable nodes with the same number of free GPUs of one model, in the order they came
 * in. A list with gaps where nodes left (closed up once the gaps outnumber the nodes), walked by
 * index: placing a job walks a few buckets for each of 20,000 jobs a cycle, and the Sets these
 * replace made an iterator for every walk.
 */
import type { NodeState } from './node-state';

export class Bucket {
  /** The nodes in the order they came in; undefined where one left. */
  readonly nodes: (NodeState | undefined)[] = [];
  size = 0;
  /**
   * Where the first node is: nodes leave mostly from the front (the first fits are taken
   * first), and a walk from the start would cross all the gaps they left.
   */
  first = 0;

  constructor(private readonly model: string) {}

  add(state: NodeState): void {
    state.movedInBucket(this.model, this.nodes.push(state) - 1);
    this.size++;
  }

  delete(state: NodeState): void {
    this.nodes[state.bucketPlace(this.model)] = undefined;
    this.size--;
    while (this.first < this.nodes.length && !this.nodes[this.first]) this.first++;
    if (this.size === 0) this.nodes.length = this.first = 0;
    else if (this.nodes.length > 2 * this.size + 32) this.closeUp();
  }

  private closeUp(): void {
    let to = 0;
    for (const state of this.nodes) {
      if (!state) continue;
      this.nodes[to] = state;
      state.movedInBucket(this.model, to++);
    }
    this.nodes.length = to;
    this.first = 0;
  }
}
