import { type InferenceOutcome } from './inference-outcome';
import { few, jobLabel, succeededWith } from './outcome-checks';

/** Figures computed two ways agree to this much (they are doubles). */
const EPSILON = 1e-9;

const close = (a: number, b: number) => Math.abs(a - b) <= EPSILON;

/**
 * An RL job whose figures agree with each other and with its dataset. The demo's job keeps
 * accepted traces and drops problems whose samples all passed (the group filter), so with every
 * sample answered: samples = problems x K, acceptance = accepted / samples = pass@1 <= pass@K,
 * and kept = dataset lines = accepted - K x (groups that all passed). Every dataset line is an
 * accepted trace of a known problem whose extracted answer is the problem's answer, with this
 * job in its provenance.
 */
export function checkRl({ plan, rl }: InferenceOutcome): string[] {
  const got = succeededWith(rl.observation, 'rlSynthetic', 'RL');
  if ('problem' in got) return [got.problem];
  const jobId = rl.observation!.id;
  const name = jobLabel(rl.observation!);
  const r = got.result.rlSynthetic;
  const k = plan.rl.samplesPerProblem;
  const problems: string[] = [];
  if (r.status !== 'completed') problems.push(`${name} ended ${r.status}; expected completed`);
  if (r.problems !== plan.rl.problems.length)
    problems.push(
      `${name} counted ${r.problems} problems; its file has ${plan.rl.problems.length}`,
    );
  if (r.k !== k || r.samples !== plan.rl.problems.length * k)
    problems.push(
      `${name} has ${r.samples} samples (${r.k} per problem); ` +
        `expected ${plan.rl.problems.length} problems x ${k}`,
    );
  if (r.samples === 0 || !close(r.acceptanceRate, r.accepted / r.samples))
    problems.push(
      `${name}'s acceptance rate ${r.acceptanceRate} is not ${r.accepted}/${r.samples}`,
    );
  else if (!close(r.passAt1, r.acceptanceRate))
    problems.push(
      `${name}'s pass@1 ${r.passAt1} differs from its acceptance rate ${r.acceptanceRate}, ` +
        'though every sample was answered',
    );
  if (!(r.passAt1 <= r.passAtK + EPSILON && r.passAtK <= 1 + EPSILON))
    problems.push(`${name}'s pass@1 ${r.passAt1} and pass@${k} ${r.passAtK} are out of order`);
  const keep = r.accepted - k * r.groupsAllPassed;
  if (r.kept !== keep)
    problems.push(
      `${name} kept ${r.kept} traces; with ${r.accepted} accepted and ${r.groupsAllPassed} ` +
        `all-passed group(s) of ${k} dropped it should keep ${keep}`,
    );
  if (rl.dataset.length !== r.kept)
    problems.push(
      `${name}'s dataset has ${rl.dataset.length} lines; its result says ${r.kept} kept`,
    );
  return [...problems, ...checkDataset(rl.dataset, plan, jobId, name)];
}

/** Each dataset line against the problems; each problem's lines against the group filter. */
function checkDataset(
  dataset: InferenceOutcome['rl']['dataset'],
  plan: InferenceOutcome['plan'],
  jobId: string,
  name: string,
): string[] {
  const k = plan.rl.samplesPerProblem;
  const answers = new Map(plan.rl.problems.map((p) => [p.id, p.answer]));
  const bad: string[] = [];
  const perProblem = new Map<string, number>();
  dataset.forEach((line, index) => {
    const id = String(line['problem_id']);
    perProblem.set(id, (perProblem.get(id) ?? 0) + 1);
    const provenance = line['provenance'] as { job_id?: unknown } | undefined;
    const ok =
      answers.has(id) &&
      line['accepted'] === true &&
      String(line['extracted_answer']) === answers.get(id) &&
      provenance?.job_id === jobId;
    if (!ok) bad.push(`${index + 1} (${id})`);
  });
  const problems: string[] = [];
  if (bad.length > 0)
    problems.push(
      `${name}'s dataset line(s) ${few(bad)} are not accepted traces of its problems ` +
        `with the right answer and this job's provenance`,
    );
  const whole = [...perProblem].filter(([, n]) => n >= k).map(([id]) => id);
  if (whole.length > 0)
    problems.push(
      `${name}'s dataset keeps all ${k} samples of ${few(whole)}, which the group filter drops`,
    );
  return problems;
}
