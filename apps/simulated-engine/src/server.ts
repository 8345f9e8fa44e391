import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineOptions } from './options';
import { prngFor } from './prng';
import { parseChatRequest, parseCompletionRequest, RequestError } from './requests';
import { chatCompletionBody, completionBody, errorBody, modelsBody } from './responses';

/** Counts of the completion calls the engine answered, for tests (GET /stats). */
export interface EngineStats {
  /** Answered 200 on /v1/completions. */
  completions: number;
  /** Answered 200 on /v1/chat/completions. */
  chat_completions: number;
  /** Answered with an error status (400, 404, 500) on either endpoint. */
  failed: number;
  total: number;
}

export interface SimulatedEngineServerOptions {
  readonly engine: EngineOptions;
  /**
   * Called, instead of answering, when completion request crashAfter + 1 arrives (its
   * connection is then destroyed). The program exits the process here.
   */
  readonly onCrash: (requestNumber: number) => void;
  /** Epoch milliseconds, for `created`; injected so tests can pin it. */
  readonly now?: () => number;
}

/** A running simulated engine. */
export interface SimulatedEngine {
  readonly port: number;
  readonly stats: Readonly<EngineStats>;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const ENDPOINTS = {
  '/v1/completions': { parse: parseCompletionRequest, body: completionBody, count: 'completions' },
  '/v1/chat/completions': {
    parse: parseChatRequest,
    body: chatCompletionBody,
    count: 'chat_completions',
  },
} as const;

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new RequestError(413, `body: larger than ${MAX_BODY_BYTES} bytes`, 'body');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new RequestError(400, 'body: is not valid JSON', 'body');
  }
}

/**
 * Starts the simulated OpenAI-compatible engine (see README.md): after `startupDelayMs` it
 * listens; `/health`, `/v1/models`, `/v1/completions`, `/v1/chat/completions` and `/stats`.
 * Every response carries an `x-request-id` header.
 */
export async function startSimulatedEngine(
  options: SimulatedEngineServerOptions,
): Promise<SimulatedEngine> {
  const { engine, onCrash } = options;
  const now = options.now ?? Date.now;
  const stats: EngineStats = { completions: 0, chat_completions: 0, failed: 0, total: 0 };
  const failureDraw = prngFor('failures', engine.seed);
  let requests = 0;

  const fail = (res: ServerResponse, status: number, body: object) => {
    stats.failed++;
    stats.total++;
    send(res, status, body);
  };

  const complete = async (
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    path: keyof typeof ENDPOINTS,
  ) => {
    const endpoint = ENDPOINTS[path];
    const number = ++requests;
    if (engine.crashAfter !== null && number > engine.crashAfter) {
      onCrash(number);
      return void req.socket.destroy();
    }
    try {
      const request = endpoint.parse(await readJson(req), engine.model);
      const failing = failureDraw() < engine.failRate;
      await delay(engine.latencyMs);
      if (failing)
        return fail(res, 500, errorBody('simulated engine failure (--fail-rate)', 'server_error'));
      const settings = { accuracy: engine.accuracy, engineSeed: engine.seed };
      const body = endpoint.body(id, Math.floor(now() / 1000), request, settings);
      stats[endpoint.count]++;
      stats.total++;
      send(res, 200, body);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      fail(
        res,
        error.status,
        errorBody(error.message, 'invalid_request_error', error.param, error.code),
      );
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const id = randomBytes(12).toString('hex');
    res.setHeader('x-request-id', id);
    const path = new URL(req.url ?? '/', 'http://engine').pathname;
    const known: Record<string, string> = {
      '/health': 'GET',
      '/stats': 'GET',
      '/v1/models': 'GET',
      '/v1/completions': 'POST',
      '/v1/chat/completions': 'POST',
    };
    const method = known[path];
    if (!method)
      return send(
        res,
        404,
        errorBody(`no route ${path}`, 'invalid_request_error', null, 'not_found'),
      );
    if (req.method !== method) {
      res.setHeader('allow', method);
      return send(res, 405, errorBody(`${path} takes ${method}`, 'invalid_request_error'));
    }
    if (path === '/health') return send(res, 200, { status: 'ok' });
    if (path === '/stats') return send(res, 200, stats);
    if (path === '/v1/models')
      return send(res, 200, modelsBody(engine.model, Math.floor(now() / 1000)));
    await complete(req, res, id, path as keyof typeof ENDPOINTS);
  };

  await delay(engine.startupDelayMs);
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(String(error), 'server_error'));
      else res.destroy();
    });
  });
  server.listen(engine.port, engine.host);
  await once(server, 'listening');
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    stats,
    close: () => {
      if (server.listening) {
        server.close();
        server.closeAllConnections();
      }
      return closed;
    },
  };
}
