import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Sends a signal to every process of a group; false when the group no longer exists. */
export type SignalGroup = (pgid: number, signal: NodeJS.Signals | 0) => boolean;

export const signalGroup: SignalGroup = (pgid, signal) => {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
};

/** A running task's process group, written to disk so a restarted agent can find it. */
export interface ProcessGroupRecord {
  readonly pgid: number;
  readonly taskId: string;
  readonly jobId: string;
  readonly attempt: number;
  readonly program: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
}

/**
 * The records of running tasks' process groups: `<state>/process-groups/<pgid>.json`, written
 * when a task starts and removed once its group is gone. Whatever is there when an agent starts
 * was left by a predecessor that died without cleaning up (see orphan-reaper.ts).
 */
export class ProcessGroupRecords {
  constructor(readonly dir: string) {}

  async write(record: ProcessGroupRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.file(record.pgid), JSON.stringify(record));
  }

  async remove(pgid: number): Promise<void> {
    await rm(this.file(pgid), { force: true });
  }

  async list(): Promise<ProcessGroupRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: ProcessGroupRecord[] = [];
    for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
      try {
        records.push(
          JSON.parse(await readFile(join(this.dir, name), 'utf8')) as ProcessGroupRecord,
        );
      } catch {
        await rm(join(this.dir, name), { force: true }); // torn write of a crashed agent
      }
    }
    return records;
  }

  private file(pgid: number): string {
    return join(this.dir, `${pgid}.json`);
  }
}
