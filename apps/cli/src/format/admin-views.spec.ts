import { PriorityClass, Queue } from '@gantry/proto';
import { describeClass, renderClassTable } from './class-view';
import { describeQueue, formatQuota, queueTree, renderQueueTable } from './queue-view';

const q = (partial: Partial<Queue>): Queue => Queue.fromPartial(partial);

describe('queue tree', () => {
  const queues = [
    q({ name: 'vision', parent: 'research', max: { '*': 8 }, weight: 0.5 }),
    q({ name: 'default' }),
    q({
      name: 'research',
      guaranteed: { 'H100-80GB': 16 },
      max: { '*': 32, 'A100-80GB': 8 },
      used: { 'H100-80GB': 6 },
      weight: 1,
    }),
    q({ name: 'rl', parent: 'research', guaranteed: { 'H100-80GB': 8 }, weight: 2 }),
  ];

  it('shows each organization with its queues indented below it, by name', () => {
    expect(renderQueueTable(queues, false).split('\n')).toEqual([
      'ORG/QUEUE  GUARANTEED    MAX               USED         WEIGHT',
      'default    -             -                 -                 1',
      'research   H100-80GB=16  A100-80GB=8,*=32  H100-80GB=6       1',
      '  rl       H100-80GB=8   -                 -                 2',
      '  vision   -             *=8               -               0.5',
    ]);
  });

  it('adds PARENT in wide output', () => {
    const lines = renderQueueTable(queues, true).split('\n');
    expect(lines[0]).toMatch(/WEIGHT\s+PARENT$/);
    expect(lines[3]).toMatch(/2\s+research$/);
  });

  it('keeps a queue whose parent is missing, or caught in a cycle, at the top level', () => {
    const rows = queueTree([
      q({ name: 'orphan', parent: 'gone' }),
      q({ name: 'a', parent: 'b' }),
      q({ name: 'b', parent: 'a' }),
    ]);
    expect(rows.map((r) => [r.queue.name, r.depth])).toEqual([
      ['orphan', 0],
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('formats quotas with * last and says what a saved queue is', () => {
    expect(formatQuota({ '*': 4, 'H100-80GB': 2 })).toBe('H100-80GB=2,*=4');
    expect(describeQueue(queues[3]!)).toBe(
      'queue rl saved: parent research, guaranteed H100-80GB=8, max no limit, weight 2',
    );
    expect(describeQueue(q({ name: 'org' }))).toBe(
      'queue org saved: an organization, guaranteed none, max no limit, weight 1',
    );
  });
});

describe('priority classes', () => {
  const classes = [
    PriorityClass.fromPartial({
      name: 'serving',
      priority: 1000,
      preemptible: false,
      minRuntime: { seconds: 0 },
      gracePeriod: { seconds: 30 },
    }),
    PriorityClass.fromPartial({
      name: 'batch',
      priority: 500,
      preemptible: true,
      minRuntime: { seconds: 600 },
      gracePeriod: { seconds: 60 },
    }),
  ];

  it('lists name, priority, preemptibility, minimum runtime and grace', () => {
    expect(renderClassTable(classes, false).split('\n')).toEqual([
      'NAME     PRIORITY  PREEMPTIBLE  MIN RUNTIME  GRACE',
      'serving      1000  no                    0s    30s',
      'batch         500  yes                  10m     1m',
    ]);
  });

  it('says what a saved class is', () => {
    expect(describeClass(classes[0]!)).toBe(
      'priority class serving saved: priority 1000, never preempted, grace 30s',
    );
    expect(describeClass(classes[1]!)).toBe(
      'priority class batch saved: priority 500, preemptible after 10m, grace 1m',
    );
  });
});
