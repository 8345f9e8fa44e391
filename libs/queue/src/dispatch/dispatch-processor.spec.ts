import { UnrecoverableError } from 'bullmq';
import { type DispatchOrder, PermanentDispatchError } from '../api';
import { type QueueLogger } from '../logger';
import { createDispatchProcessor, type DispatchJob } from './dispatch-processor';

const order: DispatchOrder = { kind: 'run', jobId: 'job_a', attempt: 1, nodeId: 'node_a' };

function job(attemptsMade: number, attempts = 3): DispatchJob {
  return { id: 'run.job_a.1', data: { order, nonce: 'n' }, attemptsMade, opts: { attempts } };
}

function setup(deliver: () => Promise<void>, gaveUp: () => Promise<void> = async () => undefined) {
  const gaveUpCalls: { order: DispatchOrder; error: Error }[] = [];
  const logged: string[] = [];
  const log = (_fields: object, message: string): void => void logged.push(message);
  const logger: QueueLogger = { info: log, warn: log, error: log };
  const process = createDispatchProcessor(
    {
      deliver,
      gaveUp: async (o, error) => {
        gaveUpCalls.push({ order: o, error });
        await gaveUp();
      },
    },
    logger,
  );
  return { process, gaveUpCalls, logged };
}

describe('dispatch processor', () => {
  it('delivers the order and does not give up', async () => {
    const delivered: DispatchOrder[] = [];
    const { process, gaveUpCalls } = setup(async () => void delivered.push(order));
    await process(job(0));
    expect(delivered).toEqual([order]);
    expect(gaveUpCalls).toEqual([]);
  });

  it('rethrows a failure before the last try so BullMQ retries it', async () => {
    const failure = new Error('agent unreachable');
    const { process, gaveUpCalls } = setup(async () => Promise.reject(failure));
    await expect(process(job(1, 3))).rejects.toBe(failure);
    expect(gaveUpCalls).toEqual([]);
  });

  it('gives up once on the last try and fails without retry', async () => {
    const failure = new Error('agent unreachable');
    const { process, gaveUpCalls } = setup(async () => Promise.reject(failure));
    const result = process(job(2, 3));
    await expect(result).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(result).rejects.toThrow('failed 3 tries: agent unreachable');
    expect(gaveUpCalls).toEqual([{ order, error: failure }]);
  });

  it('gives up at once on a PermanentDispatchError', async () => {
    const failure = new PermanentDispatchError('node is gone');
    const { process, gaveUpCalls } = setup(async () => Promise.reject(failure));
    await expect(process(job(0, 5))).rejects.toThrow('permanent failure: node is gone');
    expect(gaveUpCalls).toEqual([{ order, error: failure }]);
  });

  it('logs a failing gaveUp handler and still fails the job for good', async () => {
    const { process, gaveUpCalls, logged } = setup(
      async () => Promise.reject(new Error('down')),
      async () => Promise.reject(new Error('database down')),
    );
    await expect(process(job(0, 1))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(gaveUpCalls).toHaveLength(1);
    expect(logged).toContain('Dispatch gaveUp handler failed');
  });
});
