import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { ReadinessProbe } from './readiness.service';

/**
 * HTTP endpoints for operators and Kubernetes probes:
 * - /healthz: the process is up (liveness).
 * - /readyz: PostgreSQL and Redis answer and the gRPC server serves (readiness); 503 otherwise,
 *   with what failed.
 * - /metrics: Prometheus text format.
 */
/** The part of Express's response these handlers use. */
interface Response {
  status(code: number): Response;
  type(contentType: string): Response;
  json(body: unknown): void;
  send(body: string): void;
}

@Controller()
export class HealthController {
  constructor(
    @Inject(ReadinessProbe) private readonly readiness: ReadinessProbe,
    private readonly metrics: ControlPlaneMetrics,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  async readyz(@Res() res: Response): Promise<void> {
    const checks = await this.readiness.check();
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  }

  @Get('metrics')
  async metricsText(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.metrics.render();
    res.status(200).type(contentType).send(body);
  }
}
