import { BATCH_LINE_LIMITS, formatBatchLineError, parseBatchLines } from './batch-lines';
import { readRequestLines, requestLine } from './batch-request';

const job = { endpoint: '/v1/chat/completions' as const, model: 'Qwen/Qwen2.5-7B-Instruct' };
const line = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    custom_id: 'a-1',
    method: 'POST',
    url: '/v1/chat/completions',
    body: { messages: [{ role: 'user', content: 'hi' }] },
    ...fields,
  });

/** The formatted errors of a file of these lines. */
function errorsOf(lines: string[]): string[] {
  const result = parseBatchLines(lines, job);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(formatBatchLineError);
}

describe('parseBatchLines', () => {
  it('takes valid lines in order, sets body.model, and skips blank lines', () => {
    const result = parseBatchLines(
      [
        line({ custom_id: 'a-1' }),
        '',
        '  ',
        line({ custom_id: 'a-2', body: { model: job.model, x: 1 } }),
        '',
      ],
      job,
    );
    expect(result).toEqual({
      ok: true,
      requests: [
        {
          index: 0,
          customId: 'a-1',
          url: '/v1/chat/completions',
          body: { messages: [{ role: 'user', content: 'hi' }], model: job.model },
        },
        {
          index: 1,
          customId: 'a-2',
          url: '/v1/chat/completions',
          body: { model: job.model, x: 1 },
        },
      ],
    });
  });

  it.each([
    ['{"custom_id": ', 'line 1: is not valid JSON'],
    ['[1, 2]', 'line 1: is not a JSON object'],
    ['null', 'line 1: is not a JSON object'],
    [line({ custom_id: undefined }), 'line 1: custom_id is required'],
    [line({ custom_id: '' }), 'line 1: custom_id is required'],
    [line({ custom_id: 7 }), 'line 1: custom_id must be a string'],
    [
      line({ custom_id: 'x'.repeat(513) }),
      'line 1: custom_id is 513 characters; at most 512 are allowed',
    ],
    [line({ method: 'GET' }), 'line 1: method must be "POST", not "GET"'],
    [line({ method: undefined }), 'line 1: method must be "POST"'],
    [
      line({ url: '/v1/completions' }),
      `line 1: url must be "/v1/chat/completions" (the job's endpoint), not "/v1/completions"`,
    ],
    [line({ body: 'hi' }), 'line 1: body must be a JSON object'],
    [line({ body: [] }), 'line 1: body must be a JSON object'],
    [line({ body: undefined }), 'line 1: body must be a JSON object'],
    [
      line({ body: { model: 'gpt-4o' } }),
      `line 1: body.model is "gpt-4o"; it must be the job's model "Qwen/Qwen2.5-7B-Instruct"`,
    ],
    [
      line({ body: { stream: true } }),
      'line 1: body.stream must be false (batch answers are not streamed)',
    ],
    [line({ headers: {} }), 'line 1: unknown field(s) headers'],
  ])('rejects %s', (text, message) => {
    expect(errorsOf([text])).toEqual([message]);
  });

  it('names a duplicate custom_id and the line it first appeared on (the doc example)', () => {
    const lines = ['a-1', 'a-2', 'a-3', 'a-4', 'a-5'].map((id) => line({ custom_id: id }));
    lines.splice(3, 0, '');
    lines.push(
      ...Array.from({ length: 10 }, (_, i) => line({ custom_id: `b-${i}` })),
      line({ custom_id: 'a-3' }),
    );
    expect(errorsOf(lines)).toEqual(['line 17: custom_id "a-3" appears twice (first on line 3)']);
  });

  it('reports every problem of every line, numbered from 1', () => {
    expect(errorsOf([line(), line({ custom_id: 'a-2', method: 'PUT', body: 1 }), 'oops'])).toEqual([
      'line 2: method must be "POST", not "PUT"',
      'line 2: body must be a JSON object',
      'line 3: is not valid JSON',
    ]);
  });

  it('rejects an empty file', () => {
    expect(errorsOf(['', ' '])).toEqual(['the file has no requests']);
  });

  it('rejects a file with more than 50000 requests at the first line over', () => {
    const lines = Array.from({ length: BATCH_LINE_LIMITS.maxRequests + 5 }, (_, i) =>
      line({ custom_id: `r${i}` }),
    );
    const result = parseBatchLines(lines, job);
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 50_001, message: 'the file has more than 50000 requests' }],
      errorCount: 1,
    });
  });

  it('keeps the first 100 errors and counts them all', () => {
    const result = parseBatchLines(
      Array.from({ length: 150 }, () => 'x'),
      job,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(100);
      expect(result.errorCount).toBe(150);
    }
  });

  it('round-trips requests through requests.jsonl lines', () => {
    const result = parseBatchLines([line({ custom_id: 'a' }), line({ custom_id: 'b' })], job);
    if (!result.ok) throw new Error('expected requests');
    const text = result.requests.map(requestLine);
    expect(JSON.parse(text[0]!)).toEqual({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { messages: [{ role: 'user', content: 'hi' }], model: job.model },
    });
    expect(readRequestLines(text.slice(1), 1)).toEqual([result.requests[1]]);
    expect(() => readRequestLines(['{"custom_id": 1}'], 7)).toThrow('request line 8 is damaged');
  });
});
