import { type CliConfig } from '@gantry/config';
import { contextPath, readContext } from './context-file';
import { type GantryApi } from './grpc-api';
import { resolveConnection } from './resolve-connection';

export type OpenApi = (endpoint: string, apiKey: string) => GantryApi;

/**
 * Resolves endpoint and key (flags > GANTRY_ENDPOINT/GANTRY_API_KEY > the context file) and
 * opens the API. The context file is read only when flags and environment leave a gap.
 */
export async function connect(
  flags: { readonly endpoint?: string; readonly apiKey?: string },
  config: CliConfig,
  open: OpenApi,
): Promise<GantryApi> {
  const env = { endpoint: config.endpoint, apiKey: config.apiKey };
  const path = contextPath(config.home);
  const complete = (flags.endpoint ?? env.endpoint) && (flags.apiKey ?? env.apiKey);
  const context = complete ? undefined : await readContext(path);
  const connection = resolveConnection({ flags, env, context, contextPath: path });
  return open(connection.endpoint, connection.apiKey);
}
