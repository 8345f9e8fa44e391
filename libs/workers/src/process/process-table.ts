import { readdir, readFile } from 'node:fs/promises';

/** A live process of a process group, with its environment when it can be read. */
export interface GroupMember {
  readonly pid: number;
  /** `NAME=value` entries; null when unreadable (another user's process). */
  readonly environ: readonly string[] | null;
}

/** Looks up processes; injected so the orphan reaper can be tested without /proc tricks. */
export interface ProcessTable {
  /** Live (not zombie) members of a process group. */
  membersOf(pgid: number): Promise<GroupMember[]>;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null; // the process ended while we looked, or it is not ours to read
  }
}

/** `/proc/<pid>/stat`: "pid (comm) state ppid pgrp ...", where comm may hold spaces and ")". */
export function parseStat(stat: string): { state: string; pgrp: number } | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  return fields[0] && Number.isInteger(pgrp) ? { state: fields[0], pgrp } : undefined;
}

/** The Linux process table, read from /proc. */
export const procProcessTable: ProcessTable = {
  async membersOf(pgid) {
    const members: GroupMember[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = parseStat((await readText(`/proc/${entry}/stat`)) ?? '');
      if (!stat || stat.pgrp !== pgid || stat.state === 'Z' || stat.state === 'X') continue;
      const environ = await readText(`/proc/${entry}/environ`);
      members.push({ pid: Number(entry), environ: environ === null ? null : environ.split('\0') });
    }
    return members;
  },
};
