import {
  agentEnv,
  baseEnvironment,
  controlPlaneEnv,
  redisPrefix,
  type ClusterLayout,
} from './child-env';

const layout: ClusterLayout = {
  dataDir: '/data',
  grpcPort: 6001,
  httpPort: 6002,
  redisUrl: 'redis://127.0.0.1:6003',
  secrets: { adminApiKey: 'gk_admin', bootstrapToken: 'gb_token' },
  gpus: '8xH100-80GB',
  logLevel: 'info',
  stopGraceSeconds: 10,
};

const shell = {
  PATH: '/usr/bin',
  HOME: '/home/me',
  DATABASE_URL: 'postgres://prod',
  REDIS_URL: 'redis://prod',
  GANTRY_ADMIN_API_KEY: 'gk_someone_else',
  GANTRY_SIMULATE_GPUS: '1xT4-16GB',
  UNSET: undefined,
};

describe('child environments', () => {
  it("keep the user's PATH and HOME but none of their Gantry, database or Redis settings", () => {
    expect(baseEnvironment(shell)).toEqual({ PATH: '/usr/bin', HOME: '/home/me' });
  });

  it('run the control plane on PGlite in the data dir, on loopback, with the cluster secrets', () => {
    const env = controlPlaneEnv(shell, layout);
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      GANTRY_BIND_HOST: '127.0.0.1',
      GANTRY_GRPC_PORT: '6001',
      GANTRY_HTTP_PORT: '6002',
      GANTRY_DATA_DIR: '/data/control-plane',
      REDIS_URL: 'redis://127.0.0.1:6003',
      GANTRY_ADMIN_API_KEY: 'gk_admin',
      GANTRY_BOOTSTRAP_TOKEN: 'gb_token',
      GANTRY_SHUTDOWN_GRACE_SECONDS: '8',
      GANTRY_STORAGE_DIR: '/data/storage',
    });
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env['GANTRY_REDIS_PREFIX']).toMatch(/^gantry-local-[0-9a-f]{8}$/);
  });

  it('give each agent its name, state dir and simulated GPUs, and no admin key', () => {
    const env = agentEnv(shell, layout, 1);
    expect(env).toMatchObject({
      GANTRY_CONTROL_PLANE_ADDRESS: '127.0.0.1:6001',
      GANTRY_BOOTSTRAP_TOKEN: 'gb_token',
      GANTRY_NODE_NAME: 'node-2',
      GANTRY_AGENT_PORT: '0',
      GANTRY_AGENT_ADVERTISE_HOST: '127.0.0.1',
      GANTRY_AGENT_STATE_DIR: '/data/agents/node-2',
      GANTRY_SIMULATE_GPUS: '8xH100-80GB',
      GANTRY_NVIDIA_SMI: '/data/agents/simulated-gpus-only/nvidia-smi',
      GANTRY_KILL_GRACE_SECONDS: '5',
      GANTRY_ENGINE_STOP_GRACE_SECONDS: '3',
      GANTRY_AGENT_SHUTDOWN_FLUSH_SECONDS: '3',
      GANTRY_ENGINE_PRESET: 'simulated',
    });
    expect(env).not.toHaveProperty('GANTRY_ADMIN_API_KEY');
    expect(env).not.toHaveProperty('REDIS_URL');
  });

  it('give the control plane and every agent one file store in the data dir', () => {
    const stores = [
      controlPlaneEnv(shell, layout),
      agentEnv(shell, layout, 0),
      agentEnv(shell, layout, 1),
    ].map((env) => env['GANTRY_STORAGE_DIR']);
    expect(stores).toEqual(['/data/storage', '/data/storage', '/data/storage']);
    expect(agentEnv(shell, { ...layout, dataDir: '/other' }, 0)['GANTRY_STORAGE_DIR']).toBe(
      '/other/storage',
    );
  });

  it("stop an agent's tasks, then its engines, within the stop grace", () => {
    const env = agentEnv(shell, { ...layout, stopGraceSeconds: 20 }, 0);
    const kill = Number(env['GANTRY_KILL_GRACE_SECONDS']);
    const engines = Number(env['GANTRY_ENGINE_STOP_GRACE_SECONDS']);
    const flush = Number(env['GANTRY_AGENT_SHUTDOWN_FLUSH_SECONDS']);
    // Engines stop while the last events are delivered, after the tasks.
    expect(kill + Math.max(engines, flush)).toBeLessThan(20);
  });

  it("drop the user's engine settings", () => {
    const env = agentEnv(
      { ...shell, GANTRY_ENGINE_COMMAND: 'vllm serve {model} --port {port}' },
      layout,
      0,
    );
    expect(env).not.toHaveProperty('GANTRY_ENGINE_COMMAND');
  });

  it('derive a Redis prefix per data dir', () => {
    expect(redisPrefix('/a')).toBe(redisPrefix('/a'));
    expect(redisPrefix('/a')).not.toBe(redisPrefix('/b'));
  });
});
