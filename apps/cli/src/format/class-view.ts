import { type PriorityClass } from '@gantry/proto';
import { durationSeconds } from '../spec/class-input';
import { formatDuration } from '../spec/duration';
import { renderTable } from './table';

function duration(value: PriorityClass['minRuntime']): string {
  const seconds = durationSeconds(value);
  return seconds === undefined ? '' : formatDuration(seconds);
}

/**
 * `gantry classes list`: NAME PRIORITY PREEMPTIBLE MIN RUNTIME GRACE, in the server's order
 * (most important first).
 */
export function renderClassTable(classes: readonly PriorityClass[], wide: boolean): string {
  return renderTable<PriorityClass>(
    [
      { header: 'NAME', value: (c) => c.name, maxWidth: 32 },
      { header: 'PRIORITY', value: (c) => String(c.priority), align: 'right' },
      { header: 'PREEMPTIBLE', value: (c) => (c.preemptible ? 'yes' : 'no') },
      { header: 'MIN RUNTIME', value: (c) => duration(c.minRuntime), align: 'right' },
      { header: 'GRACE', value: (c) => duration(c.gracePeriod), align: 'right' },
    ],
    classes,
    { wide },
  );
}

/** One line after `classes put`: what the class now is. */
export function describeClass(c: PriorityClass): string {
  const preemptible = c.preemptible
    ? `preemptible after ${duration(c.minRuntime) || '0s'}`
    : 'never preempted';
  return (
    `priority class ${c.name} saved: priority ${c.priority}, ${preemptible}, ` +
    `grace ${duration(c.gracePeriod) || '0s'}`
  );
}
