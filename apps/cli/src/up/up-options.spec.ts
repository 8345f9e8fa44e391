import { UsageError } from '../errors/cli-errors';
import { parseGpuInventory, parseUpFlags } from './up-options';

describe('parseUpFlags', () => {
  it('applies the defaults', () => {
    expect(parseUpFlags({ agents: '2', gpus: '8xH100-80GB' }, '/home/me/.gantry')).toEqual({
      agents: 2,
      gpus: '8xH100-80GB',
      gpusPerAgent: 8,
      demo: false,
      dataDir: '/home/me/.gantry/local',
      port: undefined,
    });
  });

  it('reads every flag; a relative data dir is taken from the working directory', () => {
    const options = parseUpFlags(
      { agents: '3', gpus: '4xh100-80gb,2xA100-80GB', demo: true, dataDir: 'tmp/c', port: '6000' },
      '/home/me/.gantry',
      '/work',
    );
    expect(options).toEqual({
      agents: 3,
      gpus: '4xH100-80GB,2xA100-80GB',
      gpusPerAgent: 6,
      demo: true,
      dataDir: '/work/tmp/c',
      port: 6000,
    });
  });

  it.each([
    [{ agents: '0' }, '--agents: must be a whole number from 1 to 32'],
    [{ agents: 'two' }, '--agents'],
    [{ port: '70000' }, '--port: must be a port number'],
    [{ gpus: 'H100' }, '--gpus: must be COUNTxMODEL'],
    [{ gpus: '0xH100-80GB' }, '--gpus: must be COUNTxMODEL'],
    [{ gpus: '8xK80' }, "--gpus: unknown GPU model 'K80'"],
  ])('rejects %j', (flags, message) => {
    const run = () => parseUpFlags({ agents: '2', gpus: '8xH100-80GB', ...flags }, '/h');
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});

describe('parseGpuInventory', () => {
  it('counts every GPU of a mixed node', () => {
    expect(parseGpuInventory('2xL4-24GB, 1xT4-16GB')).toEqual({
      spec: '2xL4-24GB,1xT4-16GB',
      count: 3,
    });
  });
});
