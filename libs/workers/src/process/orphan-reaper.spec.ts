import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkerLog } from '../ports';
import { reapOrphans } from './orphan-reaper';
import { ProcessGroupRecords } from './process-groups';
import { parseStat, type ProcessTable } from './process-table';

const silent: WorkerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('reapOrphans', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gantry-reaper-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('kills only the group members that carry the task markers, then forgets the record', async () => {
    const records = new ProcessGroupRecords(dir);
    await records.write({
      pgid: 500,
      taskId: 't',
      jobId: 'j',
      attempt: 3,
      program: 'x',
      startedAt: 0,
    });
    const table: ProcessTable = {
      membersOf: async (pgid) =>
        pgid !== 500
          ? []
          : [
              { pid: 500, environ: ['PATH=/bin', 'GANTRY_TASK_ID=t', 'GANTRY_ATTEMPT=3'] },
              { pid: 501, environ: ['GANTRY_TASK_ID=t', 'GANTRY_ATTEMPT=2'] }, // another attempt
              { pid: 502, environ: ['HOME=/'] }, // a reused group id: not ours
              { pid: 503, environ: null }, // unreadable
            ],
    };
    const killed: number[] = [];
    const reaped = await reapOrphans(records, table, (pid) => killed.push(pid) > 0, silent);
    expect(killed).toEqual([500]);
    expect(reaped).toEqual([{ pgid: 500, taskId: 't', attempt: 3, killed: [500] }]);
    expect(await records.list()).toEqual([]);
  });
});

describe('parseStat', () => {
  it('reads state and process group even when the command name has spaces and parens', () => {
    expect(parseStat('1234 (my (odd) prog) S 1 1230 1230 0 -1')).toEqual({
      state: 'S',
      pgrp: 1230,
    });
  });
});
