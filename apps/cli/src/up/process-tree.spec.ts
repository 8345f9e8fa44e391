import { killTree, listProcesses, parsePs, processTree } from './process-tree';

describe('process tree', () => {
  const table = parsePs(`
      1     0     1
    100     1   100
    101   100   100
    102   101   102
    103   102   102
    200     1   200
    garbage line
  `);

  it('parses ps output and skips what is not a row', () => {
    expect(table).toHaveLength(6);
    expect(table[3]).toEqual({ pid: 102, ppid: 101, pgid: 102 });
  });

  it('finds everything below a process, across process groups', () => {
    expect(processTree(table, 100).map((p) => p.pid)).toEqual([100, 101, 102, 103]);
    expect(processTree(table, 999)).toEqual([]);
  });

  it('kills each group once, then each process, never group 1', () => {
    const killed: number[] = [];
    killTree([...processTree(table, 100), { pid: 5, ppid: 1, pgid: 1 }], (pid) => killed.push(pid));
    expect(killed).toEqual([-100, -102, 100, 101, 102, 103, 5]);
  });

  it('lists this process with the real ps', async () => {
    const all = await listProcesses();
    expect(all.some((p) => p.pid === process.pid && p.ppid === process.ppid)).toBe(true);
  });
});
