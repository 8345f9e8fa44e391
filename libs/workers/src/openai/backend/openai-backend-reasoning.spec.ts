import type { ReasoningJobResult } from '@gantry/domain';
import { InProcessStepCache } from '@gantry/workloads';
import {
  OpenAIBackendFixture,
  reasoningWorkload,
  simulatedWith,
} from '../../testing/openai-backend-fixture';

/** Two sample steps asking the same calls (b's first 4 are a's 4), then a vote. */
const DUPLICATES = [
  { id: 'a', sample: { n: 4, prompt: '{{question}}', temperature: 0.8 } },
  { id: 'b', sample: { n: 6, prompt: '{{question}}', temperature: 0.8 } },
  { id: 'final', vote: { input: 'b' } },
];

/** The openai backend running reasoning jobs over the real simulated engine. */
describe('OpenAIBackend: reasoning', () => {
  const fx = new OpenAIBackendFixture();
  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());
  beforeEach(() => fx.beforeEach());
  afterEach(() => fx.afterEach());

  it('makes each distinct engine call once and emits the result before exiting 0', async () => {
    const shared = new InProcessStepCache();
    const { backend, manager } = fx.backend({ stepCache: shared });
    const { task, sink } = await fx.start(backend, reasoningWorkload({ steps: DUPLICATES }));
    const exit = await task.exit;
    expect(exit).toEqual({
      exitCode: 0,
      signal: '',
      reason: '',
      message: 'reasoning job_test: step "final" answered',
    });
    expect((await fx.stats(manager)).chat_completions).toBe(6);
    const types = sink.events.map((e) => e.type);
    expect(types.at(-2)).toBe('result');
    expect(types.filter((t) => t === 'result')).toHaveLength(1);
    const result = sink.of('result')[0]!.result as ReasoningJobResult;
    expect(result).toMatchObject({
      kind: 'reasoning',
      answer: expect.stringMatching(/^\d+$/) as string,
      accepted: null,
      stoppedEarly: false,
      callsMade: 6,
      callsSavedCache: 0,
      callsSavedInflight: 4,
      stopReason: '',
    });
    expect(result.steps.map((s) => [s.id, s.calls, s.ran])).toEqual([
      ['a', 4, true],
      ['b', 6, true],
      ['final', 0, true],
    ]);
    expect(result.steps[2]!.answer).toBe(result.answer);
    expect(shared.size).toBe(6);
    const summary = sink.lines('stdout').at(-1)!; // logged just before the result
    expect(summary).toBe(
      `reasoning job_test: answer "${result.answer}"; 10 call(s): 6 made, 0 from the cache, 4 shared in flight; ${result.tokens} tokens; completed`,
    );
    expect(sink.of('progress').at(-1)).toEqual({
      type: 'progress',
      fraction: 1,
      message: '10/10 engine calls',
    });

    // The same job again: every call comes from the agent's cache, none reaches the engine.
    const again = await fx.start(backend, reasoningWorkload({ steps: DUPLICATES }));
    expect((await again.task.exit).exitCode).toBe(0);
    expect((await fx.stats(manager)).chat_completions).toBe(6);
    expect(again.sink.of('result')[0]!.result).toMatchObject({
      answer: result.answer,
      callsMade: 0,
      callsSavedCache: 10,
    });
  });

  it('keeps a cache: false job out of the shared cache, yet collapses its own identical calls', async () => {
    const shared = new InProcessStepCache();
    await shared.getOrCompute('unrelated', async () => 'x');
    const { backend, manager } = fx.backend({ stepCache: shared });
    const workload = reasoningWorkload({ cache: false, steps: DUPLICATES });
    const { task, sink } = await fx.start(backend, workload);
    expect((await task.exit).exitCode).toBe(0);
    expect((await fx.stats(manager)).chat_completions).toBe(6);
    expect(sink.of('result')[0]!.result).toMatchObject({ callsMade: 6, callsSavedInflight: 4 });
    expect(shared.size).toBe(1);
    expect(sink.lines('stdout')).toContain(
      'reasoning job_test: 3 step(s), up to 10 engine call(s), 16 at a time; identical calls shared within this job only (cache: false)',
    );
  });

  it('stops early when the exact-answer verifier accepts, and says so', async () => {
    const { backend, manager } = fx.backend();
    const workload = reasoningWorkload({
      max_concurrency: 1,
      steps: [
        { id: 'draft', sample: { n: 32, prompt: '{{question}}', temperature: 1 } },
        {
          id: 'check',
          verify: { input: 'draft', verifier: 'exact-answer', stop_when_accepted: true },
        },
      ],
    });
    const { task, sink } = await fx.start(backend, workload);
    expect(await task.exit).toMatchObject({ exitCode: 0 });
    const result = sink.of('result')[0]!.result as ReasoningJobResult;
    expect(result).toMatchObject({
      answer: '391',
      accepted: true,
      stoppedEarly: true,
      stopReason: 'accepted',
    });
    expect(result.callsMade).toBeLessThan(32);
    expect((await fx.stats(manager)).chat_completions).toBeLessThan(32);
  });

  it('fails the attempt, without a result, when the engine dies mid-run', async () => {
    const { backend } = fx.backend({ command: simulatedWith('--crash-after 2') });
    const workload = reasoningWorkload({
      max_concurrency: 1,
      steps: [{ id: 'draft', sample: { n: 5, prompt: '{{question}}' } }],
    });
    const { task, sink } = await fx.start(backend, workload);
    const exit = await task.exit;
    expect(exit).toMatchObject({ exitCode: 1, reason: 'EngineFailed' });
    expect(exit.message).toMatch(/^reasoning job_test failed: the engine went away: custom engine/);
    expect(exit.message).toContain('crashing on completion request 3 (--crash-after 2)');
    expect(sink.of('result')).toEqual([]);
  });
});
