/**
 * An in-process gRPC server standing in for the control plane's market (ADR 10): RentalService
 * and the market calls of AdminService, through the same handler adapters as the real servers
 * (so the same status mapping), on a free port, with a MarketState in memory. Tests preset what
 * the server computes (offers, quotes, events, usage, statements, history), read every request
 * it got with the API key it carried, and may make the next call of a method fail. `api` is the
 * CLI's real gRPC client against it.
 */
import { Server, ServerCredentials, type Metadata } from '@grpc/grpc-js';
import { NotFoundError, UnavailableError } from '@gantry/domain';
import { bearerToken, serverStreaming, unary } from '@gantry/grpc';
import {
  AdminServiceService,
  RentalServiceService,
  type GetStatementResponse,
  type GetUsageResponse,
  type Lease,
  type LeaseEvent,
  type LeaseRequest,
  type MarketSample,
  type Offer,
  type PriceBounds,
  type QuoteResponse,
  type Renter,
  type WatchLeaseRequest,
} from '@gantry/proto';
import { grpcApi, type GantryApi } from '../connection/grpc-api';
import { MarketState } from './market-state';

export interface MarketDoubleOptions {
  readonly now?: Date;
  readonly offers?: readonly Offer[];
  /** The answer to Quote (default: $2.50/GPU-h, available). */
  readonly quote?: (lease: LeaseRequest) => QuoteResponse;
  readonly leases?: readonly Lease[];
  /** WatchLease's history per lease id. */
  readonly events?: Readonly<Record<string, readonly LeaseEvent[]>>;
  /** WatchLease fails UNAVAILABLE after this many events, once per lease (a dropped stream). */
  readonly dropWatchAfter?: number;
  readonly usage?: GetUsageResponse;
  readonly statement?: GetStatementResponse;
  readonly renters?: readonly Renter[];
  readonly prices?: readonly PriceBounds[];
  readonly history?: readonly MarketSample[];
}

/** One call the double answered (or refused). */
export interface RecordedCall {
  readonly method: string;
  readonly request: unknown;
  readonly apiKey: string;
}

const DEFAULT_PRICE = 2_500_000;

function defaultQuote(lease: LeaseRequest): QuoteResponse {
  const seconds = lease.duration?.seconds ?? 0;
  const price = lease.bidMicrosPerGpuHour || DEFAULT_PRICE;
  return {
    priceMicrosPerGpuHour: price,
    totalMicros: Math.round((price * lease.gpus * (lease.nodes || 1) * seconds) / 3600),
    available: true,
    message: '',
    outbids: false,
  };
}

export async function startMarketDouble(options: MarketDoubleOptions = {}) {
  const quote = options.quote ?? defaultQuote;
  const state = new MarketState(
    options.now ?? new Date('2026-12-05T12:00:00Z'),
    (request) => quote(request).priceMicrosPerGpuHour,
  );
  state.leases.push(...(options.leases ?? []).map((l) => ({ ...l })));
  for (const r of options.renters ?? []) state.renters.set(r.name, { ...r });
  for (const p of options.prices ?? []) state.prices.set(`${p.gpuModel}/${p.product}`, { ...p });
  const calls: RecordedCall[] = [];
  const failures = new Map<string, Error>();
  const dropped = new Set<string>();

  /** Records the call, then fails it when a test asked for that. */
  const enter = (method: string, request: unknown, metadata: Metadata) => {
    calls.push({ method, request, apiKey: bearerToken(metadata) });
    const failure = failures.get(method);
    failures.delete(method);
    if (failure) throw failure;
  };
  const call = <Req, Res>(method: string, answer: (request: Req) => Res) =>
    unary(method, async (request: Req, c) => {
      enter(method, request, c.metadata);
      return answer(request);
    });

  const server = new Server();
  server.addService(RentalServiceService, {
    listOffers: call('ListOffers', () => ({ offers: [...(options.offers ?? [])] })),
    quote: call('Quote', (r: { lease?: LeaseRequest }) => quote(r.lease!)),
    createLease: call('CreateLease', (r: { lease?: LeaseRequest; idempotencyKey: string }) =>
      state.createLease(r.lease!, r.idempotencyKey),
    ),
    extendLease: call('ExtendLease', (r: { leaseId: string; by?: { seconds: number } }) => ({
      lease: state.extendLease(r.leaseId, r.by?.seconds ?? 0),
    })),
    releaseLease: call('ReleaseLease', (r: { leaseId: string }) => ({
      lease: state.endLease(r.leaseId, 'released'),
    })),
    getLease: call('GetLease', (r: { leaseId: string }) => ({ lease: state.lease(r.leaseId) })),
    listLeases: call('ListLeases', (r: Parameters<MarketState['listLeases']>[0]) =>
      state.listLeases(r),
    ),
    watchLease: serverStreaming('WatchLease', async (r: WatchLeaseRequest, c) => {
      enter('WatchLease', r, c.metadata);
      const history = options.events?.[r.leaseId];
      if (!history) throw new NotFoundError('lease', r.leaseId);
      let sent = 0;
      for (const event of history.filter((e) => e.sequence >= r.fromSequence)) {
        if (sent === options.dropWatchAfter && !dropped.has(r.leaseId)) {
          dropped.add(r.leaseId);
          throw new UnavailableError('connection reset');
        }
        c.write({ event });
        sent += 1;
      }
    }),
    getUsage: call('GetUsage', () => options.usage ?? {}),
    getStatement: call('GetStatement', () => options.statement ?? {}),
  });
  server.addService(AdminServiceService, {
    createRenter: call('CreateRenter', (r: { name: string; spendLimitMicros: number }) => ({
      renter: state.createRenter(r.name, r.spendLimitMicros),
      apiKey: `gk_${r.name}_secret`,
    })),
    listRenters: call('ListRenters', () => ({ renters: [...state.renters.values()] })),
    topUp: call('TopUp', (r: Parameters<MarketState['topUp']>[0]) => state.topUp(r)),
    setSpendLimit: call('SetSpendLimit', (r: { renter: string; spendLimitMicros: number }) => {
      const renter = state.renter(r.renter);
      renter.spendLimitMicros = r.spendLimitMicros;
      return { renter };
    }),
    putPriceBounds: call('PutPriceBounds', (r: { bounds?: PriceBounds }) => ({
      bounds: state.putPrice(r.bounds!),
    })),
    listPriceBounds: call('ListPriceBounds', () => ({ bounds: [...state.prices.values()] })),
    reclaimLease: call(
      'ReclaimLease',
      (r: { leaseId: string; notice?: { seconds: number }; reason: string }) => ({
        lease: state.reclaimLease(r.leaseId, r.notice?.seconds ?? 0, r.reason),
      }),
    ),
    getMarketHistory: call('GetMarketHistory', () => ({
      samples: [...(options.history ?? [])],
    })),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const endpoint = `127.0.0.1:${port}`;
  const api: GantryApi = grpcApi(endpoint, 'gk_test');
  return {
    endpoint,
    api,
    state,
    calls,
    /** The requests one method got, in order. */
    requests: <T = unknown>(method: string) =>
      calls.filter((c) => c.method === method).map((c) => c.request as T),
    /** Makes the next call of `method` fail with `error`. */
    failNext: (method: string, error: Error) => void failures.set(method, error),
    async close() {
      api.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

export type MarketDouble = Awaited<ReturnType<typeof startMarketDouble>>;
