import { execFile } from 'node:child_process';
import { FailedPreconditionError } from '@gantry/domain';

/**
 * A way to run a program without network: a command prefix that puts it in a new network
 * namespace (only a loopback interface, down) and a new PID namespace (so every process it
 * starts, even one that left its process group with setsid, dies when it ends, and it cannot
 * signal the agent's processes).
 */
export interface NetworkIsolation {
  readonly name: string;
  /** Put before the program's argv; ends with `--`. */
  readonly prefix: readonly string[];
}

const NAMESPACES = ['--net', '--pid', '--fork', '--kill-child'];

/**
 * Tried in order by `detectNetworkIsolation`: an unprivileged user namespace first (works as
 * root and, where the kernel allows unprivileged user namespaces, as any user; the program's
 * capabilities then reach no further than its own namespaces), then plain namespaces (root
 * only, for kernels without user namespaces).
 */
export const NETWORK_ISOLATIONS: readonly NetworkIsolation[] = [
  {
    name: 'user, network and PID namespaces',
    prefix: ['unshare', '--user', '--map-root-user', ...NAMESPACES, '--'],
  },
  { name: 'network and PID namespaces', prefix: ['unshare', ...NAMESPACES, '--'] },
];

/**
 * The first isolation that works here, checked by running `cat /proc/self/net/dev` under it
 * and requiring that the program sees no network interface but loopback. Runs once, when the
 * sandbox is made. Throws `FailedPreconditionError` naming every attempt and why it failed
 * when none works: code is never run with network.
 */
export async function detectNetworkIsolation(
  candidates: readonly NetworkIsolation[],
  env: Readonly<Record<string, string>>,
  timeoutMs = 5_000,
): Promise<NetworkIsolation> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    const failure = await probe(candidate, env, timeoutMs);
    if (failure === null) return candidate;
    failures.push(`${candidate.name} (${candidate.prefix.join(' ')}): ${failure}`);
  }
  throw new FailedPreconditionError(
    `the sandbox cannot run programs without network here, so it runs none. Tried: ${failures.join('; ')}. ` +
      'Allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, ' +
      'user.max_user_namespaces > 0, no AppArmor restriction) or run the agent as root.',
  );
}

/** Null when the candidate isolates; otherwise why not. */
function probe(
  candidate: NetworkIsolation,
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<string | null> {
  const [program, ...args] = [...candidate.prefix, 'cat', '/proc/self/net/dev'];
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      { env: { ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) {
          const said = stderr.trim() ? `: ${stderr.trim()}` : '';
          return resolve(`${probeFailure(error, timeoutMs)}${said}`);
        }
        const interfaces = stdout
          .split('\n')
          .slice(2)
          .map((line) => line.split(':')[0]!.trim())
          .filter((name) => name !== '');
        const others = interfaces.filter((name) => name !== 'lo');
        resolve(others.length === 0 ? null : `the program still sees ${others.join(', ')}`);
      },
    );
  });
}

function probeFailure(
  error: Error & { code?: unknown; killed?: boolean; signal?: unknown },
  timeoutMs: number,
): string {
  if (error.killed) return `no answer within ${timeoutMs} ms`;
  if (typeof error.code === 'number') return `exited with code ${error.code}`;
  if (typeof error.code === 'string') return `cannot start it (${error.code})`;
  if (typeof error.signal === 'string') return `killed by ${error.signal}`;
  return error.message;
}
