/**
 * ListJobs page tokens: opaque to clients, they carry the id of the last job of the previous
 * page (job ids sort by time, so "older than this id" is the next page).
 */
import { isId, ValidationError } from '@gantry/domain';

const VERSION = 'v1';

export function encodePageToken(lastJobId: string): string {
  return Buffer.from(`${VERSION}:${lastJobId}`, 'utf8').toString('base64url');
}

/** The job id a token continues after, or undefined for an empty token (the first page). */
export function decodePageToken(token: string): string | undefined {
  if (token === '') return undefined;
  const invalid = () =>
    ValidationError.field('page_token', 'is not a page token from a previous ListJobs reply');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const separator = text.indexOf(':');
  if (separator < 0 || text.slice(0, separator) !== VERSION) throw invalid();
  const jobId = text.slice(separator + 1);
  if (!isId('job', jobId)) throw invalid();
  return jobId;
}
