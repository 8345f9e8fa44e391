import { parseJobSpec } from '@gantry/domain';
import { completeLines, LocalDirectoryStore } from '@gantry/files';
import { toProtoSpec } from '@gantry/grpc';
import type { TaskEvent } from '@gantry/proto';
import { eventually, isAlive } from '@gantry/testing';
import { parseShardProgress } from '@gantry/workloads';
import { AgentFixture } from './agent-fixture';

const PARENT = `job_${'0'.repeat(10)}${'p'.repeat(16)}`;
const PREFIX = `jobs/${PARENT}/shards/0/`;
const task = (taskId: string, attempt = 1) => ({ taskId, jobId: taskId, attempt, rank: 0 });
const cases = (events: TaskEvent[]) => events.map((e) => e.payload!.$case);
const logLines = (events: TaskEvent[]) =>
  events.flatMap((e) => (e.payload?.$case === 'log' ? e.payload.log.lines : []));

/** A job spec on the wire, as the control plane sends it. */
const spec = (input: Record<string, unknown>) => toProtoSpec(parseJobSpec(input));

describe('node agent: inference tasks on its engines', () => {
  let fx: AgentFixture;
  beforeAll(() => AgentFixture.build());
  afterAll(() => AgentFixture.clean());
  beforeEach(async () => {
    fx = await new AgentFixture().start();
    await fx.registered();
  });
  afterEach(async () => fx.destroy());

  it('runs a shard on the simulated engine: progress for the batch counts, answers in its file, a warm engine', async () => {
    const store = new LocalDirectoryStore(fx.storageDir);
    const requests = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({
        custom_id: `r-${i}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'm', messages: [{ role: 'user', content: `What is ${i} * 3?` }] },
      }),
    );
    await store.put(`jobs/${PARENT}/requests.jsonl`, `${requests.join('\n')}\n`);
    const shard = spec({
      resources: { gpus: 1 },
      shard: {
        parent_job_id: PARENT,
        index: 0,
        count: 1,
        model: 'm',
        endpoint: '/v1/chat/completions',
        requests_key: `jobs/${PARENT}/requests.jsonl`,
        first_line: 0,
        line_count: 8,
        max_concurrency: 3,
        output_prefix: PREFIX,
      },
    });
    await fx.rpc.runTask({ task: task('job_shard'), spec: shard, gpuIndices: [2] });
    const events = await fx.exited('job_shard');
    expect(events[0]!.payload).toEqual({
      $case: 'started',
      started: { backend: 'openai', pid: 0 },
    });
    expect(logLines(events)[0]).toBe('starting engine simulated for m@main on GPUs 2');
    const progress = events.flatMap((e) =>
      e.payload?.$case === 'progress' ? [e.payload.progress] : [],
    );
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(parseShardProgress(progress.at(-1)!.message)).toEqual({
      done: 8,
      total: 8,
      answered: 8,
      failed: 0,
    });
    expect(events.at(-1)!.payload).toMatchObject({ exited: { exitCode: 0, reason: '' } });
    const out: string[] = [];
    for await (const line of completeLines(store.read(`${PREFIX}attempt-1.out.jsonl`)))
      out.push(line);
    expect(out.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `r-${i}`),
    );
    // The engine stays warm, idle, for the next task of the model; the heartbeats say so.
    const warm = await eventually('a heartbeat with the idle warm engine', () =>
      fx.gateway.heartbeats
        .map((h) => h.request.inventory?.warmEngines ?? [])
        .find((w) => w.length > 0 && !w[0]!.busy),
    );
    expect(warm).toEqual([
      { model: 'm', revision: 'main', engine: 'simulated', gpuIndices: [2], busy: false },
    ]);
    // The agent's shutdown stops it.
    const ready = await fx.agent.waitForLog('engine ready', (l) => l.msg === 'engine ready');
    const pid = (ready['engine'] as { pid: number }).pid;
    expect(isAlive(pid)).toBe(true);
    await fx.agent.stop();
    expect(fx.agent.lines).toContainEqual(
      expect.objectContaining({ msg: 'engine stopped', cause: 'shutdown' }),
    );
    expect(isAlive(pid)).toBe(false);
  });

  it('runs a reasoning task: identical calls claimed once, the result before the exit', async () => {
    const reasoning = spec({
      resources: { gpus: 1 },
      inference_reasoning: {
        model: 'm',
        question: 'What is 17 * 23?',
        answer: '391',
        steps: [
          { id: 'a', sample: { n: 4, prompt: '{{question}}', temperature: 0.8 } },
          { id: 'b', sample: { n: 6, prompt: '{{question}}', temperature: 0.8 } },
          { id: 'final', vote: { input: 'b' } },
        ],
      },
    });
    await fx.rpc.runTask({ task: task('job_reason'), spec: reasoning, gpuIndices: [0] });
    const events = await fx.exited('job_reason');
    expect(cases(events).slice(-2)).toEqual(['result', 'exited']);
    const result = events.at(-2)!.payload;
    expect(result).toMatchObject({
      $case: 'result',
      result: {
        result: {
          kind: {
            $case: 'reasoning',
            reasoning: { callsMade: 6, callsSavedCache: 0, callsSavedInflight: 4, stopReason: '' },
          },
        },
      },
    });
    expect(events.at(-1)!.payload).toMatchObject({
      exited: { exitCode: 0, message: 'reasoning job_reason: step "final" answered' },
    });
    // b's first four calls were a's, in flight: the agent claimed each distinct call once.
    expect(fx.gateway.stepClaims).toHaveLength(6);
    expect(new Set(fx.gateway.stepClaims).size).toBe(6);
    expect(logLines(events).some((l) => l.startsWith('reasoning job_reason: answer '))).toBe(true);
  });
});
