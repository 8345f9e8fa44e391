/** Builders of the domain's records for unit tests: a plausible record, then the test's fields. */
import { parseJobSpec } from '../job-spec';
import type { AttemptRecord, JobRecord } from '../records';

/** A pending job never placed, of a one-word command spec. */
export function aJobRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job_1',
    tenantId: 'ten_1',
    spec: parseJobSpec({ command: { argv: ['x'] } }),
    specHash: 'hash',
    idempotencyKey: null,
    state: 'pending',
    reason: 'Submitted',
    message: '',
    attempt: 0,
    progress: 0,
    exitCode: null,
    submittedAt: 0,
    startedAt: null,
    endedAt: null,
    arrayId: null,
    arrayIndex: null,
    lastCheckpointAt: null,
    preemptions: 0,
    nominatedNodeIds: [],
    protectedUntil: 0,
    ...overrides,
  };
}

/** Rank 0 of attempt 1 of job_1, dispatching on node_a. */
export function anAttemptRecord(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    jobId: 'job_1',
    number: 1,
    rank: 0,
    nodeId: 'node_a',
    gpuIndices: [0],
    state: 'dispatching',
    createdAt: 0,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    message: '',
    lastAgentSequence: 0,
    stopReason: '',
    endReason: '',
    ...overrides,
  };
}
