import { UnavailableError } from '@gantry/domain';
import { chatAnswer, FakeInferenceClient, promptOf } from '../testing/fake-inference-client';
import type { InferenceCall } from '../ports';
import { readAttemptLines, settledCustomIds } from './attempt-lines';
import type { BatchRequest } from './batch-request';
import { mergeBatchResults } from './merge';
import { formatOutputLine, type BatchOutputLine } from './output-lines';
import { runShard, type ShardSink } from './shard-runner';

const requests: BatchRequest[] = Array.from({ length: 10 }, (_, i) => ({
  index: i,
  customId: `q-${i}`,
  url: '/v1/chat/completions',
  body: { model: 'm', messages: [{ role: 'user', content: `question ${i}` }] },
}));

/** A sink that keeps the attempt's files as lines of text, like the FileStore would. */
class MemorySink implements ShardSink {
  readonly out: string[] = [];
  readonly err: string[] = [];
  writing = 0;
  peakWriting = 0;
  async answered(line: BatchOutputLine) {
    await this.append(this.out, line);
  }
  async failed(line: BatchOutputLine) {
    await this.append(this.err, line);
  }
  private async append(file: string[], line: BatchOutputLine) {
    this.writing++;
    this.peakWriting = Math.max(this.peakWriting, this.writing);
    await Promise.resolve();
    file.push(formatOutputLine(line));
    this.writing--;
  }
}

const ids = (lines: string[]) => lines.map((l) => (JSON.parse(l) as BatchOutputLine).custom_id);
const askedIds = (client: FakeInferenceClient) =>
  client.calls.map((c) => promptOf(c).replace('question ', 'q-'));

describe('runShard', () => {
  it('answers every request, with the engine answer in the output file', async () => {
    const client = new FakeInferenceClient(chatAnswer((call) => `answer to ${promptOf(call)}`));
    const sink = new MemorySink();
    const progress: Array<[number, number]> = [];
    const counts = await runShard({
      requests: requests.slice(0, 3),
      answered: new Set(),
      client,
      concurrency: 2,
      sink,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(counts).toEqual({ total: 3, skipped: 0, answered: 3, failed: 0 });
    expect(client.calls[0]).toEqual({ endpoint: '/v1/chat/completions', body: requests[0]!.body });
    expect(JSON.parse(sink.out[0]!)).toMatchObject({
      id: 'req_1',
      custom_id: 'q-0',
      response: {
        status_code: 200,
        body: { choices: [{ message: { content: 'answer to question 0' } }] },
      },
      error: null,
    });
    expect(progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('skips the custom_ids earlier attempts settled', async () => {
    const client = new FakeInferenceClient();
    const sink = new MemorySink();
    const counts = await runShard({
      requests,
      answered: new Set(['q-1', 'q-4', 'q-9', 'not-in-shard']),
      client,
      concurrency: 4,
      sink,
    });
    expect(counts).toEqual({ total: 10, skipped: 3, answered: 7, failed: 0 });
    expect(askedIds(client).sort()).toEqual(['q-0', 'q-2', 'q-3', 'q-5', 'q-6', 'q-7', 'q-8']);
    expect(ids(sink.out).sort()).toEqual(askedIds(client).sort());
  });

  it('never has more requests in flight than its concurrency, and uses all of it', async () => {
    const client = new FakeInferenceClient();
    const sink = new MemorySink();
    await runShard({ requests, answered: new Set(), client, concurrency: 3, sink });
    expect(client.calls).toHaveLength(10);
    expect(client.peakInFlight).toBe(3);
    expect(sink.peakWriting).toBe(1);
  });

  it('sends engine error statuses to the error file and goes on', async () => {
    const statusOf = (call: InferenceCall) =>
      ({ 'question 1': 500, 'question 2': 400 })[promptOf(call)] ?? 200;
    const client = new FakeInferenceClient((call) => ({
      status: statusOf(call),
      requestId: 'r',
      body: statusOf(call) === 200 ? { choices: [] } : { error: { message: 'no' } },
    }));
    const sink = new MemorySink();
    const counts = await runShard({
      requests: requests.slice(0, 4),
      answered: new Set(),
      client,
      concurrency: 1,
      sink,
    });
    expect(counts).toEqual({ total: 4, skipped: 0, answered: 2, failed: 2 });
    expect(ids(sink.out)).toEqual(['q-0', 'q-3']);
    expect(sink.err.map((l) => JSON.parse(l) as BatchOutputLine)).toMatchObject([
      {
        custom_id: 'q-1',
        response: { status_code: 500 },
        error: { code: 'engine_error', message: 'the engine answered 500: no' },
      },
      { custom_id: 'q-2', response: { status_code: 400 }, error: { code: 'engine_error' } },
    ]);
  });

  it('fails the attempt when the engine cannot be reached, keeping the answers it had', async () => {
    const client = new FakeInferenceClient((call) =>
      promptOf(call) === 'question 3'
        ? new Error('connect ECONNREFUSED 127.0.0.1:8000')
        : chatAnswer(() => 'ok')(call),
    );
    const sink = new MemorySink();
    const run = runShard({ requests, answered: new Set(), client, concurrency: 1, sink });
    await expect(run).rejects.toThrow(UnavailableError);
    await expect(run).rejects.toThrow(
      'the engine did not answer request "q-3" (req_4): connect ECONNREFUSED 127.0.0.1:8000',
    );
    expect(ids(sink.out)).toEqual(['q-0', 'q-1', 'q-2']);
    expect(client.calls).toHaveLength(4);
  });

  it('stops promptly on abort: in-flight calls end, no new one starts', async () => {
    const client = new FakeInferenceClient();
    client.hold = true;
    const sink = new MemorySink();
    const abort = new AbortController();
    const run = runShard({
      requests,
      answered: new Set(),
      client,
      concurrency: 2,
      sink,
      signal: abort.signal,
    });
    await client.when((c) => c.calls.length === 2);
    abort.abort(new Error('task cancelled'));
    await expect(run).rejects.toThrow('task cancelled');
    expect(client.calls).toHaveLength(2);
    expect(sink.out).toEqual([]);
  });

  it('resumes after a failed attempt without duplicates, ignoring a torn last line', async () => {
    let reachable = 6;
    const client = new FakeInferenceClient((call) =>
      reachable-- > 0 ? chatAnswer(() => 'ok')(call) : new Error('socket hang up'),
    );
    const first = new MemorySink();
    await expect(
      runShard({ requests, answered: new Set(), client, concurrency: 1, sink: first }),
    ).rejects.toThrow('socket hang up');
    const last = first.out.pop()!;
    const attempt1 = [...first.out, last.slice(0, 40)]; // the crash tore the last append
    const read = readAttemptLines(attempt1, 'attempt-1.out.jsonl');
    expect(read.tornLastLine).toBe(true);

    reachable = Infinity;
    const second = new MemorySink();
    const counts = await runShard({
      requests,
      answered: settledCustomIds(read.lines),
      client,
      concurrency: 3,
      sink: second,
    });
    expect(counts).toEqual({ total: 10, skipped: 5, answered: 5, failed: 0 });
    const all = [...read.lines, ...readAttemptLines(second.out, 'attempt-2.out.jsonl').lines];
    const merged = mergeBatchResults(requests, all, 'batch_expired');
    expect(merged.output.map((l) => l.custom_id)).toEqual(requests.map((r) => r.customId));
    expect(merged.counts).toEqual({ total: 10, completed: 10, failed: 0 });
  });

  it('rejects a concurrency below 1', async () => {
    const run = runShard({
      requests,
      answered: new Set(),
      client: new FakeInferenceClient(),
      concurrency: 0,
      sink: new MemorySink(),
    });
    await expect(run).rejects.toThrow('concurrency must be a whole number >= 1, got 0');
  });
});
