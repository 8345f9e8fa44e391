/** The rules a priority class must meet to be stored (pure). */
import { ValidationError, type FieldViolation } from '@gantry/domain';
import type { PriorityClassRecord } from '../api/policy';
import { NAME_MESSAGE, QUEUE_NAME } from './queue-rules';

export const MAX_CLASS_PRIORITY = 1000;

/** The class as it is to be stored, or ValidationError naming every problem. */
export function checkClass(priorityClass: PriorityClassRecord): PriorityClassRecord {
  const problems: FieldViolation[] = [];
  const { name, priority, preemptible, minRuntimeSeconds, gracePeriodSeconds } = priorityClass;
  if (!QUEUE_NAME.test(name))
    problems.push({ field: 'priority_class.name', message: NAME_MESSAGE });
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_CLASS_PRIORITY)
    problems.push({
      field: 'priority_class.priority',
      message: `must be a whole number from 0 to ${MAX_CLASS_PRIORITY} (got ${priority})`,
    });
  if (typeof preemptible !== 'boolean')
    problems.push({ field: 'priority_class.preemptible', message: 'must be true or false' });
  for (const [field, seconds] of [
    ['priority_class.min_runtime', minRuntimeSeconds],
    ['priority_class.grace_period', gracePeriodSeconds],
  ] as const) {
    if (!Number.isFinite(seconds) || seconds < 0)
      problems.push({ field, message: `must be at least 0 seconds (got ${seconds})` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { name, priority, preemptible, minRuntimeSeconds, gracePeriodSeconds };
}
