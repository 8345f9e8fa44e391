import { readAttemptLines, settledCustomIds } from './attempt-lines';
import type { BatchRequest } from './batch-request';
import { chooseLines, mergeBatchResults } from './merge';
import { answerLine, formatOutputLine, unansweredLine, type BatchOutputLine } from './output-lines';
import { isFinalBatchStatus, sumRequestCounts } from './status';

const request = (index: number, customId = `a-${index}`): BatchRequest => ({
  index,
  customId,
  url: '/v1/completions',
  body: { model: 'm', prompt: 'p' },
});
const ok = (index: number, text = 'yes') =>
  answerLine(request(index), { status: 200, requestId: `r${index}`, body: { choices: [{ text }] } })
    .line;
const failed = (index: number, status: number) =>
  answerLine(request(index), { status, requestId: '', body: { error: { message: 'busy' } } }).line;

describe('output lines', () => {
  it('writes an answer in the OpenAI Batch format', () => {
    expect(
      answerLine(request(4), { status: 200, requestId: 'abc', body: { choices: [] } }),
    ).toEqual({
      file: 'output',
      line: {
        id: 'req_5',
        custom_id: 'a-4',
        response: { status_code: 200, request_id: 'abc', body: { choices: [] } },
        error: null,
      },
    });
  });

  it('sends an error status to the error file with its response and message', () => {
    expect(
      answerLine(request(0), {
        status: 503,
        requestId: 'x',
        body: { error: { message: 'overloaded' } },
      }),
    ).toEqual({
      file: 'error',
      line: {
        id: 'req_1',
        custom_id: 'a-0',
        response: { status_code: 503, request_id: 'x', body: { error: { message: 'overloaded' } } },
        error: { code: 'engine_error', message: 'the engine answered 503: overloaded' },
      },
    });
    expect(
      answerLine(request(0), { status: 400, requestId: '', body: 'bad prompt' }).line.error,
    ).toEqual({
      code: 'engine_error',
      message: 'the engine answered 400: bad prompt',
    });
  });

  it('writes the line of a request never answered', () => {
    expect(unansweredLine(request(2), 'batch_expired')).toEqual({
      id: 'req_3',
      custom_id: 'a-2',
      response: null,
      error: {
        code: 'batch_expired',
        message: 'the completion window ran out before this request was answered',
      },
    });
  });
});

describe('reading attempt files', () => {
  const text = (lines: BatchOutputLine[]) => lines.map(formatOutputLine);

  it('reads every line and ignores a torn last line', () => {
    const lines = [...text([ok(0), failed(1, 500)]), formatOutputLine(ok(2)).slice(0, 30)];
    expect(readAttemptLines(lines, 'attempt-1.out.jsonl')).toEqual({
      lines: [ok(0), failed(1, 500)],
      tornLastLine: true,
    });
    expect(readAttemptLines([...text([ok(0)]), ''], 'f')).toEqual({
      lines: [ok(0)],
      tornLastLine: false,
    });
  });

  it('refuses a damaged line that is not the last', () => {
    const lines = [formatOutputLine(ok(0)), '{"id": "req_2"', formatOutputLine(ok(2))];
    expect(() => readAttemptLines(lines, 'shards/0/attempt-1.out.jsonl')).toThrow(
      'shards/0/attempt-1.out.jsonl line 2 is damaged (not the last line)',
    );
  });

  it('settles answers and client errors, not server errors or unanswered requests', () => {
    const lines = [
      ok(0),
      failed(1, 400),
      failed(2, 500),
      unansweredLine(request(3), 'batch_cancelled'),
    ];
    expect([...settledCustomIds(lines)]).toEqual(['a-0', 'a-1']);
  });
});

describe('merging shard attempts', () => {
  const requests = [0, 1, 2, 3, 4].map((i) => request(i));

  it('keeps the first answer per custom_id, and an answer over an earlier error', () => {
    const first = { ...ok(0, 'first') };
    const lines = [
      failed(1, 500),
      first,
      ok(0, 'second'),
      ok(1, 'retried'),
      failed(2, 429),
      failed(2, 500),
      ok(3),
    ];
    const merged = mergeBatchResults(requests, lines, 'batch_expired');
    expect(merged.output).toEqual([first, ok(1, 'retried'), ok(3)]);
    expect(merged.errors).toEqual([failed(2, 429), unansweredLine(request(4), 'batch_expired')]);
    expect(merged.counts).toEqual({ total: 5, completed: 3, failed: 2 });
  });

  it('keeps an answer that came first over a later error', () => {
    expect(chooseLines([ok(0), failed(0, 500)]).get('a-0')).toEqual(ok(0));
  });

  it('marks the requests of a cancelled batch', () => {
    const merged = mergeBatchResults(requests.slice(0, 2), [ok(1)], 'batch_cancelled');
    expect(merged.errors.map((l) => l.error?.code)).toEqual(['batch_cancelled']);
    expect(merged.output.map((l) => l.custom_id)).toEqual(['a-1']);
  });

  it('sums request counts and knows the final statuses', () => {
    expect(
      sumRequestCounts([
        { total: 3, completed: 2, failed: 1 },
        { total: 4, completed: 1, failed: 0 },
      ]),
    ).toEqual({ total: 7, completed: 3, failed: 1 });
    expect(
      ['in_progress', 'finalizing', 'completed', 'expired'].map((s) =>
        isFinalBatchStatus(s as never),
      ),
    ).toEqual([false, false, true, true]);
  });
});
