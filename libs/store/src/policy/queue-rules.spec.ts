import { ValidationError } from '@gantry/domain';
import type { QueueRecord } from '../api/policy';
import { checkQueue, type QueueContext } from './queue-rules';

const H = 'H100-80GB';
const A = 'A100-80GB';

const q = (name: string, overrides: Partial<QueueRecord> = {}): QueueRecord => ({
  name,
  parent: null,
  guaranteed: {},
  max: {},
  weight: 1,
  ...overrides,
});

const context = (queues: QueueRecord[], parentHasJobs = false): QueueContext => ({
  queues: new Map(queues.map((queue) => [queue.name, queue])),
  parentHasJobs,
});

/** The violations checkQueue reports, as "field: message". */
function problems(queue: QueueRecord, ctx: QueueContext = context([])): string[] {
  try {
    checkQueue(queue, ctx);
  } catch (error) {
    if (error instanceof ValidationError)
      return error.violations.map((v) => `${v.field}: ${v.message}`);
    throw error;
  }
  return [];
}

describe('checkQueue', () => {
  const org = q('org', { guaranteed: { [H]: 8 }, max: { [H]: 16 } });

  it('stores model keys as the catalog spells them and an empty parent as none', () => {
    expect(
      checkQueue(
        q('team', { parent: '', guaranteed: { 'h100-80gb': 2 }, max: { '*': 4 } }),
        context([]),
      ),
    ).toEqual(q('team', { guaranteed: { [H]: 2 }, max: { '*': 4 } }));
  });

  it.each<[string, Partial<QueueRecord>, string]>([
    [
      'Team',
      {},
      'queue.name: must be 1-63 lower-case letters, digits or "-", starting with a letter',
    ],
    ['team', { parent: 'nowhere' }, 'queue.parent: queue "nowhere" does not exist'],
    ['team', { parent: 'team' }, 'queue.parent: cannot be the queue itself'],
    [
      'team',
      { guaranteed: { 'X9-1GB': 1 } },
      'queue.guaranteed["X9-1GB"]: must be a GPU model from the catalog or "*"',
    ],
    [
      'team',
      { guaranteed: { [H]: -1 } },
      `queue.guaranteed["${H}"]: must be a whole number >= 0 (got -1)`,
    ],
    ['team', { max: { '*': 1.5 } }, 'queue.max["*"]: must be a whole number >= 0 (got 1.5)'],
    ['team', { max: { [H]: 1, 'h100-80gb': 2 } }, 'queue.max["h100-80gb"]: names H100-80GB twice'],
    ['team', { weight: 0 }, 'queue.weight: must be a number greater than 0 (got 0)'],
    [
      'team',
      { guaranteed: { [H]: 5 }, max: { [H]: 4 } },
      `queue.guaranteed["${H}"]: is 5, above the maximum of 4`,
    ],
    [
      'team',
      { guaranteed: { '*': 5 }, max: { [A]: 4 } },
      'queue.guaranteed["*"]: is 5, above the maximum of 4',
    ],
  ])('refuses %s %j', (name, overrides, message) => {
    expect(problems(q(name, overrides))).toEqual([message]);
  });

  it('refuses a parent that would make a cycle, naming the path', () => {
    const tree = context([q('a'), q('b', { parent: 'a' }), q('c', { parent: 'b' })]);
    expect(problems(q('a', { parent: 'c' }), tree)).toEqual([
      'queue.parent: would make a cycle: a -> c -> b -> a',
    ]);
  });

  it('refuses a parent with unfinished jobs', () => {
    expect(problems(q('team', { parent: 'org' }), context([org], true))).toEqual([
      'queue.parent: queue "org" has unfinished jobs; jobs go to leaf queues, so it cannot get children',
    ]);
  });

  it("bounds the children's guarantees by the parent's guarantee, else its maximum", () => {
    const tree = context([org, q('a', { parent: 'org', guaranteed: { [H]: 6 } })]);
    expect(problems(q('b', { parent: 'org', guaranteed: { [H]: 2 } }), tree)).toEqual([]);
    expect(problems(q('b', { parent: 'org', guaranteed: { '*': 3 } }), tree)).toEqual([
      `queue.guaranteed["*"]: would give the children of "org" 9 guaranteed ${H} GPUs, above its guarantee of 8`,
    ]);
    const capped = context([q('org', { max: { '*': 4 } })]);
    expect(problems(q('b', { parent: 'org', guaranteed: { [A]: 5 } }), capped)).toEqual([
      `queue.guaranteed["${A}"]: would give the children of "org" 5 guaranteed ${A} GPUs, above its maximum of 4`,
    ]);
    // A grouping organization that states no limits does not bound its children.
    expect(problems(q('b', { parent: 'g', guaranteed: { [H]: 64 } }), context([q('g')]))).toEqual(
      [],
    );
  });

  it('replaces a child without counting its earlier version', () => {
    const tree = context([org, q('a', { parent: 'org', guaranteed: { [H]: 8 } })]);
    expect(problems(q('a', { parent: 'org', guaranteed: { [H]: 8 } }), tree)).toEqual([]);
  });

  it("refuses a parent's guarantee below what its children are guaranteed", () => {
    const tree = context([org, q('a', { parent: 'org', guaranteed: { [H]: 6 } })]);
    expect(problems(q('org', { guaranteed: { [H]: 4 } }), tree)).toEqual([
      `queue.guaranteed["${H}"]: is 4, below the 6 ${H} GPUs its children are guaranteed`,
    ]);
    expect(problems(q('org', { max: { '*': 5 } }), tree)).toEqual([
      `queue.max["*"]: is 5, below the 6 ${H} GPUs its children are guaranteed`,
    ]);
  });

  it('names every problem at once', () => {
    expect(problems(q('X', { weight: -1, max: { nope: 1 } }))).toHaveLength(3);
  });
});
