import { nodeOf } from '../format/job-view';
import { isTerminalState, jobStateName } from '../format/states';
import { renderTable } from '../format/table';
import { progressBar } from '../watch/live-area';
import { type Observation } from './demo-tracker';

/** `node-1`, or for a multi-node job `node-1+1`. */
function node(o: Observation): string {
  return nodeOf(o.job);
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`.padStart(4);
}

/** The live table on a terminal: a status line (`demo: 3/13 jobs done`), then one row per job. */
export function demoTable(
  observations: readonly Observation[],
  elapsedMs: number,
  title = 'demo',
): string[] {
  const finished = observations.filter((o) => isTerminalState(o.job.state)).length;
  const header = `${title}: ${finished}/${observations.length} jobs done, ${(elapsedMs / 1000).toFixed(1)}s`;
  const table = renderTable<Observation>(
    [
      { header: 'NAME', value: (o) => o.demo.name },
      { header: 'GPUS', value: (o) => String(o.demo.gpus), align: 'right' },
      { header: 'STATE', value: (o) => jobStateName(o.job.state) },
      { header: 'REASON', value: (o) => o.job.reason, maxWidth: 22 },
      { header: 'NODE', value: node },
      {
        header: 'PROGRESS',
        value: (o) => `${progressBar(o.job.progress, 10)} ${percent(o.job.progress)}`,
      },
      { header: 'ID', value: (o) => o.id },
    ],
    observations,
  );
  return [header, ...table.split('\n')];
}

/**
 * A plain line when something worth telling changed (state, reason, a 20% progress step), for
 * output that is not a terminal; undefined otherwise.
 */
export function changeLine(
  before: Observation | undefined,
  after: Observation,
  elapsedMs: number,
): string | undefined {
  const step = (o: Observation | undefined) => (o ? Math.floor(o.job.progress * 5) : -1);
  const changed =
    !before ||
    before.job.state !== after.job.state ||
    before.job.reason !== after.job.reason ||
    step(before) !== step(after);
  if (!changed) return undefined;
  const exit =
    after.job.exitCode !== undefined && isTerminalState(after.job.state)
      ? ` exit ${after.job.exitCode}`
      : '';
  return [
    `+${(elapsedMs / 1000).toFixed(1)}s`.padStart(7),
    after.demo.name.padEnd(18),
    jobStateName(after.job.state).padEnd(10),
    (after.job.reason || '-').padEnd(20),
    (node(after) || '-').padEnd(8),
    `${percent(after.job.progress)}${exit}`,
  ]
    .join(' ')
    .trimEnd();
}
