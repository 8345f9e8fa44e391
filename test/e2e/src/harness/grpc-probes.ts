/** Standard gRPC health checking and server reflection, probed as grpcurl or Kubernetes would. */
import {
  credentials,
  loadPackageDefinition,
  makeClientConstructor,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import path from 'node:path';

type Callback<T> = (error: ServiceError | null, response: T) => void;

export async function healthStatus(address: string, serviceName = ''): Promise<string> {
  const Health = makeClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Health(address, credentials.createInsecure()) as unknown as Client & {
    check(request: { service: string }, callback: Callback<{ status: string }>): void;
  };
  try {
    return await new Promise<string>((resolve, reject) =>
      client.check({ service: serviceName }, (error, response) =>
        error ? reject(error) : resolve(response.status),
      ),
    );
  } finally {
    client.close();
  }
}

const REFLECTION_PROTO = path.join(
  path.dirname(require.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

interface ReflectionStream {
  write(request: { listServices: string }): void;
  end(): void;
  on(
    event: 'data',
    listener: (response: { listServicesResponse?: { service: Array<{ name: string }> } }) => void,
  ): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** The services a server lists through grpc.reflection.v1. */
export async function reflectedServices(address: string): Promise<string[]> {
  const definition = loadPackageDefinition(loadSync(REFLECTION_PROTO, { keepCase: false }));
  const reflection = definition['grpc'] as unknown as {
    reflection: {
      v1: {
        ServerReflection: new (
          address: string,
          creds: ReturnType<typeof credentials.createInsecure>,
        ) => Client & { serverReflectionInfo(): ReflectionStream };
      };
    };
  };
  const client = new reflection.reflection.v1.ServerReflection(
    address,
    credentials.createInsecure(),
  );
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const stream = client.serverReflectionInfo();
      stream.on('data', (response) => {
        resolve((response.listServicesResponse?.service ?? []).map((s) => s.name).sort());
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ listServices: '*' });
    });
  } finally {
    client.close();
  }
}
