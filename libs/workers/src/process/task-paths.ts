import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TaskAttemptRef } from '../backend';

/** Where one attempt keeps its files under the agent's state dir. */
export interface AttemptPaths {
  /** `<state>/tasks/<task>/attempt-<n>` */
  readonly dir: string;
  /** The default working directory: `<dir>/work`. */
  readonly workDir: string;
  /** stdout and stderr, one line each prefixed by its stream: `<dir>/output.log`. */
  readonly logFile: string;
}

/** A task id made safe as one path component (ids come over the network). */
export function safeName(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  if (cleaned === id && cleaned !== '') return cleaned;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, 100)}-${hash}`;
}

export function attemptPaths(stateDir: string, task: TaskAttemptRef): AttemptPaths {
  const dir = join(stateDir, 'tasks', safeName(task.taskId), `attempt-${task.attempt}`);
  return { dir, workDir: join(dir, 'work'), logFile: join(dir, 'output.log') };
}
