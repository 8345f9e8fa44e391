import { ValidationError } from '@gantry/domain';
import { parseSimulatedGpus } from './simulated-gpus';

describe('parseSimulatedGpus', () => {
  it('makes 8 simulated H100s, marked as simulated in name and uuid', () => {
    const gpus = parseSimulatedGpus('8xH100-80GB', 'node-a');
    expect(gpus).toHaveLength(8);
    expect(gpus[7]).toEqual({
      index: 7,
      uuid: 'SIM-node-a-7',
      name: 'Simulated H100-80GB',
      model: 'H100-80GB',
      memoryBytes: 80 * 1024 ** 3,
    });
  });

  it('numbers several groups in order and accepts any case', () => {
    const gpus = parseSimulatedGpus('2xh100-80gb,1xA100-40GB', 'n');
    expect(gpus.map((g) => [g.index, g.model])).toEqual([
      [0, 'H100-80GB'],
      [1, 'H100-80GB'],
      [2, 'A100-40GB'],
    ]);
  });

  it('rejects an unknown model, naming the variable and listing the catalog', () => {
    const attempt = () => parseSimulatedGpus('4xH900-1TB', 'n');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      /^GANTRY_SIMULATE_GPUS: unknown GPU model "H900-1TB"; the catalog has B200-192GB, .*H100-80GB/,
    );
  });

  it.each([
    ['H100-80GB', 'is not COUNTxMODEL'],
    ['0xH100-80GB', 'must have at least 1 GPU'],
    ['2000xH100-80GB', 'at most 1024 simulated GPUs'],
  ])('rejects %j', (spec, message) => {
    expect(() => parseSimulatedGpus(spec, 'n')).toThrow(message);
  });
});
