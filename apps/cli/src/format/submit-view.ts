import { Job, type SubmitJobResponse } from '@gantry/proto';
import { type OutputFormat } from '../cli-environment';
import { type ArrayRangeInput } from '../spec/array-and-dependencies';
import { jobStateName } from './states';
import { renderTable } from './table';

/** What `gantry submit` prints, and where. */
export interface SubmitOutput {
  readonly stdout: string;
  /** A note for people that must not mix into -o json on stdout. */
  readonly stderr: string;
}

const REPLAYED = ' (an earlier submit with this idempotency key)';

/** The job ids of a submit: every element of an array in index order, else the one job. */
export function submittedIds(response: SubmitJobResponse, job: Job): string[] {
  return response.arrayJobIds.length > 0 ? [...response.arrayJobIds] : [job.id];
}

/** `INDEX ID` rows of an array, under a line that names the array and its size. */
export function renderArray(response: SubmitJobResponse, job: Job, range: ArrayRangeInput): string {
  const ids = response.arrayJobIds;
  const arrayId = job.arrayId || job.id;
  const head =
    `array ${arrayId}: ${ids.length} jobs, indices ${range.first}-${range.last}, ` +
    `${jobStateName(job.state)}${response.created ? '' : REPLAYED}`;
  const rows = ids.map((id, i) => ({ id, index: range.first + i }));
  const table = renderTable<{ id: string; index: number }>(
    [
      { header: 'INDEX', value: (r) => String(r.index), align: 'right' },
      { header: 'ID', value: (r) => r.id },
    ],
    rows,
  );
  return `${head}\n${table}\n`;
}

/**
 * `--parsable`: only ids, one per line (every element of an array). `-o json`:
 * `{"job", "created"}` plus `"arrayJobIds"` for an array. Otherwise `<id> <state>`, or for an
 * array a table of its elements. With `--wait`, the json case says its line on stderr, as the
 * events follow on stdout.
 */
export function renderSubmit(
  response: SubmitJobResponse,
  options: {
    readonly output: OutputFormat;
    readonly parsable: boolean;
    readonly wait: boolean;
    readonly array?: ArrayRangeInput;
  },
): SubmitOutput {
  const job = response.job;
  if (!job) throw new Error("the server's reply has no job");
  if (options.parsable)
    return { stdout: `${submittedIds(response, job).join('\n')}\n`, stderr: '' };
  if (options.output === 'json' && !options.wait) {
    const value = {
      job: Job.toJSON(job),
      created: response.created,
      ...(response.arrayJobIds.length > 0 ? { arrayJobIds: response.arrayJobIds } : {}),
    };
    return { stdout: `${JSON.stringify(value, null, 2)}\n`, stderr: '' };
  }
  const text =
    options.array && response.arrayJobIds.length > 0
      ? renderArray(response, job, options.array)
      : `${job.id} ${jobStateName(job.state)}${response.created ? '' : REPLAYED}\n`;
  return options.output === 'json' ? { stdout: '', stderr: text } : { stdout: text, stderr: '' };
}
