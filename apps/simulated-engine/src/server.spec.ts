import type { EngineOptions } from './options';
import { startSimulatedEngine, type SimulatedEngine } from './server';

const defaults: EngineOptions = {
  model: 'sim-7b',
  host: '127.0.0.1',
  port: 0,
  accuracy: 0.7,
  seed: 0,
  latencyMs: 0,
  failRate: 0,
  crashAfter: null,
  startupDelayMs: 0,
};

/** The fields of the engine's JSON answers the tests read (each present on some answers). */
interface Body {
  id: string;
  object: string;
  created: number;
  model: string;
  data: unknown[];
  choices: {
    index: number;
    text: string;
    message: { role: string; content: string };
    finish_reason: string;
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  error: { message: string; type: string; param: string | null; code: string | null };
}

describe('simulated engine server', () => {
  const engines: SimulatedEngine[] = [];
  const crashes: number[] = [];

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
    crashes.length = 0;
  });

  async function start(options: Partial<EngineOptions> = {}) {
    const engine = await startSimulatedEngine({
      engine: { ...defaults, ...options },
      onCrash: (n) => crashes.push(n),
      now: () => 1_700_000_000_123,
    });
    engines.push(engine);
    const url = `http://127.0.0.1:${engine.port}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: res.status,
        requestId: res.headers.get('x-request-id'),
        body: (await res.json()) as Body,
      };
    };
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      return {
        status: res.status,
        requestId: res.headers.get('x-request-id'),
        body: (await res.json()) as Body,
      };
    };
    return { engine, url, post, get };
  }

  it('serves /health and /v1/models, with a request id on every response', async () => {
    const { get } = await start();
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.requestId).toMatch(/^[0-9a-f]{24}$/);
    const models = await get('/v1/models');
    expect(models).toMatchObject({
      status: 200,
      body: {
        object: 'list',
        data: [{ id: 'sim-7b', object: 'model', created: 1_700_000_000 }],
      },
    });
    expect(models.requestId).not.toBe(health.requestId);
  });

  it('answers /v1/completions in OpenAI shape, n choices each as if seed + i', async () => {
    const { post } = await start();
    const prompt = 'What is 17 * 23?';
    const answer = await post('/v1/completions', { model: 'sim-7b', prompt, n: 3, seed: 10 });
    expect(answer.status).toBe(200);
    expect(answer.requestId).toMatch(/^[0-9a-f]{24}$/);
    expect(answer.body).toMatchObject({
      id: `cmpl-${answer.requestId}`,
      object: 'text_completion',
      created: 1_700_000_000,
      model: 'sim-7b',
    });
    const choices = answer.body.choices;
    expect(choices.map((c) => [c.index, c.finish_reason])).toEqual([
      [0, 'stop'],
      [1, 'stop'],
      [2, 'stop'],
    ]);
    for (const [i, choice] of choices.entries()) {
      expect(choice.text).toMatch(/The answer is \\boxed\{-?\d+\}\.$/);
      // `prompt` may be an array of one string; no `model` means the served one.
      const single = await post('/v1/completions', { prompt: [prompt], seed: 10 + i });
      expect(single.body.choices[0]!.text).toBe(choice.text);
    }
    const words = (s: string) => s.split(/\s+/).length;
    const completionTokens = choices.reduce((sum, c) => sum + words(c.text), 0);
    expect(answer.body.usage).toEqual({
      prompt_tokens: 5, // What is 17 * 23?
      completion_tokens: completionTokens,
      total_tokens: 5 + completionTokens,
    });
  });

  it('answers /v1/chat/completions in OpenAI shape and honours max_tokens', async () => {
    const { post } = await start();
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'Tell me about GPUs' }] },
    ];
    const full = await post('/v1/chat/completions', { model: 'sim-7b', messages });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      id: `chatcmpl-${full.requestId}`,
      object: 'chat.completion',
      model: 'sim-7b',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 7 },
    });
    const text = full.body.choices[0]!.message.content;
    const cut = await post('/v1/chat/completions', { messages, max_tokens: 3 });
    expect(cut.body.choices[0]).toMatchObject({
      message: { content: text.split(' ').slice(0, 3).join(' ') },
      finish_reason: 'length',
    });
    expect(cut.body.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    const cut2 = await post('/v1/chat/completions', { messages, max_completion_tokens: 2 });
    expect(cut2.body.usage.completion_tokens).toBe(2);
  });

  it('with temperature 0 answers the same whatever the seed', async () => {
    const { post } = await start();
    const body = { prompt: 'What is 12 * 12?', temperature: 0 };
    const texts = new Set<string>();
    for (let seed = 0; seed < 8; seed++)
      texts.add((await post('/v1/completions', { ...body, seed })).body.choices[0]!.text);
    expect(texts.size).toBe(1);
    const n = await post('/v1/completions', { ...body, n: 4 });
    expect(new Set(n.body.choices.map((c) => c.text))).toEqual(texts);
  });

  it('answers bad requests with OpenAI error bodies naming the field, and counts calls', async () => {
    const { post, get, url } = await start();
    const cases: [string, unknown, number, string | null, string][] = [
      ['/v1/completions', { model: 'other', prompt: 'hi' }, 404, 'model', 'other'],
      ['/v1/completions', '{"prompt": ', 400, 'body', 'not valid JSON'],
      ['/v1/completions', { model: 'sim-7b' }, 400, 'prompt', 'required'],
      ['/v1/completions', { prompt: ['a', 'b'] }, 400, 'prompt', 'one string'],
      ['/v1/completions', { prompt: 'x', n: 0 }, 400, 'n', 'from 1 to 128'],
      ['/v1/completions', { prompt: 'x', max_tokens: 'ten' }, 400, 'max_tokens', 'integer'],
      ['/v1/completions', { prompt: 'x', temperature: 3 }, 400, 'temperature', '0 to 2'],
      ['/v1/completions', { prompt: 'x', seed: 1.5 }, 400, 'seed', 'integer'],
      ['/v1/completions', { prompt: 'x', stream: true }, 400, 'stream', 'streaming'],
      ['/v1/chat/completions', { prompt: 'x' }, 400, 'messages', 'required'],
      ['/v1/chat/completions', { messages: [] }, 400, 'messages', 'non-empty'],
      ['/v1/chat/completions', { messages: [{ content: 'x' }] }, 400, 'messages[0].role', 'one of'],
      [
        '/v1/chat/completions',
        { messages: [{ role: 'user' }] },
        400,
        'messages[0].content',
        'required',
      ],
      ['/v1/chat/completions', [1], 400, 'body', 'JSON object'],
    ];
    for (const [path, body, status, param, message] of cases) {
      const answer = await post(path, body);
      expect({ path, body, status: answer.status, param: answer.body.error?.param }).toEqual({
        path,
        body,
        status,
        param,
      });
      expect(answer.body.error.type).toBe('invalid_request_error');
      expect(answer.body.error.message).toContain(message);
    }
    expect((await post('/v1/completions', { model: 'other', prompt: 'x' })).body.error.code).toBe(
      'model_not_found',
    );
    await post('/v1/completions', { prompt: 'x' });
    await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] });
    await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'y' }] });
    expect((await get('/stats')).body).toEqual({
      completions: 1,
      chat_completions: 2,
      failed: cases.length + 1,
      total: cases.length + 4,
    });
    expect((await get('/nope')).status).toBe(404);
    const wrongMethod = await fetch(`${url}/v1/completions`);
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('fails the --fail-rate fraction of requests with 500, deterministically per seed', async () => {
    const outcomes = async (seed: number) => {
      const { post } = await start({ failRate: 0.5, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const answer = await post('/v1/completions', { prompt: 'x' });
        if (answer.status === 500) expect(answer.body.error.type).toBe('server_error');
        statuses.push(answer.status);
      }
      return statuses;
    };
    const first = await outcomes(7);
    expect(new Set(first)).toEqual(new Set([200, 500]));
    expect(await outcomes(7)).toEqual(first);
    const { post } = await start({ failRate: 1 });
    expect(
      (await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] })).status,
    ).toBe(500);
  });

  it('with --crash-after N answers N requests, then crashes on the next', async () => {
    const { post, get } = await start({ crashAfter: 2 });
    expect((await get('/health')).status).toBe(200); // not counted
    expect((await post('/v1/completions', { prompt: 'a' })).status).toBe(200);
    expect((await post('/v1/completions', { prompt: 'b' })).status).toBe(200);
    expect(crashes).toEqual([]);
    await expect(post('/v1/completions', { prompt: 'c' })).rejects.toThrow();
    expect(crashes).toEqual([3]);
  });

  it('waits --latency-ms before each answer and --startup-delay-ms before listening', async () => {
    const before = performance.now();
    const { post } = await start({ latencyMs: 60, startupDelayMs: 60 });
    expect(performance.now() - before).toBeGreaterThanOrEqual(55);
    const sent = performance.now();
    expect((await post('/v1/completions', { prompt: 'x' })).status).toBe(200);
    expect(performance.now() - sent).toBeGreaterThanOrEqual(55);
  });

  it('closes, safely twice, and then refuses connections', async () => {
    const { engine, url } = await start();
    await engine.close();
    await engine.close();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
