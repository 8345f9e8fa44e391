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
  resources: { gpus: 2, gpuModel: 'H100-80GB' },
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
    const back = jobFromRow(readJob(row));
    expect(back).toEqual(job);
    expect(toRecord(back)).not.toHaveProperty('lastEventSeq');
  });

  it('writes only the columns a lifecycle patch names', () => {
    expect(jobPatchToRow({})).toEqual({});
    expect(jobPatchToRow({ state: 'failed', endedAt: 5, exitCode: 3, startedAt: null })).toEqual({
      state: 'failed',
      ended_at: new Date(5),
      exit_code: 3,
      started_at: null,
    });
  });
});

describe('attempt row mapping', () => {
  const attempt: AttemptRecord = {
    jobId: 'job_1',
    number: 2,
    nodeId: 'node_1',
    gpuIndices: [4, 5],
    state: 'dispatching',
    createdAt: 10,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: '',
    lastAgentSequence: 0,
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
