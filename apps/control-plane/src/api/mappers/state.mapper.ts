import { AttemptState as PbAttemptState, JobState as PbJobState } from '@gantry/proto';
import { ValidationError, type AttemptState, type JobState } from '@gantry/domain';

const JOB: Record<JobState, PbJobState> = {
  pending: PbJobState.JOB_STATE_PENDING,
  scheduled: PbJobState.JOB_STATE_SCHEDULED,
  running: PbJobState.JOB_STATE_RUNNING,
  cancelling: PbJobState.JOB_STATE_CANCELLING,
  succeeded: PbJobState.JOB_STATE_SUCCEEDED,
  failed: PbJobState.JOB_STATE_FAILED,
  cancelled: PbJobState.JOB_STATE_CANCELLED,
};

const ATTEMPT: Record<AttemptState, PbAttemptState> = {
  dispatching: PbAttemptState.ATTEMPT_STATE_DISPATCHING,
  running: PbAttemptState.ATTEMPT_STATE_RUNNING,
  succeeded: PbAttemptState.ATTEMPT_STATE_SUCCEEDED,
  failed: PbAttemptState.ATTEMPT_STATE_FAILED,
  cancelled: PbAttemptState.ATTEMPT_STATE_CANCELLED,
  lost: PbAttemptState.ATTEMPT_STATE_LOST,
  preempted: PbAttemptState.ATTEMPT_STATE_PREEMPTED,
};

export function toProtoJobState(state: JobState): PbJobState {
  return JOB[state];
}

export function toProtoAttemptState(state: AttemptState): PbAttemptState {
  return ATTEMPT[state];
}

/** The domain states of a ListJobs filter; UNSPECIFIED or unknown values name the field. */
export function fromProtoJobStates(states: readonly PbJobState[]): JobState[] {
  return states.map((value, i) => {
    const found = (Object.keys(JOB) as JobState[]).find((key) => JOB[key] === value);
    if (!found)
      throw ValidationError.field(`states[${i}]`, `is not a job state (${String(value)})`);
    return found;
  });
}
