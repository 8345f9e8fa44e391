import { AttemptState, Job, JobSpec, JobState, Node, NodeState } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';
import { renderJobDetails } from './job-details';
import { renderJobTable } from './job-view';
import { gpuInventory, renderNodeTable } from './node-view';
import { jobStateName, parseStates } from './states';

const now = Date.parse('2026-11-29T12:00:00Z');

function aJob(overrides: Partial<Job> = {}): Job {
  const base = Job.fromPartial({
    id: 'job_01',
    tenant: 'admin',
    state: JobState.JOB_STATE_RUNNING,
    attempt: 1,
    submitTime: new Date(now - 125_000),
    startTime: new Date(now - 65_000),
    priorityClass: 'batch',
    spec: {
      name: 'train',
      queue: 'rl',
      priority: 100,
      resources: { gpus: 2, gpuModel: 'H100-80GB' },
      workload: { $case: 'command', command: { argv: ['python', 'train.py'] } },
    },
    attempts: [
      {
        number: 1,
        nodeName: 'node-2',
        gpuIndices: [0, 1],
        state: AttemptState.ATTEMPT_STATE_RUNNING,
      },
    ],
    progress: 0.42,
  });
  return { ...base, ...overrides };
}

describe('job table', () => {
  it('shows the squeue-like columns', () => {
    const pending = aJob({
      id: 'job_02',
      state: JobState.JOB_STATE_PENDING,
      reason: 'WaitingForResources',
      attempt: 0,
      attempts: [],
      submitTime: new Date(now - 5_000),
      spec: JobSpec.fromPartial({ name: 'big', queue: 'default', resources: { gpus: 8 } }),
    });
    expect(renderJobTable([aJob(), pending], now, false).split('\n')).toEqual([
      'ID      NAME   QUEUE    STATE    REASON                      GPUS  NODE    AGE',
      'job_01  train  rl       running  -                    2xH100-80GB  node-2   2m',
      'job_02  big    default  pending  WaitingForResources            8  -        5s',
    ]);
  });

  it('adds priority, attempt, progress, exit code and message in wide output', () => {
    const done = aJob({ state: JobState.JOB_STATE_FAILED, exitCode: 3, message: 'exit status 3' });
    const [header, row] = renderJobTable([done], now, true).split('\n');
    expect(header).toMatch(/AGE\s+CLASS\s+PRIORITY\s+ATTEMPT\s+PROGRESS\s+EXIT\s+MESSAGE$/);
    expect(row).toMatch(/failed .* batch\s+100\s+1\s+42%\s+3\s+exit status 3$/);
  });
});

describe('job details', () => {
  it('lists the fields and the attempts', () => {
    const text = renderJobDetails(aJob({ reason: 'Requeued', message: 'node lost' }), now);
    expect(text).toContain('State:      running (Requeued: node lost)');
    expect(text).toContain('Workload:   "python" "train.py"');
    expect(text).toContain('Runtime:    1m5s');
    expect(text).toMatch(/Attempts:\n {2}ATTEMPT +NODE +GPU INDICES +STATE/);
    expect(text).toMatch(/ {2}1 +node-2 +0,1 +running/);
    expect(text).not.toContain('Exit code');
  });
});

describe('a multi-node job', () => {
  const rank = (r: number, nodeName: string, number = 2) => ({
    number,
    rank: r,
    nodeName,
    gpuIndices: [0, 1, 2, 3, 4, 5, 6, 7],
    state: AttemptState.ATTEMPT_STATE_RUNNING,
  });
  const gang = () =>
    aJob(
      Job.fromPartial({
        ...aJob(),
        attempt: 2,
        spec: { ...aJob().spec, resources: { gpus: 8, nodes: 3, gpuModel: '' } },
        attempts: [rank(0, 'gpu-a', 1), rank(0, 'gpu-b'), rank(1, 'gpu-c'), rank(2, 'gpu-d')],
      }),
    );

  it('shows nodes x GPUs and the first node of the current attempt with how many more', () => {
    const [, row] = renderJobTable([gang()], now, false).split('\n');
    expect(row).toMatch(/running +- +3x8 +gpu-b\+2 /);
  });

  it('lists each rank of each attempt', () => {
    const text = renderJobDetails(gang(), now);
    expect(text).toContain('GPUs:       3x8');
    expect(text).toMatch(/ATTEMPT +RANK +NODE +GPU INDICES/);
    expect(text).toMatch(/ {2}2 +1 +gpu-c +0,1,2,3,4,5,6,7 +running/);
  });
});

describe('node table', () => {
  const node = Node.fromPartial({
    name: 'node-1',
    state: NodeState.NODE_STATE_READY,
    inventory: {
      simulated: true,
      gpus: [0, 1, 2].map((index) => ({ index, model: 'H100-80GB' })),
    },
    allocatedGpuIndices: [0, 2],
    runningTasks: 1,
    lastHeartbeatTime: new Date(now - 2_000),
  });

  it('shows GPUs as model x count and allocation as used/total', () => {
    expect(renderNodeTable([node], now, false).split('\n')).toEqual([
      'NAME    STATE  GPUS         ALLOCATED  TASKS  SIMULATED  LAST HEARTBEAT',
      'node-1  ready  3xH100-80GB        2/3      1  yes        2s ago',
    ]);
  });

  it('groups a mixed node by model and names unknown ones by driver name', () => {
    const mixed = Node.fromPartial({
      inventory: { gpus: [{ model: 'A100-80GB' }, { name: 'Tesla K80' }, { model: 'A100-80GB' }] },
    });
    expect(gpuInventory(mixed)).toBe('2xA100-80GB,1xTesla K80');
  });
});

describe('states', () => {
  it('names states in lower case', () => {
    expect(jobStateName(JobState.JOB_STATE_CANCELLING)).toBe('cancelling');
  });

  it('parses --state values in every spelling', () => {
    expect(parseStates(['running,PENDING', 'JOB_STATE_FAILED'])).toEqual([
      JobState.JOB_STATE_PENDING,
      JobState.JOB_STATE_RUNNING,
      JobState.JOB_STATE_FAILED,
    ]);
    expect(parseStates(['active'])).toEqual([1, 2, 3, 4]);
  });

  it.each(['done', 'unspecified'])('rejects %j', (value) => {
    expect(() => parseStates([value])).toThrow(UsageError);
  });
});
