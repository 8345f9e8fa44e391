/**
 * The portal's one way to the control plane: the JSON bridge, `POST ../rpc/<Service>/<Method>`
 * with protobuf JSON and the API key as `authorization: Bearer <key>` (docs/portal.md).
 */

/** A failed call: the gRPC code's name (e.g. PERMISSION_DENIED) and the server's message. */
export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** What a protobuf JSON message looks like here: field names to values. */
export type Json = Record<string, unknown>;

export type Call = <T = Json>(method: string, request?: Json) => Promise<T>;

/** Calls `<package.Service>/<Method>` with the key; the page's URL decides where /rpc is. */
export function client(apiKey: string, base = new URL('../rpc/', document.baseURI)): Call {
  return async <T>(method: string, request: Json = {}): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(new URL(method, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw new RpcError('UNAVAILABLE', `the control plane did not answer (${String(error)})`, 0);
    }
    const body = (await response.json().catch(() => ({}))) as Json;
    if (!response.ok) {
      const code = typeof body['code'] === 'string' ? body['code'] : 'UNKNOWN';
      const message = typeof body['message'] === 'string' ? body['message'] : response.statusText;
      throw new RpcError(code, message, response.status);
    }
    return body as T;
  };
}

export const RENTAL = 'gantry.v1.RentalService';
export const ADMIN = 'gantry.v1.AdminService';
