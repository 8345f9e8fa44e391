import type { Sandbox, SandboxRequest, SandboxResult } from '@gantry/workloads';

/**
 * A Sandbox made on its first run: `ProcessSandbox.create` probes the machine for an isolation
 * that works (and refuses without one), so a host that never runs untrusted code never probes.
 * A failed creation fails that run, and is tried again on the next.
 */
export function lazySandbox(create: () => Promise<Sandbox>): Sandbox {
  let made: Promise<Sandbox> | undefined;
  return {
    async run(request: SandboxRequest): Promise<SandboxResult> {
      made ??= create().catch((error: unknown) => {
        made = undefined;
        throw error;
      });
      return (await made).run(request);
    },
  };
}
