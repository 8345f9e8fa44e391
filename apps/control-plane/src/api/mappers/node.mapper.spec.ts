import { ValidationError } from '@gantry/domain';
import { NodeState, type Gpu, type NodeInventory } from '@gantry/proto';
import { aNode } from '../../testing/in-memory-nodes';
import { fromProtoInventory, sameWarmEngines, toProtoInventory, toProtoNode } from './node.mapper';

function aGpu(index: number, name: string, model = ''): Gpu {
  return { index, uuid: `GPU-${index}`, name, model, memoryBytes: 80 * 2 ** 30 };
}

function anInventory(gpus: Gpu[]): NodeInventory {
  return {
    gpus,
    simulated: false,
    hostname: 'gpu-1',
    cpuCount: 64,
    memoryBytes: 2 ** 40,
    warmEngines: [],
  };
}

describe('fromProtoInventory', () => {
  it('requires an inventory, naming the field it was given', () => {
    expect(() => fromProtoInventory(undefined, 'inventory')).toThrow('inventory: is required');
  });

  it('derives a missing model from the driver name, keeps a given one, else leaves it empty', () => {
    const inventory = fromProtoInventory(
      anInventory([
        aGpu(0, 'NVIDIA H100 80GB HBM3'),
        aGpu(1, 'NVIDIA A100-SXM4-40GB', 'A100-40GB'),
        aGpu(2, 'Mystery Accelerator 9000'),
      ]),
      'inventory',
    );
    expect(inventory.gpus.map((g) => g.model)).toEqual(['H100-80GB', 'A100-40GB', '']);
    expect(inventory).toMatchObject({ simulated: false, hostname: 'gpu-1', cpuCount: 64 });
  });

  it.each([
    [
      'a duplicate index',
      [aGpu(0, 'H100'), aGpu(1, 'H100'), aGpu(1, 'H100')],
      'inventory.gpus[2].index',
    ],
    ['a negative index', [aGpu(-1, 'H100')], 'inventory.gpus[0].index'],
  ])('rejects %s naming the GPU', (_name, gpus, field) => {
    expect(() => fromProtoInventory(anInventory(gpus), 'inventory')).toThrow(
      ValidationError.field(field, 'must be unique and at least 0'),
    );
    expect(() => fromProtoInventory(anInventory(gpus), 'inventory')).toThrow(field);
  });

  it('round-trips what toProtoInventory writes', () => {
    const inventory = aNode('n1', { gpus: 2 }).inventory;
    expect(fromProtoInventory(toProtoInventory(inventory), 'inventory')).toEqual({
      ...inventory,
      warmEngines: [],
    });
  });
});

describe('toProtoNode', () => {
  it("shows the node's own allocations, sorted, and its state", () => {
    const node = aNode('n1', { gpus: 8, state: 'lost', registeredAt: 5_000 });
    const proto = toProtoNode(
      node,
      [
        { nodeId: 'n1', jobId: 'a', attempt: 1, gpuIndices: [5, 3] },
        { nodeId: 'n2', jobId: 'b', attempt: 1, gpuIndices: [0] },
        { nodeId: 'n1', jobId: 'c', attempt: 2, gpuIndices: [1] },
      ],
      9_000,
    );
    expect(proto).toMatchObject({
      id: 'n1',
      state: NodeState.NODE_STATE_LOST,
      allocatedGpuIndices: [1, 3, 5],
      runningTasks: 2,
      lastHeartbeatTime: new Date(9_000),
      registerTime: new Date(5_000),
    });
    expect(toProtoNode(aNode('n2'), [], undefined)).toMatchObject({
      state: NodeState.NODE_STATE_READY,
      allocatedGpuIndices: [],
      lastHeartbeatTime: undefined,
    });
  });
});

describe('sameWarmEngines', () => {
  const engine = { model: 'm', revision: 'main', engine: 'vllm', gpuIndices: [0, 1], busy: false };

  it.each([
    ['another model', { model: 'n' }],
    ['another revision', { revision: 'v2' }],
    ['another engine', { engine: 'sglang' }],
    ['other GPUs', { gpuIndices: [0, 2] }],
    ['fewer GPUs', { gpuIndices: [0] }],
    ['busy', { busy: true }],
  ])('tells an engine with %s apart', (_name, change) => {
    expect(sameWarmEngines([engine], [{ ...engine, ...change }])).toBe(false);
  });

  it('compares the lists in order and in length', () => {
    const other = { ...engine, model: 'n' };
    expect(sameWarmEngines([engine, other], [engine, other])).toBe(true);
    expect(sameWarmEngines([engine, other], [other, engine])).toBe(false);
    expect(sameWarmEngines([engine], [engine, other])).toBe(false);
    expect(sameWarmEngines([], [])).toBe(true);
  });
});
