import { STOP_REASON_TEXT, type StopReason, type TaskExit } from '../backend';

/** The human message of a task's exit: what ended it and how. */
export function exitMessage(
  code: number | null,
  signal: NodeJS.Signals | null,
  stopped: { reason: StopReason; message: string | undefined } | undefined,
): string {
  const how = signal !== null ? `killed by ${signal}` : `exited with code ${code ?? -1}`;
  if (!stopped) return how;
  return `${stopped.message || STOP_REASON_TEXT[stopped.reason]}; ${how}`;
}

/** The exit of a program that could not be started, with a message that names it. */
export function startFailure(program: string, error: unknown): TaskExit {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? program.includes('/')
        ? 'no such file'
        : "not found on the agent's PATH"
      : code === 'EACCES'
        ? 'permission denied (not executable?)'
        : (error as Error).message;
  return {
    exitCode: -1,
    signal: '',
    reason: 'StartFailed',
    message: `cannot start "${program}": ${why}${code ? ` (${code})` : ''}`,
  };
}
