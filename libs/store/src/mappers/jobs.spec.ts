import type { Insertable, Selectable } from 'kysely';
import type { AttemptRecord, JobEventDraft, JobSpec } from '@gantry/domain';
import type { AttemptsTable, JobEventsTable, JobsTable } from '../schema';
import {
  attemptFromRow,
  attemptPatchToRow,
  attemptToRow,
  eventFromRow,
  eventToRow,
  jobFromRow,
  jobPatchToRow,
  jobToRow,
  toRecord,
  type StoredJob,
} from './jobs';

const spec: JobSpec = {
  name: 'train',
  queue: 'rl',
  priority: 300,
  priorityClass: 'rl-rollout',
  dependencies: [{ jobId: 'job_0', condition: 'after-any' }],
  resources: { gpus: 2, gpuModel: 'H100-80GB', nodes: 1 },
  labels: { team: 'a' },
  timeLimitSeconds: null,
  workload: { kind: 'simulated', gpuSeconds: 5, exitCode: 0, seed: 1 },
};

const job: StoredJob = {
  id: 'job_1',
  tenantId: 'ten_1',
  spec,
  specHash: 'abc',
  idempotencyKey: 'k',
  state: 'running',
  reason: '',
  message: 'running',
  attempt: 1,
  progress: 0.25,
  exitCode: null,
  submittedAt: 1_000,
  startedAt: 2_000,
  endedAt: null,
  arrayId: 'job_0',
  arrayIndex: 4,
  lastCheckpointAt: 1_500,
  preemptions: 2,
  nominatedNodeIds: ['node_1'],
  protectedUntil: 9_000,
  lastEventSeq: 3,
};

// What the database hands back for a written row: jsonb parsed (times stay Date).
const readJob = (row: Insertable<JobsTable>) =>
  ({ ...row, spec: JSON.parse(row.spec) as unknown }) as Selectable<JobsTable>;
const readAttempt = (row: Insertable<AttemptsTable>) => row as Selectable<AttemptsTable>;
const readEvent = (row: Insertable<JobEventsTable>): Selectable<JobEventsTable> => ({
  ...row,
  payload: JSON.parse(row.payload) as unknown,
});

describe('job row mapping', () => {
  it('round-trips a job through its row, with the search columns taken from the spec', () => {
    const row = jobToRow(job);
    expect(row).toMatchObject({ name: 'train', queue: 'rl', priority: 300, gpus: 2 });
    expect(row.gpu_model).toBe('H100-80GB');
    expect(row.submitted_at).toEqual(new Date(1_000));
    expect(row.ended_at).toBeNull();
    expect(row).toMatchObject({ priority_class: 'rl-rollout', array_id: 'job_0', array_index: 4 });
    expect(row.protected_until).toEqual(new Date(9_000));
    const back = jobFromRow(readJob(row));
    expect(back).toEqual(job);
    expect(toRecord(back)).not.toHaveProperty('lastEventSeq');
  });

  it('stores "not protected" as null and reads it back as 0', () => {
    const row = jobToRow({ ...job, protectedUntil: 0, lastCheckpointAt: null });
    expect(row.protected_until).toBeNull();
    expect(row.last_checkpoint_at).toBeNull();
    expect(jobFromRow(readJob(row))).toMatchObject({ protectedUntil: 0, lastCheckpointAt: null });
  });

  it('gives a spec stored before classes, dependencies and gangs the row class, no dependencies and one node', () => {
    const { priorityClass: _class, dependencies: _deps, ...old } = spec;
    const { nodes: _nodes, ...resources } = spec.resources;
    const row = {
      ...readJob(jobToRow(job)),
      spec: { ...old, resources },
      priority_class: 'batch',
    };
    expect(jobFromRow(row).spec).toEqual({ ...spec, priorityClass: 'batch', dependencies: [] });
    expect(jobFromRow(row).spec.resources.nodes).toBe(1);
  });

  it('writes only the columns a lifecycle patch names', () => {
    expect(jobPatchToRow({})).toEqual({});
    expect(jobPatchToRow({ state: 'failed', endedAt: 5, exitCode: 3, startedAt: null })).toEqual({
      state: 'failed',
      ended_at: new Date(5),
      exit_code: 3,
      started_at: null,
    });
    expect(
      jobPatchToRow({
        lastCheckpointAt: 7,
        preemptions: 1,
        nominatedNodeIds: ['n'],
        protectedUntil: 0,
      }),
    ).toEqual({
      last_checkpoint_at: new Date(7),
      preemptions: 1,
      nominated_node_ids: ['n'],
      protected_until: null,
    });
  });
});

describe('attempt row mapping', () => {
  const attempt: AttemptRecord = {
    jobId: 'job_1',
    number: 2,
    rank: 1,
    nodeId: 'node_1',
    gpuIndices: [4, 5],
    state: 'dispatching',
    createdAt: 10,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: '',
    lastAgentSequence: 0,
    stopReason: 'GangStopped',
    endReason: '',
  };

  it('round-trips an attempt', () => {
    const row = attemptToRow(attempt);
    expect(row.gpu_indices).toEqual([4, 5]);
    expect(attemptFromRow(readAttempt(row))).toEqual(attempt);
  });

  it('patches state, times and the agent sequence', () => {
    expect(attemptPatchToRow({ state: 'running', startedAt: 7, lastAgentSequence: 2 })).toEqual({
      state: 'running',
      started_at: new Date(7),
      last_agent_seq: 2,
    });
    expect(attemptPatchToRow({ stopReason: 'Preempted' })).toEqual({ stop_reason: 'Preempted' });
    expect(attemptPatchToRow({ endReason: 'NodeLost' })).toEqual({ end_reason: 'NodeLost' });
  });
});

describe('history entry mapping', () => {
  it.each<JobEventDraft>([
    {
      type: 'state_change',
      attempt: 1,
      from: 'running',
      to: 'failed',
      reason: 'NonZeroExit',
      message: 'x',
      exitCode: 2,
    },
    { type: 'progress', attempt: 1, fraction: 0.5, message: 'half' },
    { type: 'log', attempt: 2, stream: 'stderr', lines: ['a', 'b'] },
    { type: 'log', attempt: 2, stream: 'stdout', lines: ['c'], rank: 3 },
    { type: 'checkpoint', attempt: 1, message: 'step 500' },
    { type: 'notice', attempt: 3, reason: 'Preempted', message: 'preempted for job_2' },
  ])('keeps type and attempt in columns and the rest in the payload: $type', (draft) => {
    const row = eventToRow('job_1', 4, 99, draft);
    expect(row).toMatchObject({
      job_id: 'job_1',
      seq: 4,
      attempt: draft.attempt,
      type: draft.type,
    });
    expect(JSON.parse(row.payload)).not.toHaveProperty('type');
    expect(eventFromRow(readEvent(row))).toEqual({
      ...draft,
      sequence: 4,
      time: 99,
    });
  });
});
