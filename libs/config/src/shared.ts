import { v } from './variable';

export const CREDENTIAL_PATTERN = /^gk_[0-9a-f]{18}_[A-Za-z0-9_-]{43}$/;

export const logLevel = v.oneOf(
  'GANTRY_LOG_LEVEL',
  'Least severe log level written (JSON lines on stdout).',
  ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
  'info',
);

export const bootstrapToken = v.string(
  'GANTRY_BOOTSTRAP_TOKEN',
  'Shared secret node agents present to register. At least 16 characters.',
  { pattern: /^\S{16,}$/, expected: 'at least 16 characters without spaces' },
);

export const maxMessageBytes = v.number(
  'GANTRY_GRPC_MAX_MESSAGE_BYTES',
  'Largest gRPC message accepted or sent; larger ones get RESOURCE_EXHAUSTED.',
  { default: 4 * 1024 * 1024, min: 1024, integer: true, unit: 'bytes' },
);

export const storageDir = v.string(
  'GANTRY_STORAGE_DIR',
  'Directory of the file store (job inputs and outputs); the control plane and every agent of a cluster must see the same one (on Kubernetes a ReadWriteMany volume).',
  { default: '.gantry/storage' },
);
