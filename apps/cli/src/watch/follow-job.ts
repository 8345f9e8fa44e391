import { type JobEvent } from '@gantry/proto';
import { type GantryApi } from '../connection/grpc-api';
import { isTerminalState } from '../format/states';
import { followStream, type FollowOptions } from './follow-stream';

export { type FollowOptions } from './follow-stream';

export function isFinalEvent(event: JobEvent): boolean {
  return event.payload?.$case === 'stateChange' && isTerminalState(event.payload.stateChange.to);
}

/**
 * A job's events, surviving dropped connections (followStream): resumes from the last sequence
 * seen + 1 after UNAVAILABLE or a stream that ends before the job's final state.
 */
export function followJob(
  api: Pick<GantryApi, 'watchJob'>,
  jobId: string,
  options: FollowOptions,
): AsyncGenerator<JobEvent> {
  return followStream(
    { open: (from) => api.watchJob(jobId, from), isFinal: isFinalEvent, what: 'the job' },
    options,
  );
}
