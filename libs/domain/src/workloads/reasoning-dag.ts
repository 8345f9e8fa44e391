/**
 * The graph checks of a reasoning DAG, each naming the step (`<field>.steps[2].refine.input:
 * names "drafts", which is not a step`): duplicate and reserved ids, unknown references (input,
 * by, template), `{{item}}` outside refine, a `select` whose `by` is not a `verify` of its
 * input, an exact-answer verify with no reference answer, an `output` naming no step, cycles.
 */
import type { FieldViolation } from '../errors';
import type { InferenceReasoningWorkload } from './inference-reasoning';
import type { ReasoningStep } from './reasoning-steps';
import {
  TEMPLATE_VARIABLES,
  templateReferences,
  templateStepReferences,
} from './reasoning-templates';

/** Every step a step waits for: its `input`, its `by`, and the steps its template names. */
export function stepDependencies(step: ReasoningStep): string[] {
  const deps: string[] = [];
  const add = (id: string) => {
    if (!deps.includes(id)) deps.push(id);
  };
  if (step.kind !== 'sample') add(step.input);
  if (step.kind === 'select') add(step.by);
  if (step.kind === 'sample' || step.kind === 'refine')
    templateStepReferences(step.prompt).forEach(add);
  return deps;
}

/** The graph problems of a reasoning workload; `field` is its path (`spec.inference_reasoning`). */
export function checkReasoningDag(w: InferenceReasoningWorkload, field: string): FieldViolation[] {
  const problems: FieldViolation[] = [];
  const at = (i: number, rest = '') => `${field}.steps[${i}]${rest}`;
  const indexOf = new Map<string, number>();
  w.steps.forEach((step, i) => {
    const first = indexOf.get(step.id);
    if (first !== undefined)
      problems.push({
        field: at(i, '.id'),
        message: `"${step.id}" is also the id of steps[${first}]`,
      });
    else indexOf.set(step.id, i);
    if ((TEMPLATE_VARIABLES as readonly string[]).includes(step.id))
      problems.push({
        field: at(i, '.id'),
        message: `"${step.id}" is reserved (a template variable)`,
      });
  });
  const byId = (id: string) => {
    const i = indexOf.get(id);
    return i === undefined ? undefined : w.steps[i];
  };
  const notAStep = (id: string) => `names "${id}", which is not a step`;

  w.steps.forEach((step, i) => {
    const kindField = `.${step.kind}`;
    if (step.kind !== 'sample' && !indexOf.has(step.input))
      problems.push({ field: at(i, `${kindField}.input`), message: notAStep(step.input) });
    if (step.kind === 'sample' || step.kind === 'refine') {
      for (const name of templateReferences(step.prompt)) {
        if (name === 'item' && step.kind !== 'refine')
          problems.push({
            field: at(i, `${kindField}.prompt`),
            message: 'uses {{item}}, which only a refine prompt may use',
          });
        else if (name !== 'question' && name !== 'item' && !indexOf.has(name))
          problems.push({
            field: at(i, `${kindField}.prompt`),
            message: `uses {{${name}}}, which is not a step`,
          });
      }
    }
    if (step.kind === 'select') {
      const by = byId(step.by);
      if (!by) problems.push({ field: at(i, '.select.by'), message: notAStep(step.by) });
      else if (by.kind !== 'verify')
        problems.push({
          field: at(i, '.select.by'),
          message: `names "${step.by}", a ${by.kind} step; it must be a verify step of "${step.input}"`,
        });
      else if (by.input !== step.input)
        problems.push({
          field: at(i, '.select.by'),
          message: `names "${step.by}", a verify step of "${by.input}"; it must verify "${step.input}"`,
        });
    }
    if (step.kind === 'verify' && step.verifier === 'exact-answer' && w.answer === null)
      problems.push({
        field: at(i, '.verify.verifier'),
        message: 'exact-answer needs the reference answer (inference_reasoning.answer)',
      });
  });
  if (!indexOf.has(w.output))
    problems.push({ field: `${field}.output`, message: notAStep(w.output) });
  for (const cycle of findCycles(w.steps, indexOf))
    problems.push({
      field: at(indexOf.get(cycle[0]!)!),
      message: `is in a cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    });
  return problems;
}

/**
 * The cycles found by a depth-first search in step order, each once, each starting at its
 * earliest step (`[a, b]` for a -> b -> a). Unknown references are skipped (reported apart).
 */
function findCycles(
  steps: readonly ReasoningStep[],
  indexOf: ReadonlyMap<string, number>,
): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles = new Map<string, string[]>();
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const dep of stepDependencies(steps[indexOf.get(id)!]!)) {
      if (!indexOf.has(dep)) continue;
      if (state.get(dep) === 'open') {
        const cycle = stack.slice(stack.indexOf(dep)).reverse();
        const first = cycle.reduce((a, b) => (indexOf.get(a)! <= indexOf.get(b)! ? a : b));
        const k = cycle.indexOf(first);
        const rotated = [...cycle.slice(k), ...cycle.slice(0, k)];
        cycles.set(rotated.join(' '), rotated);
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of indexOf.keys()) if (!state.has(id)) visit(id);
  return [...cycles.values()];
}
