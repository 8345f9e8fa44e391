import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes (GANTRY_GRPC_MAX_MESSAGE_BYTES)`);
  }
}

/**
 * A request's body as UTF-8 text, at most `limit` bytes (BodyTooLarge past it). The Nest
 * application runs without a body parser: the JSON bridge reads the text itself, so a body that
 * is not JSON gets the bridge's INVALID_ARGUMENT, not a framework's error page.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
