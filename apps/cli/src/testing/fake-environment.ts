import { type CliConfig } from '@gantry/config';
import { type CliEnvironment, type GlobalOptions, type OutputStream } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';

/** An output stream that keeps what was written (named so: it stands in for a terminal/pipe). */
export class CapturedOutput implements OutputStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 120,
  ) {}
  write(text: string | Uint8Array): boolean {
    this.text += typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    return true;
  }
}

export const testConfig: CliConfig = {
  home: '/nonexistent/gantry-home',
  endpoint: undefined,
  apiKey: undefined,
  redisUrl: undefined,
  redisServer: 'redis-server',
  upStartTimeoutSeconds: 60,
  upStopGraceSeconds: 10,
  childLogLevel: 'info',
  tracesDir: undefined,
};

/**
 * A CLI environment around a fake API: commands run as they would, without a control plane.
 * `connected` records the global flags each connect saw.
 */
export function fakeEnvironment(
  api: Partial<GantryApi>,
  options: {
    tty?: boolean;
    /** Whether stderr is a terminal (progress lines go there). */
    stderrTty?: boolean;
    now?: number;
    config?: Partial<CliConfig>;
    stdin?: string;
    cwd?: string;
  } = {},
) {
  const stdout = new CapturedOutput(options.tty ?? false);
  const stderr = new CapturedOutput(options.stderrTty ?? false);
  const connected: GlobalOptions[] = [];
  const env: CliEnvironment = {
    stdout,
    stderr,
    stdin: (async function* () {
      if (options.stdin !== undefined) yield options.stdin;
    })(),
    cwd: options.cwd ?? '/nonexistent/cwd',
    config: { ...testConfig, ...options.config },
    connect: async (globals) => {
      connected.push(globals);
      return { endpoint: '127.0.0.1:50051', close: () => {}, ...api } as GantryApi;
    },
    now: () => options.now ?? Date.parse('2026-11-29T12:00:00Z'),
    sleep: async () => {},
  };
  return { env, stdout, stderr, connected };
}
