import { UsageError } from '../errors/cli-errors';
import { parsePolicies, parseSimulateOptions, SIMULATE_DEFAULTS } from './simulate-options';
import { locateTrace, repositoryRoot, resolveTracesDir } from './trace-source';

const raw = (overrides: Record<string, string> = {}) => ({ ...SIMULATE_DEFAULTS, ...overrides });

describe('gantry simulate options', () => {
  it('has documented defaults', () => {
    const options = parseSimulateOptions(raw());
    expect(options.policies).toContain('fifo');
    expect({ ...options, policies: [] }).toEqual({
      trace: 'philly',
      cluster: '94x8xV100',
      load: 1,
      policies: [],
      seed: 1,
      limit: null,
      tenants: 8,
      checkpointIntervalSeconds: 1800,
      html: null,
      tracesDir: null,
      renters: null,
    });
  });

  it('reads every flag', () => {
    const options = parseSimulateOptions(
      raw({
        trace: 'itp/cluster04',
        load: '1.5',
        policy: 'fifo',
        seed: '7',
        limit: '100',
        tenants: '3',
        checkpointInterval: '0',
        html: 'o.html',
        tracesDir: '/t',
      }),
    );
    expect(options).toMatchObject({
      trace: 'itp/cluster04',
      load: 1.5,
      policies: ['fifo'],
      seed: 7,
      limit: 100,
      tenants: 3,
      checkpointIntervalSeconds: 0,
      html: 'o.html',
      tracesDir: '/t',
    });
  });

  it.each([
    [{ load: '0' }, "--load: must be a number > 0 and <= 1000 (got '0')"],
    [{ load: 'fast' }, "--load: must be a number > 0 and <= 1000 (got 'fast')"],
    [{ seed: '1.5' }, "--seed: must be a whole number from 0 to 4294967295 (got '1.5')"],
    [{ limit: '0' }, "--limit: must be a whole number >= 1 (got '0')"],
    [{ tenants: '' }, "--tenants: must be a whole number from 1 to 1000 (got '')"],
    [
      { checkpointInterval: '-5' },
      "--checkpoint-interval: must be a whole number of seconds >= 0 (0: jobs never checkpoint) (got '-5')",
    ],
    [{ policy: 'fifo,lottery' }, /--policy: unknown policy 'lottery' \(known: fifo/],
    [{ policy: ',' }, /--policy: name at least one of fifo/],
    [{ trace: ' ' }, '--trace: must name a trace or a CSV file'],
  ])('rejects %o', (overrides, message) => {
    expect(() => parseSimulateOptions(raw(overrides))).toThrow(UsageError);
    expect(() => parseSimulateOptions(raw(overrides))).toThrow(message);
  });

  it('puts the baseline first and drops repeats', () => {
    expect(parsePolicies('fifo,fifo')).toEqual(['fifo']);
    expect(parsePolicies(undefined)[0]).toBe('fifo');
  });

  it('finds traces by name or path', () => {
    expect(locateTrace('philly', '/t')).toEqual({
      name: 'philly',
      path: '/t/philly/jobs.csv',
      format: 'philly',
    });
    expect(locateTrace('itp/cluster04', '/t')).toEqual({
      name: 'itp/cluster04',
      path: '/t/itp/cluster04.csv',
      format: 'itp',
    });
    expect(locateTrace('/data/x.csv', '/t')).toEqual({
      name: 'x.csv',
      path: '/data/x.csv',
      format: undefined,
    });
    expect(() => locateTrace('itp/4', '/t')).toThrow(
      /--trace: 'itp\/4' is not philly, itp\/clusterNN/,
    );
  });

  it('takes the traces folder from the flag, else the environment, else beside the repository', () => {
    expect(resolveTracesDir('/a', '/b')).toBe('/a');
    expect(resolveTracesDir(null, '/b')).toBe('/b');
    const root = repositoryRoot()!;
    expect(resolveTracesDir(null, undefined)).toBe(`${root.replace(/\/[^/]+$/, '')}/shared/traces`);
  });
});
