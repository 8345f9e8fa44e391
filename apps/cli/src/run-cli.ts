import { CommanderError } from 'commander';
import { type CliEnvironment } from './cli-environment';
import { describeErrorLines, ExitCode, exitCodeFor } from './errors/exit-codes';
import { buildProgram } from './program';

/**
 * Runs one `gantry` invocation and returns its exit code. Every failure ends here: it is
 * printed as one line on stderr (`gantry: error: ...`) and mapped to its exit code by kind.
 */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  let code: number = ExitCode.Ok;
  const program = buildProgram(env, (reported) => {
    code = reported;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    // commander has already printed its own message (or the help it was asked for).
    if (!(error instanceof CommanderError))
      for (const line of describeErrorLines(error)) env.stderr.write(`gantry: error: ${line}\n`);
    return exitCodeFor(error);
  }
}
