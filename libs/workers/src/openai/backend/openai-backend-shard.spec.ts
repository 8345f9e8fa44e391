import { parseShardProgress, type BatchOutputLine } from '@gantry/workloads';
import {
  OpenAIBackendFixture,
  PARENT_JOB,
  shardWorkload,
  simulatedWith,
} from '../../testing/openai-backend-fixture';

const PREFIX = `jobs/${PARENT_JOB}/shards/1/`;
const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as BatchOutputLine);
const ids = (lines: BatchOutputLine[]) => lines.map((l) => l.custom_id);
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `c-${from + i}`);

/** The openai backend running shards over the real simulated engine and a real directory. */
describe('OpenAIBackend: shards', () => {
  const fx = new OpenAIBackendFixture();
  beforeAll(() => fx.setUp());
  afterAll(() => fx.tearDown());
  beforeEach(() => fx.beforeEach());
  afterEach(() => fx.afterEach());

  it('answers every request of its lines once, into its own output file', async () => {
    await fx.writeRequests(30);
    const { backend, manager } = fx.backend();
    const workload = shardWorkload({ first_line: 10, line_count: 12, max_concurrency: 4 });
    const { task, sink } = await fx.start(backend, workload);
    const exit = await task.exit;
    expect(exit).toEqual({
      exitCode: 0,
      signal: '',
      reason: '',
      message: `shard 1 of 3 (${PARENT_JOB}): all 12 requests settled (12 sent: 12 answered, 0 failed; 0 settled by earlier attempts)`,
    });
    expect(sink.events[0]).toEqual({ type: 'started', backend: 'openai', pid: 0 });
    expect(sink.events.at(-1)).toEqual({ type: 'exited', ...exit });
    expect(sink.lines('stdout')[0]).toBe('starting engine simulated for m@main on GPUs 0');
    const out = parse(await fx.lines(`${PREFIX}attempt-1.out.jsonl`));
    expect(ids(out).sort()).toEqual(range(10, 22).sort());
    for (const line of out) {
      const n = Number(line.custom_id.slice(2));
      expect(line).toMatchObject({ id: `req_${n + 1}`, response: { status_code: 200 } });
    }
    expect(await fx.store.stat(`${PREFIX}attempt-1.err.jsonl`)).toBeNull();
    expect((await fx.stats(manager)).completions).toBe(12);
    const progress = sink.of('progress');
    expect(progress[0]).toEqual({
      type: 'progress',
      fraction: 0,
      message: '0/12 requests settled (0 answered, 0 failed)',
    });
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(parseShardProgress(progress.at(-1)!.message)).toEqual({
      done: 12,
      total: 12,
      answered: 12,
      failed: 0,
    });
    expect(manager.warmEngines()).toMatchObject([{ state: 'ready', leases: 0 }]);
  });

  it('writes answers with an error status to the error file and counts them failed', async () => {
    await fx.writeRequests(20);
    const { backend } = fx.backend({ command: simulatedWith('--fail-rate 0.4 --seed 3') });
    const { task, sink } = await fx.start(backend, shardWorkload({ line_count: 20 }));
    expect((await task.exit).exitCode).toBe(0);
    const out = parse(await fx.lines(`${PREFIX}attempt-1.out.jsonl`));
    const err = parse(await fx.lines(`${PREFIX}attempt-1.err.jsonl`));
    expect(err.length).toBeGreaterThan(0);
    expect(
      err.every((l) => l.error?.code === 'engine_error' && l.response?.status_code === 500),
    ).toBe(true);
    expect([...ids(out), ...ids(err)].sort()).toEqual(range(0, 20).sort());
    expect(parseShardProgress(sink.of('progress').at(-1)!.message)).toEqual({
      done: 20,
      total: 20,
      answered: out.length,
      failed: err.length,
    });
  });

  it('fails the attempt (EngineFailed: run again) when the engine crashes mid-shard, with the log tail; the next attempt sends only the rest', async () => {
    await fx.writeRequests(12);
    const workload = shardWorkload({ line_count: 12, max_concurrency: 1 });
    const crashing = fx.backend({ command: simulatedWith('--crash-after 5') });
    const first = await fx.start(crashing.backend, workload, { attempt: 1 });
    const failed = await first.task.exit;
    expect(failed).toMatchObject({ exitCode: 1, signal: '', reason: 'EngineFailed' });
    expect(failed.message).toMatch(
      new RegExp(
        `^shard 1 of 3 \\(${PARENT_JOB}\\) failed: the engine went away: custom engine for m@main on GPUs 0 exited with code 1; last \\d+ lines of its log:`,
      ),
    );
    expect(failed.message).toContain(
      'simulated-engine: crashing on completion request 6 (--crash-after 5)',
    );
    expect(ids(parse(await fx.lines(`${PREFIX}attempt-1.out.jsonl`)))).toEqual(range(0, 5));

    const healthy = fx.backend();
    const second = await fx.start(healthy.backend, workload, { attempt: 2 });
    expect(await second.task.exit).toMatchObject({ exitCode: 0 });
    expect((await fx.stats(healthy.manager)).completions).toBe(7);
    const union = [
      ...parse(await fx.lines(`${PREFIX}attempt-1.out.jsonl`)),
      ...parse(await fx.lines(`${PREFIX}attempt-2.out.jsonl`)),
    ];
    expect(ids(union).sort()).toEqual(range(0, 12).sort());
    expect(parseShardProgress(second.sink.of('progress')[0]!.message)).toEqual({
      done: 5,
      total: 12,
      answered: 5,
      failed: 0,
    });
  });

  it('resumes from files an earlier attempt left: answers and 4xx are settled, 5xx and a torn line are sent again', async () => {
    await fx.writeRequests(8);
    const line = (n: number, status: number) =>
      JSON.stringify({
        id: `req_${n + 1}`,
        custom_id: `c-${n}`,
        response: { status_code: status, request_id: 'r', body: {} },
        error: status === 200 ? null : { code: 'engine_error', message: `status ${status}` },
      });
    await fx.store.append(`${PREFIX}attempt-1.out.jsonl`, `${line(0, 200)}\n${line(1, 200)}\n`);
    await fx.store.append(`${PREFIX}attempt-1.err.jsonl`, `${line(2, 400)}\n${line(3, 503)}\n`);
    await fx.store.append(
      `${PREFIX}attempt-2.out.jsonl`,
      `${line(4, 200)}\n${line(5, 200).slice(0, 30)}`,
    );
    await fx.store.append(`${PREFIX}attempt-7.out.jsonl`, `${line(6, 200)}\n`); // a later attempt's
    const { backend, manager } = fx.backend();
    const { task, sink } = await fx.start(backend, shardWorkload({ line_count: 8 }), {
      attempt: 3,
    });
    expect(await task.exit).toMatchObject({ exitCode: 0 });
    expect((await fx.stats(manager)).completions).toBe(4);
    const sent = parse(await fx.lines(`${PREFIX}attempt-3.out.jsonl`));
    expect(ids(sent).sort()).toEqual(['c-3', 'c-5', 'c-6', 'c-7']);
    expect(sink.lines('stdout')).toContain(
      `${PREFIX}attempt-2.out.jsonl: its torn last line was ignored (that request is sent again)`,
    );
    expect(parseShardProgress(sink.of('progress').at(-1)!.message)).toEqual({
      done: 8,
      total: 8,
      answered: 7,
      failed: 1,
    });
  });

  it('fails without an engine call when its request lines are missing', async () => {
    await fx.writeRequests(3);
    const { backend } = fx.backend();
    const { task } = await fx.start(backend, shardWorkload({ first_line: 2, line_count: 5 }));
    expect(await task.exit).toEqual({
      exitCode: 1,
      signal: '',
      reason: '',
      message: `shard 1 of 3 (${PARENT_JOB}) failed: jobs/${PARENT_JOB}/requests.jsonl has 3 lines; shard 1 needs lines 3-7`,
    });
  });
});
