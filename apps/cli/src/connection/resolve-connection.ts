import { NoApiKeyError, NoEndpointError, UsageError } from '../errors/cli-errors';
import { type ClusterContext } from './context-file';

/** Where the endpoint and key of a command come from, highest precedence first. */
export interface ConnectionSources {
  /** --endpoint, --api-key */
  readonly flags: { readonly endpoint?: string; readonly apiKey?: string };
  /** GANTRY_ENDPOINT, GANTRY_API_KEY */
  readonly env: { readonly endpoint?: string; readonly apiKey?: string };
  /** GANTRY_HOME/context.json, written by `gantry up`. */
  readonly context: ClusterContext | undefined;
  readonly contextPath: string;
}

export type Source = 'flag' | 'environment' | 'context';

export interface Connection {
  readonly endpoint: string;
  readonly apiKey: string;
  readonly endpointSource: Source;
  readonly apiKeySource: Source;
}

const ENDPOINT = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

export function checkEndpoint(endpoint: string, flag = '--endpoint'): string {
  const match = ENDPOINT.exec(endpoint.trim());
  if (!match || Number(match[2]) > 65_535)
    throw new UsageError(`${flag}: must be host:port, e.g. 127.0.0.1:50051 (got '${endpoint}')`);
  return endpoint.trim();
}

/**
 * Flags beat the environment, which beats the context. The context's key goes only to the
 * context's own endpoint: pointing the CLI at another cluster never sends it the local admin
 * key.
 */
export function resolveConnection(sources: ConnectionSources): Connection {
  const { flags, env, context } = sources;
  const endpointChoice: [string, Source] | undefined = flags.endpoint
    ? [checkEndpoint(flags.endpoint), 'flag']
    : env.endpoint
      ? [checkEndpoint(env.endpoint, 'GANTRY_ENDPOINT'), 'environment']
      : context
        ? [context.endpoint, 'context']
        : undefined;
  if (!endpointChoice) throw new NoEndpointError(sources.contextPath);
  const [endpoint, endpointSource] = endpointChoice;

  const keyChoice: [string, Source] | undefined = flags.apiKey
    ? [flags.apiKey, 'flag']
    : env.apiKey
      ? [env.apiKey, 'environment']
      : context && context.endpoint === endpoint
        ? [context.apiKey, 'context']
        : undefined;
  if (!keyChoice) throw new NoApiKeyError(endpoint);
  return { endpoint, endpointSource, apiKey: keyChoice[0], apiKeySource: keyChoice[1] };
}
