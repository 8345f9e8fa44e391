/**
 * The rules a queue must meet to be stored (pure, so each is tested on its own). Counts are
 * whole GPUs per catalog model, `*` standing for every model not listed; model keys are stored
 * as the catalog spells them. The children of a queue may together be guaranteed no more of a
 * model than the queue's own guarantee, or, where it states none, its maximum; a queue that
 * states neither (an organization used for grouping, like `default`) does not bound them.
 */
import { findGpuModel, ValidationError, type FieldViolation } from '@gantry/domain';
import type { QueueRecord } from '../api/policy';

export const QUEUE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
export const NAME_MESSAGE =
  'must be 1-63 lower-case letters, digits or "-", starting with a letter';
const ANY = '*';

export interface QueueContext {
  /** Every stored queue, this one's earlier version included. */
  readonly queues: ReadonlyMap<string, QueueRecord>;
  /** Whether the proposed parent has unfinished jobs. */
  readonly parentHasJobs: boolean;
}

type Limits = Readonly<Record<string, number>>;

/** The queue as it is to be stored, or ValidationError naming every problem. */
export function checkQueue(queue: QueueRecord, context: QueueContext): QueueRecord {
  const problems: FieldViolation[] = [];
  if (!QUEUE_NAME.test(queue.name)) problems.push({ field: 'queue.name', message: NAME_MESSAGE });
  const parent = checkParent(queue, context, problems);
  const parentOk = problems.every((p) => p.field !== 'queue.parent');
  const guaranteed = checkLimits('guaranteed', queue.guaranteed, problems);
  const max = checkLimits('max', queue.max, problems);
  if (!Number.isFinite(queue.weight) || queue.weight <= 0)
    problems.push({
      field: 'queue.weight',
      message: `must be a number greater than 0 (got ${queue.weight})`,
    });
  for (const model of models([guaranteed, max])) {
    const g = limit(guaranteed, model) ?? 0;
    const x = limit(max, model) ?? Infinity;
    if (g > x)
      problems.push(
        violation('guaranteed', guaranteed, model, `is ${g}, above the maximum of ${x}`),
      );
  }
  const stored: QueueRecord = { name: queue.name, parent, guaranteed, max, weight: queue.weight };
  if (parent !== null && parentOk) {
    const siblings = childrenOf(parent, context.queues).filter((q) => q.name !== queue.name);
    const bound = context.queues.get(parent)!;
    for (const { model, sum, cap, what } of overBound([...siblings, stored], bound))
      problems.push(
        violation(
          'guaranteed',
          guaranteed,
          model,
          `would give the children of "${parent}" ${sum} guaranteed ${gpus(model)}, above its ${what} of ${cap}`,
        ),
      );
  }
  for (const { model, sum, cap, what } of overBound(childrenOf(queue.name, context.queues), stored))
    problems.push(
      violation(
        what === 'guarantee' ? 'guaranteed' : 'max',
        what === 'guarantee' ? guaranteed : max,
        model,
        `is ${cap}, below the ${sum} ${gpus(model)} its children are guaranteed`,
      ),
    );
  if (problems.length > 0) throw new ValidationError(dedupe(problems));
  return stored;
}

function checkParent(
  queue: QueueRecord,
  context: QueueContext,
  problems: FieldViolation[],
): string | null {
  const parent = queue.parent === '' ? null : queue.parent;
  if (parent === null) return null;
  const field = 'queue.parent';
  if (parent === queue.name) {
    problems.push({ field, message: 'cannot be the queue itself' });
  } else if (!context.queues.has(parent)) {
    problems.push({ field, message: `queue "${parent}" does not exist` });
  } else {
    const path = [queue.name, parent];
    for (let up = context.queues.get(parent)?.parent ?? null; up !== null;) {
      path.push(up);
      if (up === queue.name) {
        problems.push({ field, message: `would make a cycle: ${path.join(' -> ')}` });
        break;
      }
      up = context.queues.get(up)?.parent ?? null;
    }
    if (context.parentHasJobs)
      problems.push({
        field,
        message: `queue "${parent}" has unfinished jobs; jobs go to leaf queues, so it cannot get children`,
      });
  }
  return parent;
}

function checkLimits(kind: string, limits: Limits, problems: FieldViolation[]): Limits {
  const out: Record<string, number> = {};
  for (const [key, count] of Object.entries(limits)) {
    const field = `queue.${kind}["${key}"]`;
    const model = key === ANY ? ANY : findGpuModel(key)?.id;
    if (model === undefined) {
      problems.push({ field, message: 'must be a GPU model from the catalog or "*"' });
    } else if (model in out) {
      problems.push({ field, message: `names ${model} twice` });
    } else if (!Number.isInteger(count) || count < 0) {
      problems.push({ field, message: `must be a whole number >= 0 (got ${count})` });
    } else {
      out[model] = count;
    }
  }
  return out;
}

/** Per model, where the children's guarantees together exceed what `queue` bounds them to. */
function overBound(children: readonly QueueRecord[], queue: QueueRecord) {
  const over: { model: string; sum: number; cap: number; what: 'guarantee' | 'maximum' }[] = [];
  if (children.length === 0) return over;
  for (const model of models([queue.guaranteed, queue.max, ...children.map((c) => c.guaranteed)])) {
    const sum = children.reduce((n, child) => n + (limit(child.guaranteed, model) ?? 0), 0);
    const own = limit(queue.guaranteed, model);
    const cap = own ?? limit(queue.max, model);
    if (cap !== undefined && sum > cap)
      over.push({ model, sum, cap, what: own !== undefined ? 'guarantee' : 'maximum' });
  }
  return over;
}

const limit = (limits: Limits, model: string): number | undefined => limits[model] ?? limits[ANY];
const models = (all: readonly Limits[]) => [...new Set(all.flatMap((l) => Object.keys(l)))].sort();
const gpus = (model: string) => (model === ANY ? 'GPUs of unlisted models' : `${model} GPUs`);
const childrenOf = (name: string, queues: ReadonlyMap<string, QueueRecord>) =>
  [...queues.values()].filter((q) => q.parent === name);

/** The field of a model's limit: its own key, else `*` (which supplied it). */
function violation(
  kind: 'guaranteed' | 'max',
  limits: Limits,
  model: string,
  message: string,
): FieldViolation {
  const key = model in limits || !(ANY in limits) ? model : ANY;
  return { field: `queue.${kind}["${key}"]`, message };
}

function dedupe(problems: readonly FieldViolation[]): FieldViolation[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.field) && seen.add(p.field));
}
