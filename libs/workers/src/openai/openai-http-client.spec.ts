import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualTimers } from '../testing/manual-timers';
import { EngineUnreachableError } from './engine-errors';
import { OpenAIHttpClient } from './openai-http-client';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: unknown;
}

describe('OpenAIHttpClient', () => {
  let server: Server;
  let baseUrl: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const received: Received[] = [];
  const arrived: (() => void)[] = [];

  beforeEach(async () => {
    received.length = 0;
    server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        received.push({
          method: req.method!,
          url: req.url!,
          contentType: req.headers['content-type'],
          body: JSON.parse(text),
        });
        arrived.splice(0).forEach((notify) => notify());
        handler(req, res);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  const nextRequest = () => new Promise<void>((resolve) => arrived.push(resolve));
  const call = { endpoint: '/v1/chat/completions', body: { model: 'm', messages: [] } } as const;

  it('POSTs JSON to baseUrl + endpoint and resolves with status, JSON body and request id', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-7' });
      res.end(JSON.stringify({ id: 'chatcmpl-1', choices: [] }));
    };
    const client = new OpenAIHttpClient({ baseUrl: `${baseUrl}/`, timeoutMs: 10_000 });
    expect(await client.call(call)).toEqual({
      status: 200,
      body: { id: 'chatcmpl-1', choices: [] },
      requestId: 'req-7',
    });
    expect(received).toEqual([
      {
        method: 'POST',
        url: '/v1/chat/completions',
        contentType: 'application/json',
        body: { model: 'm', messages: [] },
      },
    ]);
  });

  it('resolves with error statuses too, and with the raw text of a body that is not JSON', async () => {
    handler = (req, res) => {
      if (req.url === '/v1/completions') {
        res.writeHead(503);
        return void res.end('engine overloaded');
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'bad', param: 'messages' } }));
    };
    const client = new OpenAIHttpClient({ baseUrl, timeoutMs: 10_000 });
    expect(await client.call(call)).toEqual({
      status: 400,
      body: { error: { message: 'bad', param: 'messages' } },
      requestId: '',
    });
    expect(await client.call({ endpoint: '/v1/completions', body: { prompt: 'x' } })).toEqual({
      status: 503,
      body: 'engine overloaded',
      requestId: '',
    });
  });

  it('rejects with EngineUnreachableError when nothing listens', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const client = new OpenAIHttpClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 10_000 });
    const error = await client.call(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnreachableError);
    expect((error as EngineUnreachableError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^engine at http://127.0.0.1:${port}/v1/chat/completions unreachable: .*ECONNREFUSED`,
      ),
    );
  });

  it('rejects with EngineUnreachableError when the engine drops the connection', async () => {
    handler = (req) => req.socket.destroy();
    const client = new OpenAIHttpClient({ baseUrl, timeoutMs: 10_000 });
    await expect(client.call(call)).rejects.toBeInstanceOf(EngineUnreachableError);
  });

  it('rejects with EngineUnreachableError once the call outlives its timeout', async () => {
    handler = () => undefined; // never answers
    const timers = new ManualTimers();
    const client = new OpenAIHttpClient({ baseUrl, timeoutMs: 30_000, timers });
    const request = nextRequest();
    const answer = client.call(call);
    await request;
    timers.advance(29_999);
    expect(timers.size).toBe(1);
    timers.advance(1);
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnreachableError);
    expect((error as Error).message).toBe(
      `engine at ${baseUrl}/v1/chat/completions unreachable: no answer within 30000 ms`,
    );
  });

  it("rejects with the signal's reason when the caller aborts, and clears its timer", async () => {
    handler = () => undefined;
    const timers = new ManualTimers();
    const client = new OpenAIHttpClient({ baseUrl, timeoutMs: 30_000, timers });
    const controller = new AbortController();
    const request = nextRequest();
    const answer = client.call(call, controller.signal);
    await request;
    const reason = new Error('task cancelled');
    controller.abort(reason);
    await expect(answer).rejects.toBe(reason);
    expect(timers.size).toBe(0);
    await expect(client.call(call, controller.signal)).rejects.toBe(reason);
    expect(received).toHaveLength(1); // an aborted signal sends nothing
  });
});
