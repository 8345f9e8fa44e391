import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError } from '@gantry/domain';
import type { WorkerLog } from '../ports';
import { discoverGpus } from './discovery';

function recordingLog() {
  const lines: { level: string; message: string }[] = [];
  const log: WorkerLog = {
    info: (_f, message) => lines.push({ level: 'info', message }),
    warn: (_f, message) => lines.push({ level: 'warn', message }),
    error: (_f, message) => lines.push({ level: 'error', message }),
  };
  return { log, lines };
}

describe('discoverGpus', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gantry-discovery-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakeNvidiaSmi(script: string): string {
    const path = join(dir, 'nvidia-smi');
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('runs nvidia-smi with the inventory query and parses its output', async () => {
    const recording = join(__dirname, 'fixtures', 'dgx-h100.txt');
    const program = fakeNvidiaSmi(`echo "$@" > ${dir}/args; cat ${recording}`);
    const { log, lines } = recordingLog();
    const inventory = await discoverGpus({
      nvidiaSmi: program,
      simulateGpus: '2xT4-16GB',
      nodeName: 'n',
      log,
    });
    expect(inventory.simulated).toBe(false);
    expect(inventory.source).toBe('nvidia-smi');
    expect(inventory.gpus.map((g) => g.model)).toEqual(Array(8).fill('H100-80GB'));
    expect(readFileSync(join(dir, 'args'), 'utf8').trim()).toBe(
      '--query-gpu=index,uuid,name,memory.total --format=csv,noheader',
    );
    expect(lines).toContainEqual({
      level: 'warn',
      message: 'nvidia-smi found; GANTRY_SIMULATE_GPUS is ignored',
    });
  });

  it('uses the simulated GPUs when nvidia-smi is absent, and says so', async () => {
    const { log, lines } = recordingLog();
    const inventory = await discoverGpus({
      nvidiaSmi: join(dir, 'no-such-nvidia-smi'),
      simulateGpus: '4xH100-80GB',
      nodeName: 'node-b',
      log,
    });
    expect(inventory).toMatchObject({ simulated: true, source: 'simulated' });
    expect(inventory.gpus.map((g) => g.uuid)).toEqual([
      'SIM-node-b-0',
      'SIM-node-b-1',
      'SIM-node-b-2',
      'SIM-node-b-3',
    ]);
    expect(lines.find((l) => l.level === 'info')!.message).toMatch(/GPUs are SIMULATED/);
  });

  it('reports no GPUs, with a warning, when there is neither', async () => {
    const { log, lines } = recordingLog();
    const inventory = await discoverGpus({
      nvidiaSmi: join(dir, 'none'),
      simulateGpus: undefined,
      nodeName: 'n',
      log,
    });
    expect(inventory).toEqual({ gpus: [], simulated: false, source: 'none' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'warn',
      message: `no GPUs: ${join(dir, 'none')} not found and GANTRY_SIMULATE_GPUS not set`,
    });
  });

  it('fails when nvidia-smi exists but fails, with its error output', async () => {
    const program = fakeNvidiaSmi(
      'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver" >&2; exit 9',
    );
    const attempt = discoverGpus({
      nvidiaSmi: program,
      simulateGpus: undefined,
      nodeName: 'n',
      log: recordingLog().log,
    });
    await expect(attempt).rejects.toThrow(UnavailableError);
    await expect(attempt).rejects.toThrow(
      /failed: NVIDIA-SMI has failed because it couldn't communicate/,
    );
  });
});
