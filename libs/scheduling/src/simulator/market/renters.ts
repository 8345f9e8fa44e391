/**
 * Renters in a replay (issue 5), as the live market meets them: each request of the demand
 * stream looks at what the interruptible offers show now, with the market's own code
 * (`marketFigures` and `availability`: what ListOffers and Quote answer, so free GPUs that
 * pending internal jobs could use are never sold), and buys a lease when one node of some GPU
 * model has its GPUs for sale, bidding above the floor (the interruptible price now); else it
 * goes away (the stream holds its later requests). The request passes CreateLease's checks
 * (`validateLeaseRequest`, `checkBid`).
 *
 * A lease bought is a job as the control plane submits it (leaseJobSpec): queue
 * `market-interruptible`, class `rental-interruptible` (its grace is the notice), its bid in
 * cents its priority within the class, no time limit (so its expected run is whatever the
 * estimator says, as live). From then on the policy alone decides when and where it runs and
 * when it is reclaimed; it holds its GPUs for its duration and ends when preempted (its renter
 * asks again if it wants). Live, a lease job always ends cancelled, so the estimator never
 * learns from it.
 */
import {
  bidPriority,
  checkBid,
  defaultPriceBounds,
  LEASE_CLASS,
  LEASE_QUEUE,
  validateLeaseRequest,
  type Micros,
  type PriceBounds,
} from '@gantry/domain';
import { gpuCountKind } from '../../estimates';
import {
  availability,
  DEFAULT_PRICE_WEIGHTS,
  demandOn,
  marketFigures,
  priceOf,
  type MarketFigures,
  type PriceWeights,
} from '../../market';
import type { ClusterView, Submitter } from '../engine/types';
import type { SimJob } from '../workload/workload';
import type { RenterRequest, RequestStream } from './renter-demand';

/** A lease bought in the replay. */
export interface SimLease {
  readonly id: string;
  readonly renter: string;
  readonly gpuModel: string;
  readonly gpus: number;
  readonly durationSeconds: number;
  /** The bid, micro-dollars per GPU-hour (what it pays). */
  readonly bidPerGpuHour: Micros;
  /** The interruptible floor when it was bought. */
  readonly floorPerGpuHour: Micros;
  readonly noticeSeconds: number;
  /** Seconds from the replay's start. */
  readonly boughtAt: number;
}

const CENT = 10_000;

export class RenterMarket implements Submitter {
  /** Every lease bought, by id (its job's id). */
  readonly leases = new Map<string, SimLease>();
  requests = 0;
  /** Requests that found nothing for sale in their shape. */
  turnedAway = 0;
  private figures: MarketFigures | undefined;
  private figuresVersion = -1;
  private readonly bounds: ReadonlyMap<string, PriceBounds>;

  constructor(
    private readonly demand: RequestStream,
    private readonly epochMs = 0,
    bounds: readonly PriceBounds[] = defaultPriceBounds(),
    private readonly weights: PriceWeights = DEFAULT_PRICE_WEIGHTS,
  ) {
    this.bounds = new Map(
      bounds.filter((b) => b.product === 'interruptible').map((b) => [b.gpuModel, b]),
    );
  }

  nextAt(): number {
    return this.demand.peek()?.at ?? Number.POSITIVE_INFINITY;
  }

  act(now: number, view: ClusterView): readonly SimJob[] {
    const request = this.demand.take()!;
    this.requests += 1;
    const job = view.freeGpus >= request.gpus ? this.buy(request, now, view) : undefined;
    if (!job) this.turnedAway += 1;
    return job ? [job] : [];
  }

  private buy(request: RenterRequest, now: number, view: ClusterView): SimJob | undefined {
    // The figures change only when the cluster does: requests between two changes share them.
    if (this.figuresVersion !== view.version || !this.figures) {
      this.figures = marketFigures(view.snapshot());
      this.figuresVersion = view.version;
    }
    const figures = this.figures;
    for (const model of figures.models.keys()) {
      const bounds = this.bounds.get(model);
      if (!bounds) continue;
      const asked = {
        product: 'interruptible' as const,
        gpuModel: model,
        gpus: request.gpus,
        nodes: 1,
        fabricDomain: null,
        windowStartsAt: null,
        durationSeconds: request.durationSeconds,
      };
      if (!availability(figures, asked).available) continue;
      const floor = priceOf(bounds, demandOn(figures, model), this.weights).price;
      const bid =
        Math.ceil((floor * (1 + this.demand.options.bidSpread * request.bidDraw)) / CENT) * CENT;
      const nowMs = this.epochMs + now * 1000;
      const valid = validateLeaseRequest(
        { ...asked, windowStartsAt: null, bidPerGpuHour: bid, fabricDomain: '' },
        nowMs,
      );
      checkBid(valid, floor);
      return this.lease(request, model, bid, floor, now);
    }
    return undefined;
  }

  private lease(
    request: RenterRequest,
    model: string,
    bid: Micros,
    floor: Micros,
    now: number,
  ): SimJob {
    this.leases.set(request.id, {
      id: request.id,
      renter: request.renter,
      gpuModel: model,
      gpus: request.gpus,
      durationSeconds: request.durationSeconds,
      bidPerGpuHour: bid,
      floorPerGpuHour: floor,
      noticeSeconds: this.demand.options.noticeSeconds,
      boughtAt: now,
    });
    return {
      id: request.id,
      submitAt: now,
      duration: request.durationSeconds,
      gpus: request.gpus,
      shape: { nodes: 1, gpusPerNode: request.gpus, gpuModel: model },
      tenant: request.renter,
      queue: LEASE_QUEUE.interruptible,
      priorityClass: LEASE_CLASS.interruptible,
      kind: gpuCountKind(request.gpus),
      priority: bidPriority(bid),
      endsWhenPreempted: true,
      learnsRuntime: false,
    };
  }
}
