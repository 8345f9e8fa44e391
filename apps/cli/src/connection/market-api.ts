/**
 * The market's calls (ADR 10) as the commands use them: RentalService for renters, and the
 * market part of AdminService for admins. Failures are the domain's error classes, as for every
 * other call (grpc-api.ts).
 */
import { type Metadata } from '@grpc/grpc-js';
import {
  callUnary,
  readStream,
  toDuration,
  type RequestOf,
  type UnaryMethodName,
} from '@gantry/grpc';
import {
  type AdminServiceClient,
  type CreateLeaseRequest,
  type CreateLeaseResponse,
  type CreateRenterResponse,
  type GetStatementRequest,
  type GetStatementResponse,
  type GetUsageResponse,
  type Lease,
  type LeaseEvent,
  type LeaseRequest,
  type ListLeasesRequest,
  type ListLeasesResponse,
  type ListOffersRequest,
  type MarketSample,
  type Offer,
  type PriceBounds,
  type QuoteResponse,
  type ReclaimLeaseRequest,
  type Renter,
  type RentalServiceClient,
  type TopUpRequest,
  type TopUpResponse,
} from '@gantry/proto';
import { present } from './file-api';

/** A period: unset bounds are open (the first entry; now). */
export interface Period {
  readonly startTime?: Date;
  readonly endTime?: Date;
}

export interface MarketApi {
  // Renters (RentalService).
  listOffers(request: ListOffersRequest): Promise<Offer[]>;
  quote(lease: LeaseRequest): Promise<QuoteResponse>;
  createLease(request: CreateLeaseRequest): Promise<CreateLeaseResponse>;
  getLease(leaseId: string): Promise<Lease>;
  listLeases(request: ListLeasesRequest): Promise<ListLeasesResponse>;
  extendLease(leaseId: string, bySeconds: number): Promise<Lease>;
  releaseLease(leaseId: string): Promise<Lease>;
  /** The lease's events from `fromSequence` on; ends after its last event. */
  watchLease(leaseId: string, fromSequence: number): AsyncIterable<LeaseEvent>;
  getUsage(period: Period): Promise<GetUsageResponse>;
  getStatement(request: GetStatementRequest): Promise<GetStatementResponse>;
  // Admins (AdminService).
  createRenter(name: string, spendLimitMicros: number): Promise<CreateRenterResponse>;
  listRenters(): Promise<Renter[]>;
  topUp(request: TopUpRequest): Promise<TopUpResponse>;
  setSpendLimit(renter: string, spendLimitMicros: number): Promise<Renter>;
  putPriceBounds(bounds: PriceBounds): Promise<PriceBounds>;
  listPriceBounds(): Promise<PriceBounds[]>;
  reclaimLease(request: ReclaimLeaseRequest): Promise<Lease>;
  getMarketHistory(period: Period): Promise<MarketSample[]>;
}

const CALL_TIMEOUT_MS = 30_000;

export function marketApi(
  rental: RentalServiceClient,
  admin: AdminServiceClient,
  metadata: () => Metadata,
  mapError: (error: unknown) => unknown,
): MarketApi {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw mapError(error);
    }
  };
  const rent = <K extends UnaryMethodName<RentalServiceClient>>(
    method: K,
    request: RequestOf<RentalServiceClient[K]>,
  ) => call(() => callUnary(rental, method, request, metadata(), CALL_TIMEOUT_MS));
  const adm = <K extends UnaryMethodName<AdminServiceClient>>(
    method: K,
    request: RequestOf<AdminServiceClient[K]>,
  ) => call(() => callUnary(admin, method, request, metadata(), CALL_TIMEOUT_MS));
  const lease = async (reply: Promise<{ lease?: Lease }>) => present((await reply).lease, 'lease');
  const renter = async (reply: Promise<{ renter?: Renter }>) =>
    present((await reply).renter, 'renter');

  return {
    listOffers: async (request) => (await rent('listOffers', request)).offers,
    quote: (request) => rent('quote', { lease: request }),
    createLease: (request) => rent('createLease', request),
    getLease: (leaseId) => lease(rent('getLease', { leaseId })),
    listLeases: (request) => rent('listLeases', request),
    extendLease: (leaseId, bySeconds) =>
      lease(rent('extendLease', { leaseId, by: toDuration(bySeconds) })),
    releaseLease: (leaseId) => lease(rent('releaseLease', { leaseId })),
    async *watchLease(leaseId, fromSequence) {
      const stream = rental.watchLease({ leaseId, fromSequence }, metadata());
      try {
        for await (const response of readStream(stream)) if (response.event) yield response.event;
      } catch (error) {
        throw mapError(error);
      } finally {
        stream.cancel();
      }
    },
    getUsage: (period) => rent('getUsage', period),
    getStatement: (request) => rent('getStatement', request),
    createRenter: (name, spendLimitMicros) => adm('createRenter', { name, spendLimitMicros }),
    listRenters: async () => (await adm('listRenters', {})).renters,
    topUp: (request) => adm('topUp', request),
    setSpendLimit: (name, spendLimitMicros) =>
      renter(adm('setSpendLimit', { renter: name, spendLimitMicros })),
    putPriceBounds: async (bounds) =>
      present((await adm('putPriceBounds', { bounds })).bounds, 'price bounds'),
    listPriceBounds: async () => (await adm('listPriceBounds', {})).bounds,
    reclaimLease: (request) => lease(adm('reclaimLease', request)),
    getMarketHistory: async (period) => (await adm('getMarketHistory', period)).samples,
  };
}
