import { parseJobSpec, type RlSyntheticWorkload } from '@gantry/domain';
import { answerLine, type BatchOutputLine } from '../batch/output-lines';
import { boxedAnswer, FakeExactAnswerVerifier } from '../testing/fake-verifier';
import { buildRlDataset } from './finish';
import type { Problem } from './problems';
import { planRollouts } from './rollouts';
import { rlStatsJson } from './stats';
import { readVerdictLines, verifyRollout, type VerdictLine } from './verdicts';

const FILE_ID = `file_${'0'.repeat(26)}`;
function rlSpec(fields: Record<string, unknown> = {}): RlSyntheticWorkload {
  return parseJobSpec({
    resources: { gpus: 1 },
    rl_synthetic: {
      policy_model: 'policy',
      problems_file_id: FILE_ID,
      samples_per_problem: 4,
      sampling: { temperature: 0.9, seed: 10 },
      ...fields,
    },
  }).workload as RlSyntheticWorkload;
}

const problems: Problem[] = [
  { id: 'p1', prompt: 'What is 6 * 7?', answer: '42' },
  { id: 'p2', prompt: 'What is 2 + 2?', answer: '4' },
  { id: 'p3', prompt: 'What is 9 * 9?', answer: '81' },
];
/**
 * The hand-worked example: K = 4.
 * p1: samples 0 and 2 right, 1 wrong, 3 never answered (engine error) -> n 3, c 2
 * p2: all 4 right -> n 4, c 4 (all passed)
 * p3: all 4 wrong -> n 4, c 0 (none passed)
 */
const said: Record<string, string | number> = {
  'p1#0': '42',
  'p1#1': '41',
  'p1#2': '42',
  'p1#3': 500,
  'p2#0': '4',
  'p2#1': '4',
  'p2#2': '4',
  'p2#3': '4',
  'p3#0': '80',
  'p3#1': '1',
  'p3#2': '2',
  'p3#3': '3',
};

async function rollouts(spec: RlSyntheticWorkload) {
  const requests = planRollouts(problems, { ...spec, model: spec.policyModel });
  const answers: BatchOutputLine[] = requests.map((r) => {
    const what = said[r.customId]!;
    return answerLine(
      r,
      typeof what === 'number'
        ? { status: what, requestId: '', body: { error: { message: 'oops' } } }
        : {
            status: 200,
            requestId: 'x',
            body: { choices: [{ message: { content: `so \\boxed{${what}}` } }] },
          },
    ).line;
  });
  const verifier = new FakeExactAnswerVerifier();
  const byId = new Map(problems.map((p) => [p.id, p]));
  const verdicts: VerdictLine[] = [];
  for (const line of answers.filter((l) => l.error === null))
    verdicts.push(
      await verifyRollout(line, byId.get(line.custom_id.split('#')[0]!)!, spec.endpoint, verifier),
    );
  return { answers, verdicts };
}

const context = (spec: RlSyntheticWorkload) => ({ jobId: 'job_1', spec, engine: 'vllm' });

describe('buildRlDataset', () => {
  it('computes the figures of the hand-worked example', async () => {
    const spec = rlSpec();
    const { answers, verdicts } = await rollouts(spec);
    const { stats } = buildRlDataset(problems, answers, verdicts, context(spec));
    expect(stats).toEqual({
      problems: 3,
      samples: 11,
      samplesUnanswered: 1,
      accepted: 6,
      acceptanceRate: 6 / 11,
      passAt1: (2 / 3 + 1 + 0) / 3,
      passAtK: 0.5, // p2 1, p3 0; p1 has only 3 answered samples, too few for pass@4
      k: 4,
      groupsAllPassed: 1,
      groupsNonePassed: 1,
      kept: 2,
    });
    expect(rlStatsJson(stats, FILE_ID)).toMatchObject({
      pass_at_k: 0.5,
      acceptance_rate: 6 / 11,
      kept: 2,
      dataset_file_id: FILE_ID,
    });
  });

  it('keeps the accepted traces of the problems the group filter leaves, with provenance', async () => {
    const spec = rlSpec();
    const { answers, verdicts } = await rollouts(spec);
    const { lines } = buildRlDataset(problems, answers, verdicts, context(spec));
    expect(lines.map((l) => `${l.problem_id}#${l.provenance.sample_index}`)).toEqual([
      'p1#0',
      'p1#2',
    ]);
    expect(lines[1]).toEqual({
      problem_id: 'p1',
      prompt: 'What is 6 * 7?',
      completion: 'so \\boxed{42}',
      extracted_answer: '42',
      score: 1,
      accepted: true,
      provenance: {
        job_id: 'job_1',
        model: 'policy',
        revision: 'main',
        engine: 'vllm',
        sampling: { temperature: 0.9, top_p: 1, max_tokens: 1024, seed: 10 },
        seed: 12,
        sample_index: 2,
        verifier: 'exact-answer',
      },
    });
  });

  it('keeps every answered trace with keep: all, and every group without the filter', async () => {
    const all = rlSpec({ keep: 'all' });
    const a = await rollouts(all);
    expect(
      buildRlDataset(problems, a.answers, a.verdicts, context(all)).lines.map((l) => [
        l.problem_id,
        l.accepted,
      ]),
    ).toEqual([
      ['p1', true],
      ['p1', false],
      ['p1', true],
    ]);
    const unfiltered = rlSpec({ group_filter: false });
    const u = await rollouts(unfiltered);
    const { lines, stats } = buildRlDataset(problems, u.answers, u.verdicts, context(unfiltered));
    expect(lines.map((l) => l.problem_id)).toEqual(['p1', 'p1', 'p2', 'p2', 'p2', 'p2']);
    expect(stats.groupsAllPassed).toBe(1); // counted whether or not the filter drops them
  });

  it('takes the first answer of a rollout answered twice, and a later answer over an error', async () => {
    const spec = rlSpec({ keep: 'all', group_filter: false });
    const { answers, verdicts } = await rollouts(spec);
    const again = answers.map((l) => ({
      ...l,
      response: {
        ...l.response!,
        status_code: 200,
        body: { choices: [{ message: { content: 'again' } }] },
      },
      error: null,
    }));
    const lateVerdict: VerdictLine = {
      custom_id: 'p1#3',
      accepted: true,
      score: 1,
      extracted: '42',
      detail: '',
    };
    const { lines, stats } = buildRlDataset(
      problems,
      [...answers, ...again],
      [...verdicts, lateVerdict],
      context(spec),
    );
    expect(
      lines.filter((l) => l.completion === 'again').map((l) => l.provenance.sample_index),
    ).toEqual([3]);
    expect(stats.samples).toBe(12);
  });

  it('refuses to build a dataset while an answered rollout has no verdict', async () => {
    const spec = rlSpec();
    const { answers, verdicts } = await rollouts(spec);
    expect(() => buildRlDataset(problems, answers, verdicts.slice(1), context(spec))).toThrow(
      'rollout p1#0 was answered but has no verdict',
    );
  });

  it('rejects an answer without completion text, and reads verdict files back', async () => {
    const spec = rlSpec();
    const line = answerLine(planRollouts(problems, { ...spec, model: 'policy' })[0]!, {
      status: 200,
      requestId: '',
      body: {},
    }).line;
    const verdict = await verifyRollout(
      line,
      problems[0]!,
      spec.endpoint,
      new FakeExactAnswerVerifier(),
    );
    expect(verdict).toEqual({
      custom_id: 'p1#0',
      accepted: false,
      score: 0,
      extracted: null,
      detail: 'the answer has no completion text',
    });
    const text = [JSON.stringify(verdict), '{"custom_id": "p1#1", "acc'];
    expect(readVerdictLines(text, 'verdicts/0.jsonl')).toEqual({
      lines: [verdict],
      tornLastLine: true,
    });
    expect(boxedAnswer('x')).toBeNull();
  });
});
