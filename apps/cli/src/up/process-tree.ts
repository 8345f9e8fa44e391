import { execFile } from 'node:child_process';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
}

/** Every process on the machine (pid, parent, group); empty when `ps` cannot be run. */
export type ListProcesses = () => Promise<ProcessInfo[]>;

/** `ps -A -o pid=,ppid=,pgid=` output (Linux and macOS print the same columns). */
export function parsePs(text: string): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/).map(Number);
    if (fields.length === 3 && fields.every((n) => Number.isInteger(n) && n >= 0))
      processes.push({ pid: fields[0]!, ppid: fields[1]!, pgid: fields[2]! });
  }
  return processes;
}

export const listProcesses: ListProcesses = () =>
  new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid='], (error, stdout) =>
      resolve(error ? [] : parsePs(stdout)),
    );
  });

/**
 * `root` and everything below it, wherever its group: a node agent puts each task in a process
 * group of its own, so killing the agent's group alone would leave its tasks running.
 */
export function processTree(all: readonly ProcessInfo[], root: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree: ProcessInfo[] = [];
  const queue = all.filter((p) => p.pid === root);
  const seen = new Set<number>();
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next.pid)) continue;
    seen.add(next.pid);
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

/** SIGKILLs every process group in the tree, then every process (one may have left its group). */
export function killTree(tree: readonly ProcessInfo[], kill: (pid: number) => void): void {
  for (const pgid of new Set(tree.map((p) => p.pgid).filter((g) => g > 1))) kill(-pgid);
  for (const p of tree) kill(p.pid);
}
