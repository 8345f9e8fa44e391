import { hostname } from 'node:os';
import { bootstrapToken, logLevel, maxMessageBytes, storageDir } from './shared';
import { load, v, type Env, type Values } from './variable';

export const nodeAgentSpec = {
  controlPlaneAddress: v.string(
    'GANTRY_CONTROL_PLANE_ADDRESS',
    "host:port of the control plane's gRPC API.",
    { default: '127.0.0.1:50051', pattern: /^[^\s:]+:\d+$/, expected: 'host:port' },
  ),
  bootstrapToken,
  nodeName: v.string('GANTRY_NODE_NAME', "This node's name, unique in the cluster.", {
    default: hostname(),
    defaultText: '<hostname>',
    pattern: /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/,
    expected: 'a DNS name (lower-case letters, digits, . and -)',
  }),
  bindHost: v.string('GANTRY_AGENT_BIND_HOST', 'Address the NodeAgentService listens on.', {
    default: '0.0.0.0',
  }),
  port: v.port('GANTRY_AGENT_PORT', 'Port of the NodeAgentService; 0 picks a free one.', 50052),
  advertiseHost: v.string(
    'GANTRY_AGENT_ADVERTISE_HOST',
    'Host the control plane uses to reach this agent.',
    { default: hostname(), defaultText: '<hostname>' },
  ),
  simulateGpus: v.optionalString(
    'GANTRY_SIMULATE_GPUS',
    'Simulated GPUs when nvidia-smi is absent, as COUNTxMODEL, e.g. 8xH100-80GB (comma-separate several).',
    {
      pattern: /^\d+x[A-Za-z0-9-]+(,\d+x[A-Za-z0-9-]+)*$/,
      expected: 'COUNTxMODEL, e.g. 8xH100-80GB',
    },
  ),
  nvidiaSmi: v.string('GANTRY_NVIDIA_SMI', 'The nvidia-smi program used to discover GPUs.', {
    default: 'nvidia-smi',
  }),
  labels: v.string('GANTRY_NODE_LABELS', 'Node labels as key=value pairs, comma-separated.', {
    default: '',
    defaultText: '(none)',
    pattern: /^([^=,\s]+=[^=,]*)?(,[^=,\s]+=[^=,]*)*$/,
    expected: 'key=value[,key=value...]',
  }),
  stateDir: v.string(
    'GANTRY_AGENT_STATE_DIR',
    'Directory for task logs, working directories and task records.',
    { default: '.gantry/agent', defaultText: '.gantry/agent' },
  ),
  killGraceSeconds: v.number(
    'GANTRY_KILL_GRACE_SECONDS',
    'Time between SIGTERM and SIGKILL when a task is stopped, unless the request says otherwise.',
    { default: 10, min: 0, max: 3600, unit: 'seconds' },
  ),
  simulationSpeedup: v.number(
    'GANTRY_SIMULATION_SPEEDUP',
    'Divides the time simulated work takes (10 runs it ten times faster).',
    { default: 1, min: 0.001, max: 1_000_000 },
  ),
  reportBatchSize: v.number(
    'GANTRY_REPORT_BATCH_SIZE',
    'Most task events sent in one ReportTaskEvents call.',
    { default: 256, min: 1, max: 10_000, integer: true, unit: 'events' },
  ),
  outboxMaxBytes: v.number(
    'GANTRY_AGENT_OUTBOX_MAX_BYTES',
    'Memory for task events not yet acknowledged by the control plane; past it, log lines are ' +
      'dropped (counted, and the count reported) while start and exit events are kept, and of ' +
      'progress and checkpoint events the newest.',
    { default: 64 * 1024 * 1024, min: 64 * 1024, integer: true, unit: 'bytes' },
  ),
  reconnectMaxSeconds: v.number(
    'GANTRY_AGENT_RECONNECT_MAX_SECONDS',
    'Longest wait between attempts to reach the control plane after it went away (a restart): ' +
      "keep it well under the control plane's GANTRY_NODE_LOST_TIMEOUT_SECONDS, or a restart " +
      'that outlasts a few attempts gets the node counted lost and its tasks run again elsewhere.',
    { default: 1, min: 0.1, max: 60, unit: 'seconds' },
  ),
  shutdownFlushSeconds: v.number(
    'GANTRY_AGENT_SHUTDOWN_FLUSH_SECONDS',
    'On SIGTERM, after its tasks have stopped: how long the agent tries to deliver their last events.',
    { default: 5, min: 0, max: 600, unit: 'seconds' },
  ),
  enginePreset: v.oneOf(
    'GANTRY_ENGINE_PRESET',
    'The inference engine started for jobs that name none: auto (simulated on simulated GPUs, ' +
      'else vllm), vllm, sglang or simulated.',
    ['auto', 'vllm', 'sglang', 'simulated'],
    'auto',
  ),
  engineCommand: v.optionalString(
    'GANTRY_ENGINE_COMMAND',
    'A custom engine command line, run without a shell; placeholders {model} {revision} ' +
      '{port} (required) {gpus} {host} {node} {simulated_engine}. When set, the default engine ' +
      'instead of GANTRY_ENGINE_PRESET.',
  ),
  engineStartTimeoutSeconds: v.number(
    'GANTRY_ENGINE_START_TIMEOUT_SECONDS',
    'How long an engine may take from start to answering GET /health with 200.',
    { default: 600, min: 1, max: 86_400, unit: 'seconds' },
  ),
  engineIdleSeconds: v.number(
    'GANTRY_ENGINE_IDLE_SECONDS',
    'An engine no task uses stops after this long (0: as soon as its last task ends).',
    { default: 600, min: 0, max: 604_800, unit: 'seconds' },
  ),
  engineStopGraceSeconds: v.number(
    'GANTRY_ENGINE_STOP_GRACE_SECONDS',
    'Time between SIGTERM and SIGKILL when the agent stops an engine.',
    { default: 10, min: 0, max: 3600, unit: 'seconds' },
  ),
  storageDir,
  maxMessageBytes,
  logLevel,
};

export type NodeAgentConfig = Values<typeof nodeAgentSpec>;

export function loadNodeAgentConfig(env: Env = process.env): NodeAgentConfig {
  return load(nodeAgentSpec, env);
}

/** The variables every task inherits from the agent; everything else comes from the job spec. */
export interface TaskBaseEnvironment {
  readonly PATH: string;
  readonly HOME: string;
  readonly LANG: string;
}

/**
 * The minimal environment a node agent passes on to the commands it runs: PATH (where argv[0] is
 * looked up), HOME and LANG, with safe defaults when the agent itself lacks them. Nothing else of
 * the agent's environment (tokens, cloud credentials) reaches a task.
 */
export function taskBaseEnvironment(env: Env = process.env): TaskBaseEnvironment {
  const pick = (name: string, fallback: string) => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : value;
  };
  return {
    PATH: pick('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'),
    HOME: pick('HOME', '/'),
    LANG: pick('LANG', 'C.UTF-8'),
  };
}

/**
 * Prefixes of the agent's variables an inference engine inherits besides PATH, HOME and LANG:
 * model downloads and caches (HF_HOME, HF_TOKEN, ...), the engines' own settings, and the
 * CUDA, NCCL and PyTorch knobs an operator sets for the GPUs. Nothing named GANTRY_*.
 */
export const ENGINE_ENV_PREFIXES = [
  'HF_',
  'HUGGING_FACE_',
  'TRANSFORMERS_',
  'VLLM_',
  'SGLANG_',
  'NCCL_',
  'TORCH_',
  'TRITON_',
  'CUDA_',
  'LD_LIBRARY_PATH',
  'XDG_CACHE_HOME',
] as const;

/**
 * The environment of the engines the agent starts: taskBaseEnvironment plus the agent's
 * variables named by ENGINE_ENV_PREFIXES (CUDA_VISIBLE_DEVICES excepted: the agent sets it per
 * engine). Tokens of Gantry itself never reach an engine.
 */
export function engineBaseEnvironment(env: Env = process.env): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (
      value !== undefined &&
      name !== 'CUDA_VISIBLE_DEVICES' &&
      ENGINE_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))
    )
      inherited[name] = value;
  return { ...inherited, ...taskBaseEnvironment(env) };
}
