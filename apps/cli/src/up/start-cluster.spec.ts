import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Node, NodeState } from '@gantry/proto';
import { describeExit } from './log-tail';
import { freePort, portFree } from './ports';
import { startCluster, type ClusterDeps } from './start-cluster';
import { Supervisor } from './supervisor';
import { type UpOptions } from './up-options';

/**
 * startCluster's steps and failure handling, with small scripts standing in for the control
 * plane and agents (the real ones are started by `gantry up` end to end).
 */
describe('startCluster', () => {
  let dir: string;
  let supervisor: Supervisor;
  let options: UpOptions;
  const lines: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-up-'));
    supervisor = new Supervisor(2_000);
    options = {
      agents: 2,
      gpus: '2xL4-24GB',
      gpusPerAgent: 2,
      demo: false,
      dataDir: join(dir, 'data'),
      port: undefined,
    };
    lines.splice(0);
  });
  afterEach(async () => {
    await supervisor.kill();
    await supervisor.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  async function program(name: string, code: string): Promise<string> {
    const path = join(dir, `${name}.js`);
    await writeFile(path, code);
    return path;
  }

  async function deps(overrides: Partial<ClusterDeps> = {}): Promise<ClusterDeps> {
    // Each stand-in records the environment it got, then idles until stopped.
    const sleeper =
      `const name = process.env.GANTRY_NODE_NAME ?? 'control-plane';` +
      `require('fs').writeFileSync(require('path').join(${JSON.stringify(dir)}, name + '.env.json'), JSON.stringify(process.env));` +
      'setInterval(() => {}, 1000);';
    return {
      supervisor,
      inherited: { PATH: '/usr/bin', DATABASE_URL: 'postgres://elsewhere' },
      nodeBinary: process.execPath,
      programs: {
        controlPlane: await program('cp', sleeper),
        nodeAgent: await program('agent', sleeper),
        simulatedEngine: await program('engine', ''),
      },
      redisProbes: {
        configuredUrl: 'redis://127.0.0.1:1',
        redisServer: 'redis-server',
        hasProgram: async () => false,
        dockerAnswers: async () => false,
      },
      logLevel: 'info',
      stopGraceSeconds: 2,
      wait: {
        timeoutMs: 10_000,
        intervalMs: 20,
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        aborted: () => (supervisor.failure ? describeExit(supervisor.failure) : undefined),
      },
      log: (line) => lines.push(line),
      freePort: () => freePort(),
      portFree: (port) => portFree(port),
      httpReady: async () => true,
      openApi: () => ({
        // A node is READY once its stand-in has started.
        listNodes: async () =>
          ['node-1', 'node-2']
            .filter((name) => existsSync(join(dir, `${name}.env.json`)))
            .map((name) =>
              Node.fromPartial({
                name,
                state: NodeState.NODE_STATE_READY,
                lastHeartbeatTime: new Date(),
              }),
            ),
        close: () => {},
      }),
      ...overrides,
    };
  }

  it('starts the control plane and the agents, then stops them and releases the data dir', async () => {
    const cluster = await startCluster(options, await deps());
    expect(cluster.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cluster.nodeNames).toEqual(['node-1', 'node-2']);
    expect(existsSync(join(options.dataDir, 'gantry-up.pid'))).toBe(true);
    expect(lines.join('\n')).toContain('generated an admin key');
    await cluster.stop();
    expect(existsSync(join(options.dataDir, 'gantry-up.pid'))).toBe(false);
    expect(supervisor.failure).toBeUndefined();
    const agentEnv = JSON.parse(await readFile(join(dir, 'node-2.env.json'), 'utf8')) as Record<
      string,
      string
    >;
    const storage = join(options.dataDir, 'storage');
    expect(agentEnv).toMatchObject({
      GANTRY_NODE_NAME: 'node-2',
      GANTRY_SIMULATE_GPUS: '2xL4-24GB',
      GANTRY_CONTROL_PLANE_ADDRESS: cluster.endpoint,
      GANTRY_BOOTSTRAP_TOKEN: cluster.secrets.bootstrapToken,
      GANTRY_STORAGE_DIR: storage,
    });
    const cpEnv = JSON.parse(await readFile(join(dir, 'control-plane.env.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(cpEnv).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:1',
      GANTRY_ADMIN_API_KEY: cluster.secrets.adminApiKey,
      GANTRY_STORAGE_DIR: storage,
    });
    expect((await stat(storage)).mode & 0o777).toBe(0o700);
    expect(cpEnv['DATABASE_URL']).toBeUndefined();
  });

  it('keeps the admin key across restarts', async () => {
    const first = await startCluster(options, await deps());
    await first.stop();
    const again = await startCluster(options, await deps());
    await again.stop();
    expect(again.secrets).toEqual(first.secrets);
    expect(lines.some((l) => l.startsWith('reusing the admin key'))).toBe(true);
  });

  it('says which process died while it waited, and cleans up', async () => {
    const crashing = await program(
      'crash',
      'console.error("fatal: bad config"); process.exit(78);',
    );
    const run = startCluster(
      options,
      await deps({
        httpReady: async () => false,
        programs: { controlPlane: crashing, nodeAgent: crashing, simulatedEngine: crashing },
      }),
    );
    await expect(run).rejects.toThrow(
      'stopped waiting for the control plane (/readyz): control-plane exited with code 78',
    );
    expect(existsSync(join(options.dataDir, 'gantry-up.pid'))).toBe(false);
  });

  it('refuses a --port in use before starting anything', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(startCluster({ ...options, port }, await deps())).rejects.toThrow(
        `--port ${port} is in use`,
      );
      expect(existsSync(join(options.dataDir, 'logs', 'control-plane.log'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('says to build when the programs are missing', async () => {
    const run = startCluster(
      options,
      await deps({
        programs: {
          controlPlane: join(dir, 'none.js'),
          nodeAgent: join(dir, 'none.js'),
          simulatedEngine: join(dir, 'none.js'),
        },
      }),
    );
    await expect(run).rejects.toThrow('run `npm run build`');
  });

  it('says to build when only the simulated engine is missing, before starting anything', async () => {
    const built = await deps();
    const engine = join(dir, 'simulated-engine', 'main.js');
    const run = startCluster(
      options,
      await deps({ programs: { ...built.programs, simulatedEngine: engine } }),
    );
    await expect(run).rejects.toThrow(`not built: ${engine}; run \`npm run build\``);
    expect(existsSync(join(options.dataDir, 'logs', 'control-plane.log'))).toBe(false);
  });
});
