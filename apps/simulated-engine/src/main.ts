/**
 * The simulated engine program: `node dist/apps/simulated-engine/src/main.js --model NAME ...`
 * (flags in options.ts and README.md). A bad command line exits 2 naming the flag. Once it
 * serves it prints `{"event":"listening","port":N}` on stdout. SIGTERM or SIGINT closes the
 * server and exits 0; --crash-after exits 1 at once, after a line on stderr.
 */
import { parseEngineArgs, USAGE, UsageError, type EngineOptions } from './options';
import { startSimulatedEngine, type SimulatedEngine } from './server';

const EX_USAGE = 2;

function parse(): EngineOptions {
  try {
    const parsed = parseEngineArgs(process.argv.slice(2));
    if (!parsed.help) return parsed.options;
    process.stdout.write(USAGE);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`simulated-engine: ${error.message} (see --help)\n`);
    process.exit(EX_USAGE);
  }
}

async function main(): Promise<void> {
  const options = parse();
  const running: { engine?: SimulatedEngine } = {};
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Before it listens there is nothing to close.
    void (running.engine?.close() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const engine = await startSimulatedEngine({
    engine: options,
    onCrash: (request) => {
      process.stderr.write(
        `simulated-engine: crashing on completion request ${request} (--crash-after ${options.crashAfter})\n`,
      );
      process.exit(1);
    },
  });
  running.engine = engine;
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: engine.port })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `simulated-engine: failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
