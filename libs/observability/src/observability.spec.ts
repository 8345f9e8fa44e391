import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { NestLoggerAdapter } from './nest-logger';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the level name, base fields and the message', () => {
    const out = capture();
    const logger = createLogger({
      name: 'test',
      level: 'info',
      base: { replica: 'r1' },
      destination: out.stream,
    });
    logger.info({ jobId: 'job_1' }, 'placed');
    logger.debug('hidden below the level');
    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        name: 'test',
        replica: 'r1',
        jobId: 'job_1',
        msg: 'placed',
      }),
    ]);
    expect(typeof out.lines()[0]!['time']).toBe('string');
  });
});

describe('NestLoggerAdapter', () => {
  it('maps Nest levels and keeps the context and errors as fields', () => {
    const out = capture();
    const adapter = new NestLoggerAdapter(
      createLogger({ name: 'nest', level: 'trace', destination: out.stream }),
    );
    adapter.log('started', 'NestFactory');
    adapter.warn({ some: 'object' });
    adapter.error('failed', new Error('boom'), 'Injector');
    adapter.verbose('details');
    const lines = out.lines();
    expect(lines.map((l) => [l['level'], l['msg'], l['context']])).toEqual([
      ['info', 'started', 'NestFactory'],
      ['warn', '{"some":"object"}', undefined],
      ['error', 'failed', 'Injector'],
      ['trace', 'details', undefined],
    ]);
    expect((lines[2]!['err'] as { message: string }).message).toBe('boom');
  });
});

describe('Metrics', () => {
  it('prefixes names with gantry_ and renders the Prometheus text format', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.counter('jobs_submitted_total', 'Jobs submitted.').inc(3);
    metrics
      .histogram('cycle_duration_seconds', 'Cycle time.', ['step'], [0.1, 1])
      .observe({ step: 'decide' }, 0.05);
    const { contentType, body } = await metrics.render();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('# TYPE gantry_jobs_submitted_total counter');
    expect(body).toContain('gantry_jobs_submitted_total 3');
    expect(body).toContain('gantry_cycle_duration_seconds_bucket{le="0.1",step="decide"} 1');
  });
});
