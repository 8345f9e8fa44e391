import { ManualClock, newId, ValidationError } from '@gantry/domain';
import { decodePageToken, encodePageToken } from './page-token';

describe('page tokens', () => {
  const jobId = newId('job', new ManualClock(1_764_400_000_000));

  it('round-trips the last job id and does not show it in clear', () => {
    const token = encodePageToken(jobId);
    expect(token).not.toContain(jobId);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token)).toBe(jobId);
  });

  it('reads an empty token as the first page', () => {
    expect(decodePageToken('')).toBeUndefined();
  });

  it.each([
    ['garbage with spaces', 'not base64url'],
    [Buffer.from(`v2:${'job_' + '0'.repeat(26)}`).toString('base64url'), 'another version'],
    [Buffer.from('v1:node_01jd8z').toString('base64url'), 'not a job id'],
    [Buffer.from('v1').toString('base64url'), 'no separator'],
  ])('rejects %s (%s) naming page_token', (token) => {
    let caught: unknown;
    try {
      decodePageToken(token);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).violations).toEqual([
      { field: 'page_token', message: 'is not a page token from a previous ListJobs reply' },
    ]);
  });
});
