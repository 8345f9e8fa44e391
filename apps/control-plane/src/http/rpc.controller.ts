import { All, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { ControlPlaneConfig } from '@gantry/config';
import { JsonBridge, type JsonError, type JsonReply } from '@gantry/grpc';
import type { Logger } from '@gantry/observability';
import { GANTRY_FILE_DESCRIPTOR_SET_BASE64 } from '@gantry/proto';
import { ApiServices } from '../api/api-services';
import { CONFIG, LOGGER } from '../infrastructure/tokens';
import type { Request, Response } from './http-types';
import { BodyTooLarge, readBody } from './read-body';

/**
 * The public gRPC API over HTTP with protobuf JSON, for the web portal and scripts
 * (docs/portal.md): `POST /rpc/<package.Service>/<Method>`, the body the request message, an
 * `authorization: Bearer <key>` header; the answer the response message, or `{ code, message,
 * violations? }` with the HTTP status of the gRPC code. One generic bridge (JsonBridge) to the
 * gRPC handlers (ApiServices.public(): the agents' protocol is not served).
 */
@Controller('rpc')
export class RpcController {
  private bridge?: JsonBridge;

  constructor(
    private readonly api: ApiServices,
    @Inject(CONFIG) private readonly config: Pick<ControlPlaneConfig, 'maxMessageBytes'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post(':service/:method')
  async call(
    @Param('service') service: string,
    @Param('method') method: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const reply = await this.answer(service, method, request);
    response.status(reply.status).set('Cache-Control', 'no-store').json(reply.body);
  }

  @All(':service/:method')
  notPost(@Res() response: Response): void {
    response
      .status(405)
      .set('Allow', 'POST')
      .json({ code: 'UNIMPLEMENTED', message: 'call methods with POST' } satisfies JsonError);
  }

  private async answer(service: string, method: string, request: Request): Promise<JsonReply> {
    const type = request.headers['content-type'];
    if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
      const message = `content-type must be application/json, not ${type}`;
      return { status: 415, body: { code: 'INVALID_ARGUMENT', message } satisfies JsonError };
    }
    let body: string;
    try {
      body = await readBody(request, this.config.maxMessageBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      const refused: JsonError = { code: 'RESOURCE_EXHAUSTED', message: error.message };
      return { status: 413, body: refused };
    }
    this.bridge ??= new JsonBridge(
      this.api.public(),
      GANTRY_FILE_DESCRIPTOR_SET_BASE64,
      (error, name) => this.logger.error({ err: error, method: name }, 'JSON bridge call failed'),
    );
    return this.bridge.call({
      service,
      method,
      body,
      authorization: request.headers.authorization,
    });
  }
}
