import { parseJobSpec } from '@gantry/domain';
import { checkBatch } from './batch-check';
import { type InferenceOutcome } from './inference-outcome';
import { duplicateSampleCalls } from './inference-workload';
import { jobLabel, succeededWith } from './outcome-checks';
import { checkRl } from './rl-check';

/**
 * A reasoning job: an answer, judged by its verify step consistently with the reference answer,
 * and calls that add up, with at least the DAG's duplicate calls saved.
 */
function checkReasoning({ plan, reasoning }: InferenceOutcome): string[] {
  const got = succeededWith(reasoning.observation, 'reasoning', 'reasoning');
  if ('problem' in got) return [got.problem];
  const o = reasoning.observation!;
  const name = jobLabel(o);
  const r = got.result.reasoning;
  const problems: string[] = [];
  if (r.answer === '')
    problems.push(`${name} gave no answer (stop reason: ${r.stopReason || '-'})`);
  else if (r.accepted === undefined)
    problems.push(`${name}'s answer ${r.answer} was never judged by its verify step`);
  else if (r.accepted !== (r.answer === plan.reasoning.answer))
    problems.push(
      `${name}'s answer ${r.answer} was ${r.accepted ? 'accepted' : 'rejected'}, ` +
        `but the reference answer is ${plan.reasoning.answer}`,
    );
  const saved = r.callsSavedCache + r.callsSavedInflight;
  const asked = r.steps.reduce((n, s) => n + s.calls, 0);
  if (asked !== r.callsMade + saved)
    problems.push(
      `${name}'s steps asked for ${asked} engine calls, but ${r.callsMade} were made and ${saved} saved`,
    );
  const workload = parseJobSpec(o.demo.spec).workload;
  if (workload.kind === 'inference_reasoning') {
    const { calls, duplicates } = duplicateSampleCalls(workload);
    if (saved < duplicates)
      problems.push(
        `${name} saved ${saved} engine calls; its DAG repeats ${duplicates} of its ${calls} ` +
          'sample calls, which should run once',
      );
  }
  return problems;
}

/** Every expectation of the inference part not met, one line each; empty when all went well. */
export function checkInference(outcome: InferenceOutcome): string[] {
  return [
    ...outcome.unreadable,
    ...checkBatch(outcome),
    ...checkReasoning(outcome),
    ...checkRl(outcome),
  ];
}
