import { engineBaseEnvironment, loadNodeAgentConfig } from './node-agent';
import { ConfigError } from './variable';

/** The one variable an agent cannot start without. */
const required = { GANTRY_BOOTSTRAP_TOKEN: 'a-token-of-16-chars' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadNodeAgentConfig({ ...required, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('node agent configuration: engines', () => {
  it('has defaults: auto preset, no custom command, 600 s to start, 600 s idle, 10 s grace', () => {
    expect(loadNodeAgentConfig(required)).toMatchObject({
      enginePreset: 'auto',
      engineCommand: undefined,
      engineStartTimeoutSeconds: 600,
      engineIdleSeconds: 600,
      engineStopGraceSeconds: 10,
    });
  });

  it('reads every engine variable', () => {
    expect(
      loadNodeAgentConfig({
        ...required,
        GANTRY_ENGINE_PRESET: 'sglang',
        GANTRY_ENGINE_COMMAND: 'my-server {model} --port {port}',
        GANTRY_ENGINE_START_TIMEOUT_SECONDS: '1200',
        GANTRY_ENGINE_IDLE_SECONDS: '0',
        GANTRY_ENGINE_STOP_GRACE_SECONDS: '2.5',
      }),
    ).toMatchObject({
      enginePreset: 'sglang',
      engineCommand: 'my-server {model} --port {port}',
      engineStartTimeoutSeconds: 1200,
      engineIdleSeconds: 0,
      engineStopGraceSeconds: 2.5,
    });
  });

  it('refuses bad values, naming each variable', () => {
    expect(
      problems({
        GANTRY_ENGINE_PRESET: 'tgi',
        GANTRY_ENGINE_START_TIMEOUT_SECONDS: '0',
        GANTRY_ENGINE_IDLE_SECONDS: '-1',
        GANTRY_ENGINE_STOP_GRACE_SECONDS: 'soon',
      }),
    ).toEqual([
      "GANTRY_ENGINE_PRESET: must be one of auto, vllm, sglang, simulated (got 'tgi')",
      "GANTRY_ENGINE_START_TIMEOUT_SECONDS: must be a number at least 1 and at most 86400 (got '0')",
      "GANTRY_ENGINE_IDLE_SECONDS: must be a number at least 0 and at most 604800 (got '-1')",
      "GANTRY_ENGINE_STOP_GRACE_SECONDS: must be a number at least 0 and at most 3600 (got 'soon')",
    ]);
  });
});

describe('node agent configuration: storage and engine environment', () => {
  it('reads the file store directory, default .gantry/storage', () => {
    expect(loadNodeAgentConfig(required).storageDir).toBe('.gantry/storage');
    expect(
      loadNodeAgentConfig({ ...required, GANTRY_STORAGE_DIR: '/shared/gantry' }),
    ).toMatchObject({ storageDir: '/shared/gantry' });
  });

  it('gives engines PATH, HOME, LANG and the model and GPU variables, nothing of Gantry', () => {
    expect(
      engineBaseEnvironment({
        PATH: '/opt/bin',
        HF_HOME: '/models',
        HF_TOKEN: 'hf_x',
        VLLM_USE_V1: '1',
        NCCL_DEBUG: 'INFO',
        CUDA_VISIBLE_DEVICES: '0,1',
        GANTRY_BOOTSTRAP_TOKEN: 'secret-secret-secret',
        AWS_SECRET_ACCESS_KEY: 'nope',
      }),
    ).toEqual({
      PATH: '/opt/bin',
      HOME: '/',
      LANG: 'C.UTF-8',
      HF_HOME: '/models',
      HF_TOKEN: 'hf_x',
      VLLM_USE_V1: '1',
      NCCL_DEBUG: 'INFO',
    });
  });
});
