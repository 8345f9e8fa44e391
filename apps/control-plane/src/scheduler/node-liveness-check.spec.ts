import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts, T0 } from '../testing/parts';
import { NodeLivenessCheck } from './node-liveness-check';

function setUp() {
  const parts = controlPlaneParts({ nodeLostTimeoutSeconds: 15, maxAttempts: 3 });
  const check = new NodeLivenessCheck(
    parts.nodes,
    parts.liveness,
    parts.config,
    parts.clock,
    parts.logger,
    parts.effects,
    parts.metrics,
  );
  return { ...parts, check };
}

describe('NodeLivenessCheck', () => {
  it('marks a node silent past the timeout lost, with the fence, and requeues its work', async () => {
    const { check, nodes, liveness, clock, jobs, pending, log } = setUp();
    nodes.add(aNode('n1'), aNode('n2'));
    jobs.add(
      aPendingJob('job_a', { state: 'running', attempt: 1 }),
      anAttempt('job_a', 1, 'n1', { state: 'running' }),
    );
    await liveness.beat('n1', T0);
    await liveness.beat('n2', T0);

    clock.advance(15_000);
    await liveness.beat('n2', clock.now());
    await check.run(4);
    expect(nodes.lost).toEqual([]); // exactly at the timeout is not past it

    clock.advance(1);
    await check.run(4);
    expect(nodes.lost).toEqual([
      { fence: 4, nodeId: 'n1', detail: 'node n1 lost: no heartbeat for 15.0s' },
    ]);
    expect(nodes.node('n1').state).toBe('lost');
    expect(nodes.node('n2').state).toBe('ready');
    expect(jobs.job('job_a')).toMatchObject({ state: 'pending', reason: 'Requeued' });
    expect(pending.ids()).toEqual(['job_a']);
    expect(log.withMessage('node lost')).toMatchObject([{ node: 'n1', requeued: 1 }]);
  });

  it('does not count the silence of a control-plane outage: a new term times nodes from its start', async () => {
    const { check, nodes, liveness, clock } = setUp();
    nodes.add(aNode('n1'), aNode('n2'));
    await liveness.beat('n1', T0);
    await liveness.beat('n2', T0);
    clock.advance(40_000); // every replica was down: nobody recorded a beat
    check.reset(); // elected
    await liveness.beat('n2', clock.now()); // n2's agent is back; n1's is not
    await check.run(5);
    expect(nodes.lost).toEqual([]);

    clock.advance(15_001);
    await liveness.beat('n2', clock.now());
    await check.run(5);
    expect(nodes.lost).toEqual([
      { fence: 5, nodeId: 'n1', detail: 'node n1 lost: no heartbeat for 15.0s' },
    ]);
  });

  it('does not look at nodes already lost', async () => {
    const { check, nodes, clock } = setUp();
    nodes.add(aNode('n1', { state: 'lost' }));
    await check.run(1);
    clock.advance(60_000);
    await check.run(1);
    expect(nodes.lost).toEqual([]);
  });

  it('times a node Redis has no beat for from its first look, not from zero', async () => {
    const { check, nodes, clock } = setUp();
    nodes.add(aNode('n1'));

    await check.run(1);
    expect(nodes.lost).toEqual([]);
    clock.advance(15_000);
    await check.run(1);
    expect(nodes.lost).toEqual([]);
    clock.advance(1);
    await check.run(1);
    expect(nodes.lost).toMatchObject([{ nodeId: 'n1', fence: 1 }]);
  });

  it('prefers a beat that arrives after the first look', async () => {
    const { check, nodes, clock, liveness } = setUp();
    nodes.add(aNode('n1'));
    await check.run(1);
    clock.advance(10_000);
    await liveness.beat('n1', clock.now());
    clock.advance(10_000);
    await check.run(1);
    expect(nodes.lost).toEqual([]);
  });

  it('times a node from a fresh look when Redis loses its beats again later', async () => {
    const { check, nodes, clock, liveness } = setUp();
    nodes.add(aNode('n1'));
    await check.run(1); // Redis knows no beat (it restarted)
    for (let i = 0; i < 60; i++) {
      clock.advance(2_000);
      await liveness.beat('n1', clock.now());
      await check.run(1);
    }
    await liveness.forget('n1'); // Redis restarts again; the node was beating a moment ago
    clock.advance(2_000);
    await check.run(1);
    expect(nodes.lost).toEqual([]);
    clock.advance(15_001);
    await check.run(1);
    expect(nodes.lost).toMatchObject([{ nodeId: 'n1' }]);
  });

  it('forgets its first looks on reset, for a new term', async () => {
    const { check, nodes, clock } = setUp();
    nodes.add(aNode('n1'));
    await check.run(1);
    clock.advance(20_000);
    check.reset();
    await check.run(2);
    expect(nodes.lost).toEqual([]);
    clock.advance(15_001);
    await check.run(2);
    expect(nodes.lost).toMatchObject([{ nodeId: 'n1', fence: 2 }]);
  });
});
