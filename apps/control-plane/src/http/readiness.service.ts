import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@gantry/store';
import { GrpcServerService } from '../api/grpc-server.service';
import { DATABASE, REDIS } from '../infrastructure/tokens';

const TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
    ),
  ]);
}

/** Checks each dependency the control plane needs to serve; 'ok' or what went wrong. */
@Injectable()
export class ReadinessProbe {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly grpc: GrpcServerService,
  ) {}

  async check(): Promise<Record<'postgres' | 'redis' | 'grpc', string>> {
    const probe = async (action: () => Promise<unknown>): Promise<string> => {
      try {
        await within(action());
        return 'ok';
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    };
    const [postgres, redis] = await Promise.all([
      probe(() => sql`select 1`.execute(this.database.db)),
      probe(() => this.redis.ping()),
    ]);
    return { postgres, redis, grpc: this.grpc.serving ? 'ok' : 'not serving yet' };
  }
}
