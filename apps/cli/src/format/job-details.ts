import { type Attempt, type Job } from '@gantry/proto';
import { conditionName } from '../spec/array-and-dependencies';
import { formatAge, formatDuration } from '../spec/duration';
import { exitCode, gpuRequest, percent, priorityClass } from './job-view';
import { renderResultSection } from './result-view';
import { attemptStateName, jobStateName } from './states';
import { renderFields, renderTable } from './table';
import { parentJob, workloadSummary } from './workload-view';

function runtime(job: Job, now: number): string {
  if (!job.startTime) return '';
  const end = job.endTime?.getTime() ?? now;
  return formatDuration((end - job.startTime.getTime()) / 1000);
}

/** `2026-11-29T11:57:55.000Z (2m ago)`, or '' when there is no time. */
function when(time: Date | undefined, now: number): string {
  return time ? `${time.toISOString()} (${formatAge(time.getTime(), now)} ago)` : '';
}

/** `job_a (after-ok), job_b (after-any)`. */
export function dependencies(job: Job): string {
  return (job.spec?.dependencies ?? [])
    .map((d) => `${d.jobId} (${conditionName(d.condition)})`)
    .join(', ');
}

/** `job_a [3]`: the array an element belongs to and its index. */
export function arrayElement(job: Job): string {
  if (!job.arrayId) return '';
  return job.arrayIndex === undefined ? job.arrayId : `${job.arrayId} [${job.arrayIndex}]`;
}

/** The job's fields, in reading order; empty ones are left out. */
export function jobFields(job: Job, now: number): [string, string][] {
  const reason = job.reason ? ` (${job.reason}${job.message ? `: ${job.message}` : ''})` : '';
  const fields: [string, string][] = [
    ['ID', job.id],
    ['Name', job.spec?.name ?? ''],
    ['Tenant', job.tenant],
    ['Queue', job.spec?.queue ?? ''],
    ['Class', priorityClass(job)],
    ['Priority', String(job.spec?.priority ?? '')],
    ['State', `${jobStateName(job.state)}${reason}`],
    ['GPUs', gpuRequest(job)],
    ['Workload', workloadSummary(job)],
    ['Parent', parentJob(job)],
    ['Array', arrayElement(job)],
    ['Depends on', dependencies(job)],
    ['Progress', percent(job.progress)],
    ['Submitted', when(job.submitTime, now)],
    ['Runtime', runtime(job, now)],
    ['Last checkpoint', when(job.lastCheckpointTime, now)],
    ['Preemptions', job.preemptions > 0 ? String(job.preemptions) : ''],
    ['Exit code', exitCode(job.exitCode)],
  ];
  if (job.idempotencyKey) fields.push(['Idempotency key', job.idempotencyKey]);
  return fields.filter(([, value]) => value !== '');
}

/**
 * `gantry get`: the job's fields, the result of an inference kind, then one row per attempt
 * (preempted ones included); a multi-node job has a row per node of each attempt, with its RANK.
 */
export function renderJobDetails(job: Job, now: number): string {
  const result = renderResultSection(job);
  const shown = `${renderFields(jobFields(job, now))}${result ? `\n\n${result}` : ''}`;
  if (job.attempts.length === 0) return `${shown}\n`;
  const multiNode = (job.spec?.resources?.nodes ?? 0) > 1 || job.attempts.some((a) => a.rank > 0);
  const attempts = renderTable<Attempt>(
    [
      { header: 'ATTEMPT', value: (a) => String(a.number), align: 'right' },
      ...(multiNode
        ? [{ header: 'RANK', value: (a: Attempt) => String(a.rank), align: 'right' as const }]
        : []),
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
  return `${shown}\n\nAttempts:\n${attempts.replace(/^/gm, '  ')}\n`;
}
