import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Logger } from '@gantry/observability';
import { LOGGER, PORTAL_DIR } from '../infrastructure/tokens';
import type { Request, Response } from './http-types';
import { PortalFiles } from './portal-files';

/** Only what the portal's own files need: no inline scripts or styles, no other origin. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The web portal (docs/portal.md): the static files of apps/portal's build, at /portal/. The page
 * talks to /rpc (RpcController) with the API key the user types in; nothing here knows who calls.
 */
@Controller('portal')
export class PortalController {
  private readonly files: PortalFiles;

  constructor(@Inject(PORTAL_DIR) dir: string, @Inject(LOGGER) logger: Logger) {
    this.files = new PortalFiles(dir, logger);
  }

  @Get()
  index(@Req() request: Request, @Res() response: Response): void {
    // Relative links (app.js, ../rpc) need the page at /portal/, not /portal.
    const path = new URL(request.originalUrl ?? request.url ?? '/', 'http://host').pathname;
    if (!path.endsWith('/')) return response.redirect(301, 'portal/');
    this.send(response, 'index.html');
  }

  @Get(':file')
  file(@Param('file') name: string, @Res() response: Response): void {
    this.send(response, name);
  }

  private send(response: Response, name: string): void {
    const file = this.files.get(name);
    response
      .set('Cache-Control', 'no-cache')
      .set('X-Content-Type-Options', 'nosniff')
      .set('Referrer-Policy', 'no-referrer');
    if (!file) {
      response.status(404).type('text/plain').send(this.files.missing(name));
      return;
    }
    response
      .status(200)
      .set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .type(file.type)
      .send(file.body);
  }
}
