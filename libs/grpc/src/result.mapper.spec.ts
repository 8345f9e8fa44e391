import type { JobResult } from '@gantry/domain';
import { JobResult as PbJobResult } from '@gantry/proto';
import { fromProtoResult, toProtoResult } from './result.mapper';

const RESULTS: JobResult[] = [
  {
    kind: 'batch',
    status: 'expired',
    requestCounts: { total: 10, completed: 7, failed: 3 },
    outputFileId: 'file_out',
    errorFileId: 'file_err',
    expiresAt: 1_700_000_000_000,
    errors: [],
  },
  {
    kind: 'reasoning',
    answer: '391',
    accepted: true,
    stoppedEarly: true,
    callsMade: 9,
    callsSavedCache: 1,
    callsSavedInflight: 4,
    tokens: 5120,
    steps: [{ id: 'draft', items: 8, calls: 8, answer: null, accepted: 0, ran: true }],
    stopReason: '',
  },
  {
    kind: 'rl_synthetic',
    status: 'completed',
    problems: 3,
    samples: 12,
    accepted: 6,
    acceptanceRate: 0.5,
    passAt1: 0.5,
    passAtK: 2 / 3,
    k: 4,
    groupsAllPassed: 0,
    groupsNonePassed: 1,
    kept: 6,
    datasetFileId: 'file_ds',
    requestCounts: { total: 12, completed: 12, failed: 0 },
    errors: ['line 3: bad'],
  },
];

describe('job results on the wire', () => {
  it.each(RESULTS.map((r) => [r.kind, r] as const))('round-trip a %s result', (_kind, result) => {
    const wire = PbJobResult.decode(PbJobResult.encode(toProtoResult(result)!).finish());
    expect(fromProtoResult(wire)).toEqual(result);
  });

  it('is absent for jobs without one', () => {
    expect(toProtoResult(null)).toBeUndefined();
    expect(fromProtoResult(undefined)).toBeNull();
  });
});
