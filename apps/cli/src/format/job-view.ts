import { type Attempt, type Job } from '@gantry/proto';
import { formatAge, formatDuration } from '../spec/duration';
import { attemptStateName, jobStateName } from './states';
import { renderFields, renderTable, type Column } from './table';

/** `2` or `2xH100-80GB`. */
export function gpuRequest(job: Job): string {
  const gpus = job.spec?.resources?.gpus ?? 0;
  const model = job.spec?.resources?.gpuModel;
  return model ? `${gpus}x${model}` : String(gpus);
}

export function currentAttempt(job: Job): Attempt | undefined {
  return job.attempts.find((a) => a.number === job.attempt) ?? job.attempts.at(-1);
}

function percent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

function exitCode(code: number | undefined): string {
  return code === undefined ? '' : String(code);
}

/** The columns of `gantry list`, like squeue's: REASON says why a job waits or how it ended. */
export function jobColumns(now: number, wide: boolean): Column<Job>[] {
  const columns: Column<Job>[] = [
    { header: 'ID', value: (j) => j.id },
    { header: 'NAME', value: (j) => j.spec?.name ?? '', maxWidth: 24 },
    { header: 'QUEUE', value: (j) => j.spec?.queue ?? '', maxWidth: 16 },
    { header: 'STATE', value: (j) => jobStateName(j.state) },
    { header: 'REASON', value: (j) => j.reason, maxWidth: 22 },
    { header: 'GPUS', value: gpuRequest, align: 'right' },
    { header: 'NODE', value: (j) => currentAttempt(j)?.nodeName ?? '', maxWidth: 20 },
    { header: 'AGE', value: (j) => formatAge(j.submitTime?.getTime(), now), align: 'right' },
  ];
  if (!wide) return columns;
  return [
    ...columns,
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

function runtime(job: Job, now: number): string {
  if (!job.startTime) return '';
  const end = job.endTime?.getTime() ?? now;
  return formatDuration((end - job.startTime.getTime()) / 1000);
}

function workload(job: Job): string {
  const w = job.spec?.workload;
  if (w?.$case === 'command') return w.command.argv.map((a) => JSON.stringify(a)).join(' ');
  if (w?.$case === 'simulated')
    return `simulated: ${w.simulated.gpuSeconds} GPU-seconds, exit code ${w.simulated.exitCode}`;
  return '';
}

/** `gantry get`: the job's fields, then one row per attempt. */
export function renderJobDetails(job: Job, now: number): string {
  const reason = job.reason ? ` (${job.reason}${job.message ? `: ${job.message}` : ''})` : '';
  const fields: [string, string][] = [
    ['ID', job.id],
    ['Name', job.spec?.name ?? ''],
    ['Tenant', job.tenant],
    ['Queue', job.spec?.queue ?? ''],
    ['Priority', String(job.spec?.priority ?? '')],
    ['State', `${jobStateName(job.state)}${reason}`],
    ['GPUs', gpuRequest(job)],
    ['Workload', workload(job)],
    ['Progress', percent(job.progress)],
    [
      'Submitted',
      job.submitTime
        ? `${job.submitTime.toISOString()} (${formatAge(job.submitTime.getTime(), now)} ago)`
        : '',
    ],
    ['Runtime', runtime(job, now)],
    ['Exit code', exitCode(job.exitCode)],
  ];
  if (job.idempotencyKey) fields.push(['Idempotency key', job.idempotencyKey]);
  const shown = fields.filter(([, value]) => value !== '');
  if (job.attempts.length === 0) return `${renderFields(shown)}\n`;
  const attempts = renderTable<Attempt>(
    [
      { header: 'ATTEMPT', value: (a) => String(a.number), align: 'right' },
      { header: 'NODE', value: (a) => a.nodeName || a.nodeId },
      { header: 'GPU INDICES', value: (a) => a.gpuIndices.join(',') },
      { header: 'STATE', value: (a) => attemptStateName(a.state) },
      { header: 'STARTED', value: (a) => a.startTime?.toISOString() ?? '' },
      { header: 'ENDED', value: (a) => a.endTime?.toISOString() ?? '' },
      { header: 'EXIT', value: (a) => exitCode(a.exitCode), align: 'right' },
      { header: 'MESSAGE', value: (a) => a.message },
    ],
    job.attempts,
  );
  return `${renderFields(shown)}\n\nAttempts:\n${attempts.replace(/^/gm, '  ')}\n`;
}
