import { TaskEntry } from './task-entry';
import { TaskTable } from './task-table';

const ref = (taskId: string) => ({ taskId, jobId: taskId, attempt: 1 });

describe('TaskTable GPUs', () => {
  function withHolder() {
    const table = new TaskTable(10);
    table.add(new TaskEntry(ref('holder'), [2, 3], { holds: 'lease_a' }));
    return table;
  }

  it('lets a renter task share its lease holder’s GPUs', () => {
    expect(() => withHolder().checkGpusFree('renter-1', [2], { in: 'lease_a' })).not.toThrow();
  });

  it('keeps every other task off them: another lease’s, an internal one', () => {
    const table = withHolder();
    expect(() => table.checkGpusFree('renter-b', [3], { in: 'lease_b' })).toThrow(
      'gpu_indices: GPU 3 is in use by task holder attempt 1 on this node',
    );
    expect(() => table.checkGpusFree('internal', [2])).toThrow('GPU 2 is in use');
  });

  it('keeps renter tasks of one lease off each other’s GPUs, and lists them', () => {
    const table = withHolder();
    table.add(new TaskEntry(ref('renter-1'), [2], { in: 'lease_a' }));
    expect(() => table.checkGpusFree('renter-2', [2], { in: 'lease_a' })).toThrow(
      'GPU 2 is in use by task renter-1',
    );
    expect(table.inLease('lease_a').map((e) => e.ref.taskId)).toEqual(['renter-1']);
  });
});
