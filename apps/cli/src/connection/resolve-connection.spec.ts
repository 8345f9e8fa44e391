import { UnauthenticatedError } from '@gantry/domain';
import { NoApiKeyError, NoEndpointError, UsageError } from '../errors/cli-errors';
import { resolveConnection, type ConnectionSources } from './resolve-connection';

const context = { endpoint: '127.0.0.1:50051', apiKey: 'gk_context' };
const base: ConnectionSources = {
  flags: {},
  env: {},
  context: undefined,
  contextPath: '/home/me/.gantry/context.json',
};

describe('resolveConnection', () => {
  it('uses the context when nothing else is given', () => {
    expect(resolveConnection({ ...base, context })).toEqual({
      endpoint: '127.0.0.1:50051',
      apiKey: 'gk_context',
      endpointSource: 'context',
      apiKeySource: 'context',
    });
  });

  it('prefers the environment to the context', () => {
    const resolved = resolveConnection({
      ...base,
      context,
      env: { endpoint: 'gantry.example:443', apiKey: 'gk_env' },
    });
    expect(resolved).toMatchObject({ endpoint: 'gantry.example:443', apiKey: 'gk_env' });
    expect(resolved.endpointSource).toBe('environment');
  });

  it('prefers flags to the environment and the context', () => {
    const resolved = resolveConnection({
      ...base,
      context,
      env: { endpoint: 'gantry.example:443', apiKey: 'gk_env' },
      flags: { endpoint: 'other:50051', apiKey: 'gk_flag' },
    });
    expect(resolved).toEqual({
      endpoint: 'other:50051',
      apiKey: 'gk_flag',
      endpointSource: 'flag',
      apiKeySource: 'flag',
    });
  });

  it('mixes sources field by field', () => {
    const resolved = resolveConnection({ ...base, context, flags: { apiKey: 'gk_flag' } });
    expect(resolved).toMatchObject({ endpoint: '127.0.0.1:50051', apiKey: 'gk_flag' });
    expect(resolved.endpointSource).toBe('context');
  });

  it("keeps the context's key for the context's endpoint", () => {
    const resolved = resolveConnection({
      ...base,
      context,
      flags: { endpoint: '127.0.0.1:50051' },
    });
    expect(resolved.apiKey).toBe('gk_context');
  });

  it("never sends the context's key to another endpoint", () => {
    const run = () => resolveConnection({ ...base, context, env: { endpoint: 'remote:50051' } });
    expect(run).toThrow(NoApiKeyError);
    expect(run).toThrow(UnauthenticatedError);
    expect(run).toThrow('no API key for remote:50051: pass --api-key KEY');
  });

  it('says how to get an endpoint when there is none', () => {
    const run = () => resolveConnection(base);
    expect(run).toThrow(NoEndpointError);
    expect(run).toThrow('gantry up');
    expect(run).toThrow('/home/me/.gantry/context.json');
  });

  it.each(['localhost', 'http://x:1', 'x:99999', ':50051'])(
    'rejects the endpoint %j',
    (endpoint) => {
      expect(() => resolveConnection({ ...base, flags: { endpoint, apiKey: 'k' } })).toThrow(
        UsageError,
      );
    },
  );

  it('accepts an IPv6 endpoint', () => {
    const resolved = resolveConnection({
      ...base,
      flags: { endpoint: '[::1]:50051', apiKey: 'k' },
    });
    expect(resolved.endpoint).toBe('[::1]:50051');
  });
});
