import { type Node } from '@gantry/proto';
import { formatAge } from '../spec/duration';
import { nodeStateName } from './states';
import { renderTable, type Column } from './table';

/** `8xH100-80GB`, or `4xH100-80GB,2xA100-80GB` for a mixed node; unknown models by name. */
export function gpuInventory(node: Node): string {
  const counts = new Map<string, number>();
  for (const gpu of node.inventory?.gpus ?? []) {
    const model = gpu.model || gpu.name || 'unknown';
    counts.set(model, (counts.get(model) ?? 0) + 1);
  }
  return [...counts].map(([model, count]) => `${count}x${model}`).join(',');
}

export function gpuCount(node: Node): number {
  return node.inventory?.gpus.length ?? 0;
}

export function nodeColumns(now: number, wide: boolean): Column<Node>[] {
  const columns: Column<Node>[] = [
    { header: 'NAME', value: (n) => n.name, maxWidth: 32 },
    { header: 'STATE', value: (n) => nodeStateName(n.state) },
    { header: 'GPUS', value: gpuInventory },
    {
      header: 'ALLOCATED',
      value: (n) => `${n.allocatedGpuIndices.length}/${gpuCount(n)}`,
      align: 'right',
    },
    { header: 'TASKS', value: (n) => String(n.runningTasks), align: 'right' },
    { header: 'SIMULATED', value: (n) => (n.inventory?.simulated ? 'yes' : 'no') },
    {
      header: 'LAST HEARTBEAT',
      value: (n) =>
        n.lastHeartbeatTime ? `${formatAge(n.lastHeartbeatTime.getTime(), now)} ago` : 'never',
    },
  ];
  if (!wide) return columns;
  return [
    ...columns,
    { header: 'ADDRESS', value: (n) => n.address },
    { header: 'ID', value: (n) => n.id },
    { header: 'VERSION', value: (n) => n.agentVersion },
    {
      header: 'LABELS',
      value: (n) =>
        Object.entries(n.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
    },
  ];
}

export function renderNodeTable(nodes: readonly Node[], now: number, wide: boolean): string {
  return renderTable(nodeColumns(now, wide), nodes, { wide });
}
