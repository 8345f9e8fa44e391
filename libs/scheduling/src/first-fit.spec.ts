import { Reason } from '@gantry/domain';
import { decideFirstFit } from './first-fit';
import { buildSnapshot, type NodeInput, type SnapshotJob } from './snapshot';

function aNode(id: string, count: number, model = 'H100-80GB', schedulable = true): NodeInput {
  return {
    id,
    name: id,
    schedulable,
    gpus: Array.from({ length: count }, (_, index) => ({ index, model })),
  };
}

let clock = 0;
function aJob(id: string, gpus: number, options: Partial<SnapshotJob> = {}): SnapshotJob {
  return { id, gpus, gpuModel: null, priority: 100, submittedAt: ++clock, ...options };
}

describe('decideFirstFit', () => {
  it('places jobs in priority order, then submit order, on the first node that fits', () => {
    const snapshot = buildSnapshot(
      0,
      [aNode('n1', 4), aNode('n2', 4)],
      [],
      [
        aJob('late', 4),
        aJob('urgent', 2, { priority: 500 }),
        aJob('early', 2, { submittedAt: -1 }),
      ],
    );
    const decision = decideFirstFit(snapshot);
    expect(decision.placements).toEqual([
      { jobId: 'urgent', nodeId: 'n1', nodeName: 'n1', gpuIndices: [0, 1] },
      { jobId: 'early', nodeId: 'n1', nodeName: 'n1', gpuIndices: [2, 3] },
      { jobId: 'late', nodeId: 'n2', nodeName: 'n2', gpuIndices: [0, 1, 2, 3] },
    ]);
    expect(decision.waiting).toEqual([]);
  });

  it('does not let a job that cannot fit block smaller jobs behind it', () => {
    const snapshot = buildSnapshot(
      0,
      [aNode('n1', 8)],
      [{ nodeId: 'n1', gpuIndices: [0, 1, 2, 3, 4] }],
      [aJob('big', 8, { priority: 900 }), aJob('small-1', 1), aJob('small-2', 1)],
    );
    const decision = decideFirstFit(snapshot);
    expect(decision.placements.map((p) => [p.jobId, p.gpuIndices])).toEqual([
      ['small-1', [5]],
      ['small-2', [6]],
    ]);
    expect(decision.waiting).toEqual([
      {
        jobId: 'big',
        reason: Reason.WaitingForResources,
        message: 'needs 8 GPUs on one node; the most free on any node is 3',
      },
    ]);
  });

  it('honours the GPU model and says when no node could ever hold a job', () => {
    const snapshot = buildSnapshot(
      0,
      [aNode('a100', 8, 'A100-80GB'), aNode('h100', 2)],
      [],
      [
        aJob('needs-h100', 2, { gpuModel: 'H100-80GB' }),
        aJob('too-big', 4, { gpuModel: 'H100-80GB' }),
        aJob('no-b200', 1, { gpuModel: 'B200-192GB' }),
      ],
    );
    const decision = decideFirstFit(snapshot);
    expect(decision.placements).toEqual([
      { jobId: 'needs-h100', nodeId: 'h100', nodeName: 'h100', gpuIndices: [0, 1] },
    ]);
    expect(decision.waiting).toEqual([
      {
        jobId: 'too-big',
        reason: Reason.Unschedulable,
        message: 'needs 4 GPUs of H100-80GB on one node; the largest node has 2',
      },
      {
        jobId: 'no-b200',
        reason: Reason.Unschedulable,
        message: 'needs 1 GPU of B200-192GB on one node; the largest node has 0',
      },
    ]);
  });

  it('skips unschedulable nodes and places GPU-less jobs on any schedulable node', () => {
    const snapshot = buildSnapshot(
      0,
      [aNode('lost', 8, 'H100-80GB', false), aNode('ok', 1)],
      [],
      [aJob('cpu', 0), aJob('gpu', 2)],
    );
    const decision = decideFirstFit(snapshot);
    expect(decision.placements).toEqual([
      { jobId: 'cpu', nodeId: 'ok', nodeName: 'ok', gpuIndices: [] },
    ]);
    expect(decision.waiting.map((w) => w.reason)).toEqual([Reason.Unschedulable]);
  });

  it('never hands out the same GPU twice', () => {
    const jobs = Array.from({ length: 40 }, (_, i) => aJob(`j${i}`, 1 + (i % 3)));
    const decision = decideFirstFit(
      buildSnapshot(0, [aNode('n1', 8), aNode('n2', 8)], [{ nodeId: 'n2', gpuIndices: [7] }], jobs),
    );
    const used = decision.placements.flatMap((p) => p.gpuIndices.map((g) => `${p.nodeId}/${g}`));
    expect(new Set(used).size).toBe(used.length);
    expect(used).not.toContain('n2/7');
    expect(used.length).toBe(15);
  });
});
