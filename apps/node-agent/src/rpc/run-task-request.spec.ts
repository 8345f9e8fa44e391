import { ValidationError } from '@gantry/domain';
import { DependencyCondition, type RunTaskRequest } from '@gantry/proto';
import { parseRunTask } from './run-task-request';

const gpus = new Map<number, string | null>([
  [0, 'H100-80GB'],
  [1, 'H100-80GB'],
  [2, 'A100-40GB'],
]);

function request(
  overrides: Partial<RunTaskRequest> = {},
  gpusWanted = 1,
  gpuModel = '',
): RunTaskRequest {
  return {
    task: { taskId: 'job_01', jobId: 'job_01', attempt: 2, rank: 0 },
    spec: {
      name: '',
      queue: '',
      priority: undefined,
      labels: {},
      resources: { gpus: gpusWanted, gpuModel, nodes: 0 },
      timeLimit: { seconds: 90, nanos: 500_000_000 },
      priorityClass: 'rl-rollout', // the agent ignores these two
      dependencies: [
        {
          jobId: 'job_01jd8zq3m2x7aaaaaaaaaaaaaa',
          condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK,
        },
      ],
      workload: {
        $case: 'command',
        command: { argv: ['python', 'train.py'], env: { A: '1' }, workingDir: '' },
      },
    },
    gpuIndices: [1],
    ...overrides,
  };
}

function violations(r: RunTaskRequest): string[] {
  try {
    parseRunTask(r, gpus);
  } catch (error) {
    if (error instanceof ValidationError)
      return error.violations.map((v) => `${v.field}: ${v.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseRunTask', () => {
  it('turns a valid request into a command for the supervisor', () => {
    expect(parseRunTask(request(), gpus)).toEqual({
      ref: { taskId: 'job_01', jobId: 'job_01', attempt: 2, rank: 0 },
      workload: {
        kind: 'command',
        argv: ['python', 'train.py'],
        env: { A: '1' },
        workingDir: null,
      },
      gpuIndices: [1],
      timeLimitMs: 90_500,
    });
  });

  it('names missing task and spec', () => {
    expect(violations(request({ task: undefined, spec: undefined }))).toEqual([
      'task: is required',
      'spec: is required',
    ]);
  });

  it('names bad task fields', () => {
    expect(
      violations(request({ task: { taskId: '../x', jobId: '', attempt: 0, rank: 0 } })),
    ).toEqual([
      'task.task_id: must be 1-128 letters, digits, _ . : - (starting with a letter or digit)',
      'task.job_id: is required',
      'task.attempt: must be at least 1',
    ]);
  });

  it('validates the spec, naming its fields', () => {
    const r = request();
    r.spec!.workload = { $case: 'command', command: { argv: [], env: {}, workingDir: 'relative' } };
    expect(violations(r)).toEqual([
      'spec.command.argv: must name a program',
      'spec.command.argv: argv[0] must name a program',
      'spec.command.working_dir: must be an absolute path',
    ]);
  });

  it('refuses GPUs this node does not have, twice-listed GPUs, and a count the spec does not ask for', () => {
    expect(violations(request({ gpuIndices: [9, 0, 0] }, 3))).toEqual([
      'gpu_indices[0]: GPU 9 is not on this node (it has GPUs 0, 1, 2)',
      'gpu_indices[2]: GPU 0 is listed twice',
    ]);
    expect(violations(request({ gpuIndices: [0, 1] }, 1))).toEqual([
      'gpu_indices: has 2 GPU(s); spec.resources.gpus asks for 1',
    ]);
  });

  describe('a task of a multi-node job', () => {
    const gang = {
      rank: 1,
      size: 2,
      masterHost: 'gpu-a',
      masterPort: 23456,
      nodeNames: ['a', 'b'],
    };
    function gangRequest(overrides: Partial<RunTaskRequest> = {}): RunTaskRequest {
      const r = request({ task: { taskId: 'job_01', jobId: 'job_01', attempt: 2, rank: 1 }, gang });
      r.spec!.resources!.nodes = 2;
      return { ...r, ...overrides };
    }

    it('carries its rank and gang to the supervisor', () => {
      expect(parseRunTask(gangRequest(), gpus)).toMatchObject({
        ref: { taskId: 'job_01', jobId: 'job_01', attempt: 2, rank: 1 },
        gang,
      });
    });

    it('refuses a gang that does not match the spec or the task', () => {
      expect(violations(gangRequest({ gang: undefined }))).toEqual([
        'gang: is required: the spec asks for 2 nodes',
      ]);
      const bad = { rank: 0, size: 3, masterHost: '', masterPort: 0, nodeNames: ['a'] };
      expect(violations(gangRequest({ gang: bad }))).toEqual([
        'gang.size: is 3; the spec asks for 2 nodes',
        'gang.rank: is 0, but task.rank is 1',
        'gang.master_host: is required',
        'gang.master_port: must be 1-65535',
        'gang.node_names: must name 2 nodes',
      ]);
    });

    it('refuses a gang or a rank for a single-node spec', () => {
      expect(
        violations(request({ task: { taskId: 'j', jobId: 'j', attempt: 1, rank: 1 }, gang })),
      ).toEqual([
        'gang: is set, but the spec asks for one node',
        'task.rank: must be 0 for a single-node job',
      ]);
    });
  });

  it('refuses GPUs of another model than the spec asks for', () => {
    expect(violations(request({ gpuIndices: [1, 2] }, 2, 'H100-80GB'))).toEqual([
      'gpu_indices[1]: GPU 2 is model A100-40GB, the spec asks for H100-80GB',
    ]);
  });
});
