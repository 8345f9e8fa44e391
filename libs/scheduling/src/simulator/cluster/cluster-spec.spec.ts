import { DEFAULT_POLICY_CONFIG } from '../../model';
import { buildCluster } from './build-nodes';
import {
  clusterSpecFromJson,
  describeCluster,
  parseClusterSpec,
  resolveGpuModel,
} from './cluster-spec';

const label = DEFAULT_POLICY_CONFIG.fabricLabel;

describe('cluster spec', () => {
  it.each([
    ['V100', 'V100-32GB'],
    ['h100', 'H100-80GB'],
    ['A100', 'A100-80GB'],
    ['L40S-48GB', 'L40S-48GB'],
  ])('resolves the model %s to %s', (name, id) => {
    expect(resolveGpuModel(name)).toBe(id);
  });

  it('parses groups and the fabric domain size', () => {
    expect(parseClusterSpec('16x8xV100')).toEqual({
      groups: [{ nodes: 16, gpusPerNode: 8, model: 'V100-32GB' }],
      fabricDomainNodes: 16,
    });
    const spec = parseClusterSpec('2x8xH100+3x4xA100/2');
    expect(spec.fabricDomainNodes).toBe(2);
    expect(describeCluster(spec)).toBe('2x8xH100-80GB+3x4xA100-80GB/2');
  });

  it.each([
    ['16x8', /'16x8' is not NODESxGPUSxMODEL/],
    ['0x8xV100', /nodes: must be a whole number from 1 to 100000 \(got 0\)/],
    ['4x8xP100', /unknown GPU model 'P100'/],
    ['4x8xV100/0', /nodes per fabric domain: must be a whole number/],
    ['4x8xV100/2/3', /expected NODESxGPUSxMODEL/],
  ])('rejects %s', (text, message) => {
    expect(() => parseClusterSpec(text)).toThrow(message);
  });

  it('reads a cluster file and names what is wrong in one', () => {
    expect(clusterSpecFromJson({ groups: [{ nodes: 2, gpusPerNode: 4, model: 'H100' }] })).toEqual({
      groups: [{ nodes: 2, gpusPerNode: 4, model: 'H100-80GB' }],
      fabricDomainNodes: 16,
    });
    expect(() => clusterSpecFromJson({ groups: [{ nodes: 2, model: 'H100' }] }, 'c.json')).toThrow(
      'c.json: groups[0].gpusPerNode: must be a whole number from 1 to 64 (got undefined)',
    );
    expect(() => clusterSpecFromJson([], 'c.json')).toThrow(/c.json: expected/);
  });

  it('builds nodes with fabric domains that never span groups', () => {
    const cluster = buildCluster(parseClusterSpec('3x8xV100+2x4xH100/2'), label);
    expect(cluster.nodes.map((n) => `${n.id}@${n.labels[label]}`)).toEqual([
      'node-0001@fabric-01',
      'node-0002@fabric-01',
      'node-0003@fabric-02',
      'node-0004@fabric-03',
      'node-0005@fabric-03',
    ]);
    expect(cluster.totalGpus).toBe(32);
    expect(cluster.gpusByModel).toEqual({ 'V100-32GB': 24, 'H100-80GB': 8 });
    expect(cluster.maxGpusPerNode).toBe(8);
    expect(cluster.nodes[4]!.gpus).toEqual(
      [0, 1, 2, 3].map((index) => ({ index, model: 'H100-80GB' })),
    );
  });
});
