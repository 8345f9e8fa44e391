import { type Command } from 'commander';
import { type GlobalOptions } from './cli-environment';

/** Records a command's exit code; run-cli returns it. */
export type Report = (code: number) => void;

export interface ActionInput<Options> {
  /** The positional arguments, in order (a variadic one is an array). */
  readonly args: readonly unknown[];
  readonly options: Options;
  readonly globals: GlobalOptions;
}

/**
 * Adapts an async handler returning an exit code to commander's action signature
 * `(...args, options, command)`.
 */
export function action<Options>(
  report: Report,
  handler: (input: ActionInput<Options>) => Promise<number>,
): (...all: unknown[]) => Promise<void> {
  return async (...all: unknown[]) => {
    const command = all[all.length - 1] as Command;
    // commander's option values are untyped (Record<string, any>); each command declares its own.
    const options = command.opts() as unknown as Options;
    const globals = command.optsWithGlobals() as unknown as GlobalOptions;
    const code = await handler({ args: all.slice(0, -2), options, globals });
    report(code);
  };
}

/** Collects a repeatable flag's values: `--env A=1 --env B=2`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** An `Examples:` block for a command's --help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}
