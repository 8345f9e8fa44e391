import { type Attempt, type Job } from '@gantry/proto';
import { formatAge } from '../spec/duration';
import { resultStatus } from './result-view';
import { jobStateName } from './states';
import { renderTable, type Column } from './table';

/** `2`, `2xH100-80GB`, or for a multi-node job `4x8` / `4x8xH100-80GB` (nodes x GPUs each). */
export function gpuRequest(job: Job): string {
  const gpus = job.spec?.resources?.gpus ?? 0;
  const nodes = job.spec?.resources?.nodes ?? 0;
  const model = job.spec?.resources?.gpuModel;
  const count = nodes > 1 ? `${nodes}x${gpus}` : String(gpus);
  return model ? `${count}x${model}` : count;
}

/** Rank 0 of the current attempt (the last attempt when there is no current one). */
export function currentAttempt(job: Job): Attempt | undefined {
  const number = job.attempts.some((a) => a.number === job.attempt)
    ? job.attempt
    : job.attempts.at(-1)?.number;
  const ranks = job.attempts.filter((a) => a.number === number);
  return ranks.find((a) => a.rank === 0) ?? ranks[0];
}

/** The current attempt's node, `gpu-1` or for a multi-node job `gpu-1+3` (and three more). */
export function nodeOf(job: Job): string {
  const first = currentAttempt(job);
  if (!first) return '';
  const others = job.attempts.filter((a) => a.number === first.number).length - 1;
  const name = first.nodeName || first.nodeId;
  return others > 0 ? `${name}+${others}` : name;
}

/** The job's priority class (the server fills both; older servers only the spec). */
export function priorityClass(job: Job): string {
  return job.priorityClass || job.spec?.priorityClass || '';
}

export function percent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

export function exitCode(code: number | undefined): string {
  return code === undefined ? '' : String(code);
}

/** The columns of `gantry list`, like squeue's: REASON says why a job waits or how it ended. */
export function jobColumns(now: number, wide: boolean): Column<Job>[] {
  const columns: Column<Job>[] = [
    { header: 'ID', value: (j) => j.id },
    { header: 'NAME', value: (j) => j.spec?.name ?? '', maxWidth: 24 },
    { header: 'QUEUE', value: (j) => j.spec?.queue ?? '', maxWidth: 16 },
    { header: 'STATE', value: (j) => jobStateName(j.state) },
    // 24: the longest reason, DependencyNeverSatisfied, is never cut. A batch or RL job
    // without a reason shows its result's status (lower case: in_progress, finalizing).
    { header: 'REASON', value: (j) => j.reason || resultStatus(j), maxWidth: 24 },
    { header: 'GPUS', value: gpuRequest, align: 'right' },
    { header: 'NODE', value: nodeOf, maxWidth: 20 },
    { header: 'AGE', value: (j) => formatAge(j.submitTime?.getTime(), now), align: 'right' },
  ];
  if (!wide) return columns;
  return [
    ...columns,
    { header: 'CLASS', value: priorityClass },
    { header: 'PRIORITY', value: (j) => String(j.spec?.priority ?? ''), align: 'right' },
    { header: 'ATTEMPT', value: (j) => String(j.attempt), align: 'right' },
    { header: 'PROGRESS', value: (j) => percent(j.progress), align: 'right' },
    { header: 'EXIT', value: (j) => exitCode(j.exitCode), align: 'right' },
    { header: 'MESSAGE', value: (j) => j.message },
  ];
}

export function renderJobTable(jobs: readonly Job[], now: number, wide: boolean): string {
  return renderTable(jobColumns(now, wide), jobs, { wide });
}
