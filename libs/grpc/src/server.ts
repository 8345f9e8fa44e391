/**
 * A grpc-js server with what every Gantry server has: standard health checking
 * (grpc.health.v1), server reflection for the gantry.v1 services, and a message size limit.
 */
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { tolerantDefinition } from './malformed';

export interface ServiceBinding {
  /** Fully-qualified name, e.g. `gantry.v1.JobService`. */
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxMessageBytes: number;
  readonly services: readonly ServiceBinding[];
  /** The serialized FileDescriptorSet behind the services, for reflection. */
  readonly descriptorSetBase64: string;
}

export interface RunningGrpcServer {
  readonly port: number;
  readonly health: HealthImplementation;
  /** Stops taking calls, waits up to `graceMs` for calls in flight, then cancels them. */
  shutdown(graceMs: number): Promise<void>;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
    'grpc.keepalive_permit_without_calls': 1,
  });
  for (const service of options.services)
    server.addService(tolerantDefinition(service.definition), service.implementation);

  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  for (const service of options.services) health.setStatus(service.name, 'NOT_SERVING');
  health.addToServer(server);
  // The health service's own descriptors too, or reflection would leave it out of its list.
  const descriptors = {
    ...loadSync(healthProtoPath),
    ...loadFileDescriptorSetFromBuffer(Buffer.from(options.descriptorSetBase64, 'base64')),
  };
  new ReflectionService(descriptors, {
    services: [...options.services.map((s) => s.name), 'grpc.health.v1.Health'],
  }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });

  let stopping: Promise<void> | undefined;
  return {
    port,
    health,
    shutdown(graceMs: number) {
      stopping ??= new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        for (const service of options.services) health.setStatus(service.name, 'NOT_SERVING');
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return stopping;
    },
  };
}

/** Marks the server and each of its services SERVING (or NOT_SERVING). */
export function setServing(
  running: RunningGrpcServer,
  services: readonly ServiceBinding[],
  serving: boolean,
): void {
  const value = serving ? 'SERVING' : 'NOT_SERVING';
  running.health.setStatus('', value);
  for (const service of services) running.health.setStatus(service.name, value);
}
