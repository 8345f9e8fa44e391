import { type Attempt, type Job } from '@gantry/proto';
import { formatAge } from '../spec/duration';
import { jobStateName } from './states';
import { renderTable, type Column } from './table';

/** `2` or `2xH100-80GB`. */
export function gpuRequest(job: Job): string {
  const gpus = job.spec?.resources?.gpus ?? 0;
  const model = job.spec?.resources?.gpuModel;
  return model ? `${gpus}x${model}` : String(gpus);
}

export function currentAttempt(job: Job): Attempt | undefined {
  return job.attempts.find((a) => a.number === job.attempt) ?? job.attempts.at(-1);
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
    // 24: the longest reason, DependencyNeverSatisfied, is never cut.
    { header: 'REASON', value: (j) => j.reason, maxWidth: 24 },
    { header: 'GPUS', value: gpuRequest, align: 'right' },
    { header: 'NODE', value: (j) => currentAttempt(j)?.nodeName ?? '', maxWidth: 20 },
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
