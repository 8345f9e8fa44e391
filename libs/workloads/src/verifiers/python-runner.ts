// The Python program the unit-tests verifier runs in the sandbox: the candidate's solution,
// then the problem's tests, in one namespace.

/** The files of one unit-tests run, written into the sandbox's throwaway directory. */
export const RUNNER_FILE = 'runner.py';
export const SOLUTION_FILE = 'solution.py';
export const TESTS_FILE = 'tests.py';

/**
 * The runner. It reads a one-time token from stdin first, runs `solution.py` (as a module named
 * `solution`, so a `if __name__ == "__main__":` block does not run), then `tests.py` in the
 * same namespace, and prints the token only after the tests finished. Any exception (a failed
 * assert, a syntax error included) exits 1 with its traceback, without the runner's own frame,
 * on stderr. A candidate that exits early
 * (`sys.exit(0)`, `os._exit(0)`) never prints the token, so it cannot pass by skipping the
 * tests: the token is in no file, and by the time its code runs, stdin is spent. (This stops
 * early exits, the common reward hack; code that digs through the runner's frames could still
 * find the token. The sandbox, not the runner, is the security boundary.) The token goes out
 * with a raw write to fd 1, so a candidate that replaced `sys.stdout` does not swallow it.
 */
export const RUNNER_SOURCE = `import os
import sys
import traceback


def _gantry_main():
    token = sys.stdin.readline().strip()
    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    for path in (${JSON.stringify(SOLUTION_FILE)}, ${JSON.stringify(TESTS_FILE)}):
        try:
            with open(path, encoding="utf-8") as source:
                code = compile(source.read(), path, "exec")
            exec(code, namespace)
        except SystemExit:
            raise
        except BaseException as error:
            # The traceback from the candidate's or the tests' code on: not the runner's frame.
            traceback.print_exception(type(error), error, error.__traceback__.tb_next)
            sys.exit(1)
    try:
        sys.stdout.flush()
    except Exception:
        pass
    os.write(1, ("\\n" + token + "\\n").encode())


_gantry_main()
`;

/** Whether the runner finished the tests: its stdout ends with the run's token. */
export function finishedTests(stdout: string, token: string): boolean {
  return stdout.trimEnd().endsWith(`\n${token}`) || stdout.trim() === token;
}
