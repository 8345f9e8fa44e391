import { gangEnvironment, taskEnvironment } from './task-environment';

const task = { taskId: 'job_1', jobId: 'job_1', attempt: 3 };

describe('taskEnvironment', () => {
  it("layers the agent's base, the job's env and what the agent sets", () => {
    const env = taskEnvironment({ PATH: '/bin', A: 'base' }, { A: 'job', B: '2' }, [2, 5], task);
    expect(env).toEqual({
      PATH: '/bin',
      A: 'job',
      B: '2',
      CUDA_VISIBLE_DEVICES: '2,5',
      GANTRY_JOB_ID: 'job_1',
      GANTRY_TASK_ID: 'job_1',
      GANTRY_ATTEMPT: '3',
    });
  });

  it('shows a task without GPUs none', () => {
    expect(taskEnvironment({}, {}, [], task).CUDA_VISIBLE_DEVICES).toBe('');
  });

  it("gives a multi-node job's task its rendezvous, over the job's own values", () => {
    const gang = {
      rank: 1,
      size: 4,
      masterHost: 'gpu-a',
      masterPort: 24001,
      nodeNames: ['a', 'b', 'c', 'd'],
    };
    const env = taskEnvironment({}, { MASTER_PORT: '1' }, [0, 1, 2, 3], task, gang);
    expect(env).toMatchObject({
      GANTRY_NODE_RANK: '1',
      GANTRY_NUM_NODES: '4',
      GANTRY_MASTER_ADDR: 'gpu-a',
      GANTRY_MASTER_PORT: '24001',
      GANTRY_GANG_NODES: 'a,b,c,d',
      NODE_RANK: '1',
      NNODES: '4',
      MASTER_ADDR: 'gpu-a',
      MASTER_PORT: '24001',
      PET_NNODES: '4',
      PET_NODE_RANK: '1',
      PET_NPROC_PER_NODE: '4',
      PET_MASTER_ADDR: 'gpu-a',
      PET_MASTER_PORT: '24001',
    });
    expect(env).not.toHaveProperty('RANK');
    expect(env).not.toHaveProperty('WORLD_SIZE');
  });

  it('runs one process per node for a gang task without GPUs', () => {
    const gang = { rank: 0, size: 2, masterHost: 'h', masterPort: 2, nodeNames: ['a', 'b'] };
    expect(gangEnvironment(gang, 0).PET_NPROC_PER_NODE).toBe('1');
  });
});
