import { findGpuModel, gpuModelFromDriverName } from './gpu-models';

describe('GPU catalog', () => {
  it.each([
    ['NVIDIA H100 80GB HBM3', 'H100-80GB'],
    ['NVIDIA H100 PCIe', 'H100-80GB'],
    ['NVIDIA H100 NVL', 'H100-94GB'],
    ['NVIDIA H200', 'H200-141GB'],
    ['NVIDIA A100-SXM4-80GB', 'A100-80GB'],
    ['NVIDIA A100-SXM4-40GB', 'A100-40GB'],
    ['Tesla V100-SXM2-32GB', 'V100-32GB'],
    ['Tesla V100-SXM2-16GB', 'V100-16GB'],
    ['NVIDIA L40S', 'L40S-48GB'],
    ['NVIDIA L4', 'L4-24GB'],
    ['NVIDIA A10G', 'A10G-24GB'],
    ['Tesla T4', 'T4-16GB'],
    ['NVIDIA GeForce RTX 4090', 'RTX4090-24GB'],
    ['NVIDIA B200', 'B200-192GB'],
  ])('maps the driver name %s to %s', (name, id) => {
    expect(gpuModelFromDriverName(name)).toBe(id);
  });

  it('does not invent a model for an unknown name', () => {
    expect(gpuModelFromDriverName('Matrox G200eR2')).toBeUndefined();
  });

  it('finds models case-insensitively', () => {
    expect(findGpuModel('a100-80gb')?.id).toBe('A100-80GB');
    expect(findGpuModel('TPU')).toBeUndefined();
  });
});
