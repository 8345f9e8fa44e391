import { EventHeap, EventKind } from './event-heap';
import { Timeline } from './timeline';
import { UsageTracker } from './usage';

describe('event heap', () => {
  it('pops earliest first, and events at the same time in push order', () => {
    const heap = new EventHeap();
    const times = [5, 1, 5, 3, 1, 9, 0, 5];
    times.forEach((at, job) => heap.push({ at, kind: EventKind.Complete, job, attempt: 1 }));
    const out: [number, number][] = [];
    while (heap.size > 0) {
      const event = heap.pop()!;
      out.push([event.at, event.job]);
    }
    expect(out).toEqual([
      [0, 6],
      [1, 1],
      [1, 4],
      [3, 3],
      [5, 0],
      [5, 2],
      [5, 7],
      [9, 5],
    ]);
    expect(heap.peekTime()).toBe(Infinity);
  });
});

describe('timeline', () => {
  it('keeps time-weighted means per bucket', () => {
    const timeline = new Timeline(10);
    timeline.advance(5, 0, 0); // 0 busy from 0 to 5
    timeline.advance(15, 4, 2); // 4 busy from 5 to 15 (half of each bucket)
    timeline.advance(20, 8, 0); // 8 busy from 15 to 20
    expect(timeline.points()).toEqual([
      { at: 0, busyGpus: 2, pendingJobs: 1 },
      { at: 10, busyGpus: 6, pendingJobs: 1 },
    ]);
  });
});

describe('usage tracker', () => {
  const queues = [
    { name: 'org', parent: null, guaranteed: {}, max: {}, weight: 1 },
    { name: 'a', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
    { name: 'b', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
  ];

  it('integrates held GPUs with exponential decay; parents count their children', () => {
    const usage = new UsageTracker(queues, ['H100'], 100);
    usage.change('a', 'H100', 2);
    usage.advance(100);
    const afterRun = (2 * 100) / Math.LN2 / 2; // h/ln2 * (1 - 2^-1) per GPU
    expect(usage.snapshot().get('a')!['H100']).toBeCloseTo(afterRun, 9);
    usage.change('a', 'H100', -2);
    usage.change('b', 'H100', 1);
    usage.advance(200);
    const snapshot = usage.snapshot();
    expect(snapshot.get('a')!['H100']).toBeCloseTo(afterRun / 2, 9);
    expect(snapshot.get('b')!['H100']).toBeCloseTo(100 / Math.LN2 / 2, 9);
    expect(snapshot.get('org')!['H100']).toBeCloseTo(afterRun / 2 + 100 / Math.LN2 / 2, 9);
  });

  it('adds plain GPU-seconds without a half-life', () => {
    const usage = new UsageTracker(queues, ['H100'], 0);
    usage.change('b', 'H100', 3);
    usage.advance(10);
    expect(usage.snapshot().get('b')).toEqual({ H100: 30 });
    expect(() => usage.change('org', 'H100', 1)).toThrow(/unknown queue org/);
  });
});
