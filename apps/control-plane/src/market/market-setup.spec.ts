import type { QueueRecord } from '@gantry/store';
import { aLease } from '../testing/a-lease';
import { aNode } from '../testing/in-memory-nodes';
import { T0 } from '../testing/parts';
import { marketGuarantee } from './market-setup';

const H100 = 'H100-80GB';
const A100 = 'A100-80GB';

const queue = (name: string, fields: Partial<QueueRecord> = {}): QueueRecord => ({
  name,
  parent: null,
  guaranteed: {},
  max: {},
  weight: 1,
  ...fields,
});

describe('marketGuarantee', () => {
  const nodes = [
    aNode('a', { gpus: 8, model: H100 }),
    aNode('b', { gpus: 8, model: H100 }),
    aNode('c', { gpus: 4, model: A100 }),
    aNode('lost', { gpus: 8, model: H100, state: 'lost' }),
  ];
  const queues = [
    queue('research', { guaranteed: { [H100]: 10 } }),
    queue('team-a', { parent: 'research', guaranteed: { [H100]: 10 } }),
    queue('ops', { guaranteed: { '*': 1 } }),
    queue('market'),
    queue('market-dedicated', { parent: 'market' }),
  ];

  it('guarantees nothing without dedicated leases: interruptible ones borrow', () => {
    const leases = [aLease({ product: 'interruptible', gpus: 4 })];
    expect(marketGuarantee(nodes, queues, leases, T0)).toEqual({});
  });

  it('covers the dedicated leases holding or wanting GPUs, per model', () => {
    const leases = [
      aLease({ id: 'l1', product: 'on-demand', gpus: 2 }),
      aLease({ id: 'l2', product: 'reserved', gpus: 1, nodes: 2, state: 'notice' }),
      aLease({ id: 'l3', product: 'on-demand', gpuModel: A100, gpus: 1, state: 'pending' }),
      aLease({ id: 'l4', product: 'on-demand', gpus: 3, state: 'ended', endedAt: T0 }),
    ];
    expect(marketGuarantee(nodes, queues, leases, T0)).toEqual({ [H100]: 4, [A100]: 1 });
  });

  it('leaves out a reserved lease until its window starts', () => {
    const leases = [
      aLease({ product: 'reserved', gpus: 2, state: 'pending', windowStartsAt: T0 + 60_000 }),
    ];
    expect(marketGuarantee(nodes, queues, leases, T0)).toEqual({});
    expect(marketGuarantee(nodes, queues, leases, T0 + 60_000)).toEqual({ [H100]: 2 });
  });

  it('never takes what internal guarantees need (lost nodes count for nothing)', () => {
    // 16 ready H100s - research 10 - ops 1 leaves 5; 4 A100s - ops 1 leaves 3.
    const leases = [
      aLease({ id: 'l1', product: 'on-demand', gpus: 8 }),
      aLease({ id: 'l2', product: 'on-demand', gpuModel: A100, gpus: 4 }),
    ];
    expect(marketGuarantee(nodes, queues, leases, T0)).toEqual({ [H100]: 5, [A100]: 3 });
  });
});
