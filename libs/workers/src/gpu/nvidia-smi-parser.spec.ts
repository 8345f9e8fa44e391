import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@gantry/domain';
import { parseNvidiaSmiGpus } from './nvidia-smi-parser';

const recording = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const MIB = 1024 * 1024;

describe('parseNvidiaSmiGpus', () => {
  it('reads an 8x H100 node', () => {
    const gpus = parseNvidiaSmiGpus(recording('dgx-h100.txt'));
    expect(gpus).toHaveLength(8);
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gpus[0]).toEqual({
      index: 0,
      uuid: 'GPU-5e5c1fd4-9a1e-7c5b-04a6-2a3f55c6b1d2',
      name: 'NVIDIA H100 80GB HBM3',
      model: 'H100-80GB',
      memoryBytes: 81559 * MIB,
    });
    expect(new Set(gpus.map((g) => g.uuid)).size).toBe(8);
  });

  it('tells A100 80GB PCIe, SXM4-80GB and SXM4-40GB apart', () => {
    const gpus = parseNvidiaSmiGpus(recording('mixed-a100.txt'));
    expect(gpus.map((g) => [g.name, g.model, g.memoryBytes / MIB])).toEqual([
      ['NVIDIA A100 80GB PCIe', 'A100-80GB', 81920],
      ['NVIDIA A100 80GB PCIe', 'A100-80GB', 81920],
      ['NVIDIA A100-SXM4-80GB', 'A100-80GB', 81920],
      ['NVIDIA A100-SXM4-40GB', 'A100-40GB', 40960],
    ]);
  });

  it('maps the driver names of assorted models to catalog ids', () => {
    const gpus = parseNvidiaSmiGpus(recording('assorted.txt'));
    expect(gpus.map((g) => [g.name, g.model])).toEqual([
      ['Tesla T4', 'T4-16GB'],
      ['NVIDIA L4', 'L4-24GB'],
      ['NVIDIA A10G', 'A10G-24GB'],
      ['NVIDIA L40S', 'L40S-48GB'],
      ['NVIDIA H200', 'H200-141GB'],
      ['NVIDIA H100 NVL', 'H100-94GB'],
      ['Tesla V100-SXM2-32GB', 'V100-32GB'],
      ['NVIDIA GeForce RTX 4090', 'RTX4090-24GB'],
    ]);
    expect(gpus[4]!.memoryBytes).toBe(143771 * MIB);
  });

  it('copes with CRLF, blank lines, stray spaces, [N/A] and unknown models', () => {
    const gpus = parseNvidiaSmiGpus(recording('odd-cases.txt'));
    expect(gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-aa01b2c3-d4e5-f607-1829-3a4b5c6d7e8f',
        name: 'NVIDIA H100 80GB HBM3',
        model: 'H100-80GB',
        memoryBytes: 0,
      },
      {
        index: 1,
        uuid: 'GPU-INDEX-1',
        name: 'NVIDIA RTX PRO 6000 Blackwell Server Edition',
        model: null,
        memoryBytes: 97887 * MIB,
      },
      {
        index: 2,
        uuid: 'GPU-bb02c3d4-e5f6-0718-293a-4b5c6d7e8f90',
        name: 'NVIDIA B200',
        model: 'B200-192GB',
        memoryBytes: 183359 * MIB,
      },
    ]);
  });

  it('reads output printed with nounits and sorts by index', () => {
    const gpus = parseNvidiaSmiGpus('1, GPU-b, Tesla T4, 15360\n0, GPU-a, Tesla T4, 15360\n');
    expect(gpus.map((g) => [g.index, g.memoryBytes])).toEqual([
      [0, 15360 * MIB],
      [1, 15360 * MIB],
    ]);
  });

  it('reads no GPUs from empty output', () => {
    expect(parseNvidiaSmiGpus('\n')).toEqual([]);
  });

  it.each([
    ['No devices were found', 'nvidia-smi line 1: expected "index, uuid, name, memory.total"'],
    ['x, GPU-a, Tesla T4, 15360 MiB', 'index "x" is not a number'],
    ['0, GPU-a, Tesla T4, lots', 'memory.total "lots" is not a size'],
  ])('rejects %j naming the line', (output, message) => {
    expect(() => parseNvidiaSmiGpus(output)).toThrow(ValidationError);
    expect(() => parseNvidiaSmiGpus(output)).toThrow(message);
  });
});
