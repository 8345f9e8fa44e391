/** How much work a reasoning DAG asks for, before it runs (for progress reporting). */
import type { InferenceReasoningWorkload, ReasoningStep } from '@gantry/domain';

/**
 * The engine calls the DAG makes if it runs to the end: `n` per sample step, `n` per input item
 * per refine step (vote and select give one item, verify as many as its input). An early stop
 * makes fewer.
 */
export function plannedCalls(spec: InferenceReasoningWorkload): number {
  const byId = new Map(spec.steps.map((s) => [s.id, s]));
  const items = new Map<string, number>();
  const itemsOf = (step: ReasoningStep): number => {
    const known = items.get(step.id);
    if (known !== undefined) return known;
    const input = step.kind === 'sample' ? 0 : itemsOf(byId.get(step.input)!);
    const count =
      step.kind === 'sample'
        ? step.n
        : step.kind === 'refine'
          ? input * step.n
          : step.kind === 'verify'
            ? input
            : 1;
    items.set(step.id, count);
    return count;
  };
  return spec.steps.reduce(
    (sum, step) =>
      sum +
      (step.kind === 'sample'
        ? step.n
        : step.kind === 'refine'
          ? itemsOf(byId.get(step.input)!) * step.n
          : 0),
    0,
  );
}
