import { NotFoundError, UnavailableError } from '@gantry/domain';
import { JobEvent, JobState } from '@gantry/proto';
import { followJob } from './follow-job';

function log(sequence: number): JobEvent {
  return JobEvent.fromPartial({
    sequence,
    payload: { $case: 'log', log: { lines: [`line ${sequence}`] } },
  });
}

function state(sequence: number, to: JobState): JobEvent {
  return JobEvent.fromPartial({
    sequence,
    payload: { $case: 'stateChange', stateChange: { from: JobState.JOB_STATE_RUNNING, to } },
  });
}

type Connection = { events: JobEvent[]; then?: Error };

/** A WatchJob that plays one scripted connection per call, recording where each resumed. */
function scriptedApi(connections: Connection[]) {
  const requested: number[] = [];
  return {
    requested,
    api: {
      async *watchJob(_jobId: string, fromSequence: number) {
        requested.push(fromSequence);
        const connection = connections.shift();
        if (!connection) throw new Error('no more connections scripted');
        for (const event of connection.events) yield event;
        if (connection.then) throw connection.then;
      },
    },
  };
}

async function collect(iterable: AsyncIterable<JobEvent>): Promise<number[]> {
  const sequences: number[] = [];
  for await (const event of iterable) sequences.push(event.sequence);
  return sequences;
}

describe('followJob', () => {
  const delays: number[] = [];
  const options = (fromSequence = 0) => ({
    fromSequence,
    sleep: async (ms: number) => {
      delays.push(ms);
    },
    initialDelayMs: 100,
    maxDelayMs: 1_000,
    maxFailures: 3,
  });
  beforeEach(() => delays.splice(0));

  it('reads one stream to the final state', async () => {
    const { api, requested } = scriptedApi([
      { events: [log(1), log(2), state(3, JobState.JOB_STATE_SUCCEEDED)] },
    ]);
    await expect(collect(followJob(api, 'job_1', options()))).resolves.toEqual([1, 2, 3]);
    expect(requested).toEqual([0]);
    expect(delays).toEqual([]);
  });

  it('resumes after the last sequence seen when the connection drops, skipping repeats', async () => {
    const { api, requested } = scriptedApi([
      { events: [log(1), log(2)], then: new UnavailableError('connection reset') },
      { events: [log(2), log(3), state(4, JobState.JOB_STATE_FAILED)] },
    ]);
    await expect(collect(followJob(api, 'job_1', options(1)))).resolves.toEqual([1, 2, 3, 4]);
    expect(requested).toEqual([1, 3]);
    expect(delays).toEqual([100]);
  });

  it('backs off exponentially while the server stays away, then gives up', async () => {
    const down = () => ({ events: [], then: new UnavailableError('UNAVAILABLE') });
    const { api, requested } = scriptedApi([down(), down(), down(), down()]);
    await expect(collect(followJob(api, 'job_1', options(7)))).rejects.toThrow(UnavailableError);
    expect(requested).toEqual([7, 7, 7, 7]);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('resets the backoff once events flow again', async () => {
    const { api } = scriptedApi([
      { events: [], then: new UnavailableError('a') },
      { events: [log(1)], then: new UnavailableError('b') },
      { events: [state(2, JobState.JOB_STATE_CANCELLED)] },
    ]);
    await expect(collect(followJob(api, 'job_1', options()))).resolves.toEqual([1, 2]);
    expect(delays).toEqual([100, 100]);
  });

  it('reconnects when the stream ends before the job does', async () => {
    const { api, requested } = scriptedApi([
      { events: [log(1)] },
      { events: [state(2, JobState.JOB_STATE_SUCCEEDED)] },
    ]);
    await expect(collect(followJob(api, 'job_1', options()))).resolves.toEqual([1, 2]);
    expect(requested).toEqual([0, 2]);
  });

  it('ends quietly when the connection drops after the final state', async () => {
    const { api } = scriptedApi([
      { events: [state(1, JobState.JOB_STATE_SUCCEEDED)], then: new UnavailableError('bye') },
    ]);
    await expect(collect(followJob(api, 'job_1', options()))).resolves.toEqual([1]);
    expect(delays).toEqual([]);
  });

  it('does not retry other errors', async () => {
    const { api } = scriptedApi([{ events: [], then: new NotFoundError('job', 'job_1') }]);
    await expect(collect(followJob(api, 'job_1', options()))).rejects.toThrow(NotFoundError);
    expect(delays).toEqual([]);
  });
});
