import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

/** Finds a free TCP port on `host`, for an engine to listen on. */
export type FindPort = (host: string) => Promise<number>;

/**
 * Asks the kernel for a free port (listen on 0, read it, close). Another process could take it
 * before the engine binds it; the engine then fails to start and says so in its log.
 */
export const findFreePort: FindPort = async (host) => {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
};
