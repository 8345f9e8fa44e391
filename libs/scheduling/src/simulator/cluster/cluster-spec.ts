/**
 * The simulated cluster: groups of identical nodes. Written as `16x8xV100` (16 nodes of 8
 * V100s), groups joined by `+` (`16x8xV100+4x8xH100`), with an optional `/D` at the end for the
 * nodes per fabric domain (`64x8xV100/16`); or as JSON (the CLI reads a file):
 *   { "groups": [{ "nodes": 16, "gpusPerNode": 8, "model": "V100" }], "fabricDomainNodes": 8 }
 * A model is a catalog id (`H100-80GB`) or a short name: V100 -> V100-32GB, A100 -> A100-80GB,
 * H100 -> H100-80GB, H200 -> H200-141GB, B200 -> B200-192GB.
 */
import { findGpuModel, gpuModelIds } from '@gantry/domain';

export interface NodeGroupSpec {
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** Catalog id. */
  readonly model: string;
}

export interface ClusterSpec {
  readonly groups: readonly NodeGroupSpec[];
  /**
   * Nodes per fabric domain (a multi-node job stays inside one). Consecutive nodes of a group
   * form a domain; domains never span groups. Default 16: a leaf-switch pod of 128 GPUs, which
   * holds the largest Philly job (128 GPUs).
   */
  readonly fabricDomainNodes: number;
}

export const DEFAULT_FABRIC_DOMAIN_NODES = 16;

const SHORT_NAMES: Readonly<Record<string, string>> = {
  v100: 'V100-32GB',
  a100: 'A100-80GB',
  h100: 'H100-80GB',
  h200: 'H200-141GB',
  b200: 'B200-192GB',
};

export class ClusterSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterSpecError';
  }
}

/** A catalog id for a short name or id; throws listing the choices. */
export function resolveGpuModel(name: string): string {
  const model = SHORT_NAMES[name.trim().toLowerCase()] ?? findGpuModel(name)?.id;
  if (!model)
    throw new ClusterSpecError(
      `unknown GPU model '${name}' (use ${Object.keys(SHORT_NAMES)
        .map((s) => s.toUpperCase())
        .join(', ')} or a catalog id: ${gpuModelIds().join(', ')})`,
    );
  return model;
}

function wholeNumber(value: unknown, what: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw new ClusterSpecError(
      `${what}: must be a whole number from 1 to ${max} (got ${String(value)})`,
    );
  return value;
}

const GROUP = /^(\d+)x(\d+)x([A-Za-z0-9-]+)$/;

/** Parses `16x8xV100[+...][/D]`. */
export function parseClusterSpec(text: string): ClusterSpec {
  const [groupsText, domainText, ...extra] = text.trim().split('/');
  if (extra.length > 0 || !groupsText)
    throw new ClusterSpecError(`cluster '${text}': expected NODESxGPUSxMODEL[+...][/DOMAIN_NODES]`);
  const groups = groupsText.split('+').map((part) => {
    const match = GROUP.exec(part.trim());
    if (!match)
      throw new ClusterSpecError(
        `cluster '${text}': '${part}' is not NODESxGPUSxMODEL (e.g. 16x8xV100)`,
      );
    return {
      nodes: wholeNumber(Number(match[1]), `cluster '${text}': nodes`, 100_000),
      gpusPerNode: wholeNumber(Number(match[2]), `cluster '${text}': GPUs per node`, 64),
      model: resolveGpuModel(match[3]!),
    };
  });
  const fabricDomainNodes =
    domainText === undefined
      ? DEFAULT_FABRIC_DOMAIN_NODES
      : wholeNumber(Number(domainText), `cluster '${text}': nodes per fabric domain`, 100_000);
  return { groups, fabricDomainNodes };
}

/** Checks a cluster file's parsed JSON. */
export function clusterSpecFromJson(value: unknown, source = 'cluster file'): ClusterSpec {
  if (
    typeof value !== 'object' ||
    value === null ||
    !Array.isArray((value as { groups?: unknown }).groups)
  )
    throw new ClusterSpecError(
      `${source}: expected { "groups": [{ "nodes", "gpusPerNode", "model" }] }`,
    );
  const { groups, fabricDomainNodes } = value as { groups: unknown[]; fabricDomainNodes?: unknown };
  if (groups.length === 0)
    throw new ClusterSpecError(`${source}: groups: needs at least one group`);
  return {
    groups: groups.map((group, i) => {
      const g = (typeof group === 'object' && group !== null ? group : {}) as Record<
        string,
        unknown
      >;
      if (typeof g.model !== 'string')
        throw new ClusterSpecError(`${source}: groups[${i}].model: must be a string`);
      return {
        nodes: wholeNumber(g.nodes, `${source}: groups[${i}].nodes`, 100_000),
        gpusPerNode: wholeNumber(g.gpusPerNode, `${source}: groups[${i}].gpusPerNode`, 64),
        model: resolveGpuModel(g.model),
      };
    }),
    fabricDomainNodes:
      fabricDomainNodes === undefined
        ? DEFAULT_FABRIC_DOMAIN_NODES
        : wholeNumber(fabricDomainNodes, `${source}: fabricDomainNodes`, 100_000),
  };
}

/** `16x8xV100-32GB/16`: the spec written back, with catalog ids. */
export function describeCluster(spec: ClusterSpec): string {
  const groups = spec.groups.map((g) => `${g.nodes}x${g.gpusPerNode}x${g.model}`).join('+');
  return `${groups}/${spec.fabricDomainNodes}`;
}
