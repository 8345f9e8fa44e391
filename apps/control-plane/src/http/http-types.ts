/** The parts of Express's request and response the HTTP controllers use (no @types/express). */
import type { IncomingMessage } from 'node:http';

export interface Response {
  status(code: number): Response;
  type(contentType: string): Response;
  set(field: string, value: string): Response;
  redirect(status: number, url: string): void;
  json(body: unknown): void;
  send(body: string | Buffer): void;
}

export type Request = IncomingMessage & { readonly originalUrl?: string };
