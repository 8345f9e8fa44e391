import { Reason, type TaskReport } from '@gantry/domain';
import { aPendingJob } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts } from '../testing/parts';
import { schedulingParts, submitted } from '../testing/scheduling';

/** Two 8-GPU nodes of one fabric domain; a job of `nodes` x 8 GPUs arrives. */
async function setUp(nodes: number) {
  const parts = controlPlaneParts();
  const scheduling = schedulingParts(parts);
  parts.nodes.add(aNode('n1'), aNode('n2'));
  await submitted(parts, aPendingJob('job_gang', { gpus: 8, nodes }));
  return { ...parts, ...scheduling };
}

const started: TaskReport = { type: 'started', backend: 'simulated' };
const exited = (exitCode: number, signal = ''): TaskReport => ({
  type: 'exited',
  exitCode,
  signal,
  reason: '',
  message: '',
});

describe('SchedulingCycle with multi-node (gang) jobs', () => {
  it('places every rank at once and sends each node its own run order', async () => {
    const parts = await setUp(2);
    expect(await parts.cycle.run(1)).toMatchObject({ placed: 1, waiting: 0 });
    const [placement] = parts.jobs.commits[0]!.placements;
    expect(placement!.allocations.map((a) => [a.nodeId, a.gpuIndices.length])).toEqual([
      ['n1', 8],
      ['n2', 8],
    ]);
    expect(parts.dispatch.orders()).toEqual([
      { kind: 'run', jobId: 'job_gang', attempt: 1, rank: 0, nodeId: 'n1' },
      { kind: 'run', jobId: 'job_gang', attempt: 1, rank: 1, nodeId: 'n2' },
    ]);
    expect(parts.jobs.ranksOf('job_gang', 1).map((r) => [r.rank, r.nodeId, r.state])).toEqual([
      [0, 'n1', 'dispatching'],
      [1, 'n2', 'dispatching'],
    ]);
    const work = await parts.jobs.dispatchingWork();
    expect(work.map((w) => [w.rank, w.gang?.map((m) => m.nodeId)])).toEqual([
      [0, ['n1', 'n2']],
      [1, ['n1', 'n2']],
    ]);
  });

  it('starts nothing when not enough nodes are free together', async () => {
    const parts = await setUp(3);
    expect(await parts.cycle.run(1)).toMatchObject({ placed: 0, waiting: 1 });
    expect(parts.dispatch.orders()).toEqual([]);
    expect(parts.jobs.job('job_gang').state).toBe('pending');
    expect(parts.jobs.job('job_gang').reason).toBe(Reason.Unschedulable);
  });

  it('holds the GPUs of every rank while the gang runs', async () => {
    const parts = await setUp(2);
    await parts.cycle.run(1);
    await submitted(parts, aPendingJob('job_small', { gpus: 1 }));
    expect(await parts.cycle.run(1)).toMatchObject({ placed: 0, waiting: 1 });
  });

  it('stops the other rank when one fails, and fails once both have ended', async () => {
    const parts = await setUp(2);
    await parts.cycle.run(1);
    const report = async (node: string, rank: number, sequence: number, r: TaskReport) => {
      const events = [{ jobId: 'job_gang', attempt: 1, rank, sequence, report: r }];
      const { outcomes, changed } = await parts.jobs.applyTaskEvents(node, events, 0, 3);
      expect(outcomes).toEqual([{ accepted: true, message: '' }]);
      await parts.effects.changed(changed);
    };
    await report('n1', 0, 1, started);
    await report('n2', 1, 1, started);
    expect(parts.jobs.job('job_gang').state).toBe('running');
    await report('n2', 1, 2, exited(3));
    expect(parts.dispatch.orders().filter((o) => o.kind === 'stop')).toEqual([
      {
        kind: 'stop',
        jobId: 'job_gang',
        attempt: 1,
        rank: 0,
        nodeId: 'n1',
        graceSeconds: parts.config.cancelGraceSeconds,
        reason: Reason.GangStopped,
      },
    ]);
    expect(parts.jobs.job('job_gang').state).toBe('running');
    // Rank 0 still holds n1's GPUs until it has exited.
    await submitted(parts, aPendingJob('job_small', { gpus: 8 }));
    await parts.cycle.run(1);
    expect(parts.jobs.job('job_small').attempt).toBe(1); // placed on n2, freed by rank 1
    expect(parts.jobs.ranksOf('job_small', 1)[0]!.nodeId).toBe('n2');
    await report('n1', 0, 2, exited(-1, 'SIGTERM'));
    expect(parts.jobs.job('job_gang')).toMatchObject({
      state: 'failed',
      reason: Reason.NonZeroExit,
      exitCode: 3,
    });
  });
});
