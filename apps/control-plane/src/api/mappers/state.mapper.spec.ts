import { JOB_STATES, ValidationError, type AttemptState } from '@gantry/domain';
import { AttemptState as PbAttemptState, JobState as PbJobState } from '@gantry/proto';
import { fromProtoJobStates, toProtoAttemptState, toProtoJobState } from './state.mapper';

describe('state mappers', () => {
  it('maps every job state to its own proto value and back', () => {
    const values = JOB_STATES.map(toProtoJobState);
    expect(values).toEqual([
      PbJobState.JOB_STATE_PENDING,
      PbJobState.JOB_STATE_SCHEDULED,
      PbJobState.JOB_STATE_RUNNING,
      PbJobState.JOB_STATE_CANCELLING,
      PbJobState.JOB_STATE_SUCCEEDED,
      PbJobState.JOB_STATE_FAILED,
      PbJobState.JOB_STATE_CANCELLED,
    ]);
    expect(fromProtoJobStates(values)).toEqual(JOB_STATES);
  });

  it('maps every attempt state', () => {
    const states: AttemptState[] = [
      'dispatching',
      'running',
      'succeeded',
      'failed',
      'cancelled',
      'lost',
      'preempted',
    ];
    expect(states.map(toProtoAttemptState)).toEqual([
      PbAttemptState.ATTEMPT_STATE_DISPATCHING,
      PbAttemptState.ATTEMPT_STATE_RUNNING,
      PbAttemptState.ATTEMPT_STATE_SUCCEEDED,
      PbAttemptState.ATTEMPT_STATE_FAILED,
      PbAttemptState.ATTEMPT_STATE_CANCELLED,
      PbAttemptState.ATTEMPT_STATE_LOST,
      PbAttemptState.ATTEMPT_STATE_PREEMPTED,
    ]);
  });

  it('accepts an empty filter', () => {
    expect(fromProtoJobStates([])).toEqual([]);
  });

  it.each([
    [PbJobState.JOB_STATE_UNSPECIFIED, 'states[1]: is not a job state (0)'],
    [PbJobState.UNRECOGNIZED, 'states[1]: is not a job state (-1)'],
    [99 as PbJobState, 'states[1]: is not a job state (99)'],
  ])('rejects %p in a filter, naming its position', (value, message) => {
    expect(() => fromProtoJobStates([PbJobState.JOB_STATE_RUNNING, value])).toThrow(
      new ValidationError([{ field: 'states[1]', message: message.slice('states[1]: '.length) }]),
    );
    expect(() => fromProtoJobStates([PbJobState.JOB_STATE_RUNNING, value])).toThrow(message);
  });
});
