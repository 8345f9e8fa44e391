import { NodeState, type Node } from '@gantry/proto';

/** GET `url` answers 2xx within `timeoutMs` (the control plane's /readyz). */
export async function httpReady(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Whether every named node is READY and has been heard from since `sinceMs`. The time matters
 * on a restart: the database still lists the previous run's nodes, READY until the liveness
 * check notices them gone.
 */
export function nodesReady(
  nodes: readonly Node[],
  names: readonly string[],
  sinceMs: number,
): boolean {
  const fresh = new Set(
    nodes
      .filter((n) => n.state === NodeState.NODE_STATE_READY)
      .filter((n) => {
        const heard = Math.max(n.lastHeartbeatTime?.getTime() ?? 0, n.registerTime?.getTime() ?? 0);
        return heard >= sinceMs;
      })
      .map((n) => n.name),
  );
  return names.every((name) => fresh.has(name));
}
