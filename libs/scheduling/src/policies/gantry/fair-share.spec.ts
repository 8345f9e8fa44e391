import { aCluster, aJob, aNode } from '../../testing/builders';
import { gantryPolicy } from './policy';

describe('gantry policy: ordering and fair share', () => {
  it('orders by class priority, then fair share, then submit time', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .config({ backfill: false })
        .node(aNode('n').gpus(3))
        .queue('heavy')
        .queue('light')
        .usage('heavy', { 'H100-80GB': 1e9 })
        .pending(
          aJob('heavy-early').queue('heavy').submitted(0),
          aJob('light-late').queue('light').submitted(10),
          aJob('bg-first').queue('light').cls('background').submitted(-5),
          aJob('serve').queue('heavy').cls('serving').submitted(20),
        )
        .snapshot(100),
    );
    expect(decision.placements.map((p) => p.jobId)).toEqual(['serve', 'light-late', 'heavy-early']);
    expect(decision.waiting.map((w) => w.jobId)).toEqual(['bg-first']);
  });

  it('alternates between equal queues as their holdings grow, weighted', () => {
    const jobs = ['a', 'b'].flatMap((q) =>
      Array.from({ length: 6 }, (_, i) =>
        aJob(`${q}${i}`)
          .queue(q)
          .submitted(q === 'a' ? i : 100 + i),
      ),
    );
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('n').gpus(6))
        .queue('a', { weight: 2 })
        .queue('b')
        .pending(...jobs)
        .snapshot(1000),
    );
    const placed = decision.placements.map((p) => p.jobId[0]);
    expect(placed).toHaveLength(6);
    expect(placed.filter((q) => q === 'a')).toHaveLength(4);
    expect(placed.filter((q) => q === 'b')).toHaveLength(2);
  });

  it('converges to equal use for equal queues over repeated cycles', () => {
    const used = { a: 0, b: 0 };
    for (let cycle = 0; cycle < 20; cycle++) {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n').gpus(1))
          .queue('a')
          .queue('b')
          .usage('a', { 'H100-80GB': used.a })
          .usage('b', { 'H100-80GB': used.b })
          .pending(
            aJob(`a${cycle}`).queue('a').submitted(0),
            aJob(`b${cycle}`).queue('b').submitted(1),
          )
          .snapshot(cycle),
      );
      const winner = decision.placements[0]!.jobId[0] as 'a' | 'b';
      used[winner] += 3600;
    }
    expect(used).toEqual({ a: 36000, b: 36000 });
  });

  it('within a queue, orders by job priority then submit time', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('n').gpus(2))
        .pending(
          aJob('old').submitted(0),
          aJob('urgent').priority(900).submitted(50),
          aJob('new').submitted(10),
        )
        .snapshot(100),
    );
    expect(decision.placements.map((p) => p.jobId)).toEqual(['urgent', 'old']);
  });
});
