import { parseEngineArgs, UsageError } from './options';

function error(argv: string[]): string {
  try {
    parseEngineArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseEngineArgs', () => {
  it('has defaults for everything but --model', () => {
    expect(parseEngineArgs(['--model', 'sim-7b'])).toEqual({
      help: false,
      options: {
        model: 'sim-7b',
        host: '127.0.0.1',
        port: 0,
        accuracy: 0.7,
        seed: 0,
        latencyMs: 0,
        failRate: 0,
        crashAfter: null,
        startupDelayMs: 0,
      },
    });
  });

  it('takes every flag, as --flag value or --flag=value', () => {
    const parsed = parseEngineArgs([
      '--model=org/m',
      '--host',
      '0.0.0.0',
      '--port=8000',
      '--accuracy',
      '0.9',
      '--seed',
      '42',
      '--latency-ms',
      '12.5',
      '--fail-rate=0.1',
      '--crash-after',
      '0',
      '--startup-delay-ms',
      '300',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        model: 'org/m',
        host: '0.0.0.0',
        port: 8000,
        accuracy: 0.9,
        seed: 42,
        latencyMs: 12.5,
        failRate: 0.1,
        crashAfter: 0,
        startupDelayMs: 300,
      },
    });
  });

  it('answers --help', () => {
    expect(parseEngineArgs(['--model', 'x', '--help'])).toEqual({ help: true });
  });

  it.each([
    [[], '--model is required'],
    [['--model'], '--model needs a value'],
    [['--model', 'm', '--port'], '--port needs a value'],
    [['--model', 'm', '--port', '--seed', '1'], '--port needs a value'],
    [['--model', 'm', '--bogus', '1'], 'unknown flag --bogus'],
    [['--model', 'm', 'extra'], "unexpected argument 'extra'"],
    [['--model', 'm', '--model', 'n'], '--model is given twice'],
    [['--model', ' '], '--model must not be empty'],
    [
      ['--model', 'm', '--port', 'abc'],
      "--port must be a whole number from 0 to 65535 (got 'abc')",
    ],
    [
      ['--model', 'm', '--port', '70000'],
      "--port must be a whole number from 0 to 65535 (got '70000')",
    ],
    [['--model', 'm', '--accuracy', '1.5'], "--accuracy must be a number from 0 to 1 (got '1.5')"],
    [['--model', 'm', '--fail-rate', 'x'], "--fail-rate must be a number from 0 to 1 (got 'x')"],
    [
      ['--model', 'm', '--latency-ms', '-5'],
      "--latency-ms must be a number from 0 to 86400000 (got '-5')",
    ],
    [['--model', 'm', '--crash-after', '1.5'], '--crash-after must be a whole number'],
    [['--model', 'm', '--seed', '-1'], '--seed must be a whole number from 0 to 4294967295'],
    [
      ['--model', 'm', '--startup-delay-ms='],
      "--startup-delay-ms must be a number from 0 to 86400000 (got '')",
    ],
  ])('%j -> %s', (argv, message) => {
    expect(error(argv)).toContain(message);
  });
});
