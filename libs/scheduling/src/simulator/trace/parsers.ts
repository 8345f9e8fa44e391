/**
 * Trace parsers: pure functions of a trace file's text (reading the file is the caller's job).
 *
 * Philly (`philly/jobs.csv`, as prepared by the Pollux artifact): columns `timestamp` (submit,
 * `YYYY-MM-DD HH:MM:SS`, read as UTC), `duration` (s, e.g. `66.0`), `num_gpus`, `gpu_time`,
 * `cluster` (the virtual cluster: the job's tenant). Rows are not in time order and the file
 * ends with a blank line. Jobs get ids `philly-<line>` from their line in the file, so an id
 * does not depend on sorting.
 *
 * ITP (elasticflow-traces, `itp/clusterNN.csv`): columns `job_id`, `submission_time` (s from
 * the start of collection), `duration` (s), `num_gpu`. No tenant column (the workload assigns
 * one by a seeded rule); some files end without a newline.
 *
 * A file's format is told by its header: Philly's has `timestamp` and `cluster`, ITP's
 * `job_id` and `submission_time`.
 */
import { numberField, parseCsv, requireColumns } from './csv';
import { TraceFormatError, type TraceFormat, type TraceJob } from './trace-job';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** `YYYY-MM-DD HH:MM:SS` as seconds since the epoch (UTC), or NaN. */
export function parsePhillyTimestamp(text: string): number {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return Number.NaN;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = match.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 2017-02-30 over to March: reject what did not round-trip.
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 ? ms / 1000 : Number.NaN;
}

export function parsePhillyTrace(text: string, traceName = 'philly'): TraceJob[] {
  const table = parseCsv(text, traceName);
  const [at, duration, gpus, cluster] = requireColumns(
    table,
    ['timestamp', 'duration', 'num_gpus', 'cluster'],
    traceName,
  ) as [number, number, number, number];
  return table.rows.map((row) => {
    const submitAt = parsePhillyTimestamp(row.fields[at] ?? '');
    if (Number.isNaN(submitAt))
      throw new TraceFormatError(
        `${traceName} line ${row.line}: timestamp must be YYYY-MM-DD HH:MM:SS (got '${row.fields[at] ?? ''}')`,
      );
    const tenant = (row.fields[cluster] ?? '').trim();
    if (tenant === '')
      throw new TraceFormatError(`${traceName} line ${row.line}: cluster is empty`);
    return {
      id: `philly-${row.line}`,
      submitAt,
      duration: numberField(row, duration, 'duration', traceName, 0),
      gpus: numberField(row, gpus, 'num_gpus', traceName, 1),
      tenant,
    };
  });
}

export function parseItpTrace(text: string, traceName = 'itp'): TraceJob[] {
  const table = parseCsv(text, traceName);
  const [id, at, duration, gpus] = requireColumns(
    table,
    ['job_id', 'submission_time', 'duration', 'num_gpu'],
    traceName,
  ) as [number, number, number, number];
  const seen = new Set<string>();
  return table.rows.map((row) => {
    const jobId = (row.fields[id] ?? '').trim();
    if (jobId === '') throw new TraceFormatError(`${traceName} line ${row.line}: job_id is empty`);
    if (seen.has(jobId))
      throw new TraceFormatError(`${traceName} line ${row.line}: job_id ${jobId} repeats`);
    seen.add(jobId);
    return {
      id: jobId,
      submitAt: numberField(row, at, 'submission_time', traceName, 0),
      duration: numberField(row, duration, 'duration', traceName, 0),
      gpus: numberField(row, gpus, 'num_gpu', traceName, 1),
      tenant: null,
    };
  });
}

export function detectTraceFormat(text: string, traceName: string): TraceFormat {
  const header = (text.split('\n', 1)[0] ?? '').replace(/^\uFEFF/, '');
  const columns = new Set(header.split(',').map((c) => c.trim()));
  if (columns.has('timestamp') && columns.has('cluster')) return 'philly';
  if (columns.has('job_id') && columns.has('submission_time')) return 'itp';
  throw new TraceFormatError(
    `${traceName}: unknown trace format (a Philly header has timestamp,duration,num_gpus,` +
      `gpu_time,cluster; an ITP one job_id,submission_time,duration,num_gpu)`,
  );
}

export function parseTrace(text: string, traceName: string, format?: TraceFormat): TraceJob[] {
  return (format ?? detectTraceFormat(text, traceName)) === 'philly'
    ? parsePhillyTrace(text, traceName)
    : parseItpTrace(text, traceName);
}
