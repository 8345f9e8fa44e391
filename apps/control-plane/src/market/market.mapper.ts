/**
 * The market's messages and the domain's records (ADR 10): products, lease requests, offers,
 * price bounds and derivations. Decoding never validates (the domain does, naming the fields);
 * an unset or unknown enum becomes null so the check can say what it must be.
 */
import { LeaseProduct as PbLeaseProduct } from '@gantry/proto';
import type * as pb from '@gantry/proto';
import type {
  LeaseProduct,
  LeaseRequestInput,
  PriceBounds,
  PriceBoundsInput,
} from '@gantry/domain';
import type { MarketOffer, PriceDerivation } from '@gantry/scheduling';

const TO_PROTO: Record<LeaseProduct, PbLeaseProduct> = {
  'on-demand': PbLeaseProduct.LEASE_PRODUCT_ON_DEMAND,
  interruptible: PbLeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
  reserved: PbLeaseProduct.LEASE_PRODUCT_RESERVED,
};

const FROM_PROTO = new Map(
  (Object.entries(TO_PROTO) as [LeaseProduct, PbLeaseProduct][]).map(([d, p]) => [p, d]),
);

/** The domain product; null for UNSPECIFIED or a value this build does not know. */
export function productFromProto(product: PbLeaseProduct | undefined): LeaseProduct | null {
  return product === undefined ? null : (FROM_PROTO.get(product) ?? null);
}

export function productToProto(product: LeaseProduct): PbLeaseProduct {
  return TO_PROTO[product];
}

/** A LeaseRequest as the domain checks it (validateLeaseRequest). */
export function leaseRequestFromProto(request: pb.LeaseRequest | undefined): LeaseRequestInput {
  const duration = request?.duration;
  return {
    product: productFromProto(request?.product),
    gpuModel: request?.gpuModel ?? '',
    gpus: request?.gpus ?? 0,
    nodes: request?.nodes ?? 0,
    durationSeconds: duration ? duration.seconds + duration.nanos / 1e9 : null,
    windowStartsAt: request?.windowStartTime ? request.windowStartTime.getTime() : null,
    bidPerGpuHour: request?.bidMicrosPerGpuHour ?? 0,
    fabricDomain: request?.fabricDomain ?? '',
  };
}

/** PriceBounds as the domain checks them (checkPriceBounds); the current price is ignored. */
export function boundsFromProto(bounds: pb.PriceBounds | undefined): PriceBoundsInput {
  return {
    gpuModel: bounds?.gpuModel ?? '',
    product: productFromProto(bounds?.product),
    base: bounds?.baseMicrosPerGpuHour ?? 0,
    min: bounds?.minMicrosPerGpuHour ?? 0,
    max: bounds?.maxMicrosPerGpuHour ?? 0,
  };
}

/** Bounds with the price they give now (for interruptible, the floor). */
export function toProtoBounds(bounds: PriceBounds, current: number): pb.PriceBounds {
  return {
    gpuModel: bounds.gpuModel,
    product: productToProto(bounds.product),
    baseMicrosPerGpuHour: bounds.base,
    minMicrosPerGpuHour: bounds.min,
    maxMicrosPerGpuHour: bounds.max,
    currentMicrosPerGpuHour: current,
  };
}

export function toProtoDerivation(d: PriceDerivation): pb.PriceDerivation {
  return {
    baseMicrosPerGpuHour: d.base,
    minMicrosPerGpuHour: d.min,
    maxMicrosPerGpuHour: d.max,
    queuePressure: d.pressure,
    utilization: d.utilization,
    pressureWeight: d.pressureWeight,
    utilizationWeight: d.utilizationWeight,
    explanation: d.explanation,
  };
}

export function toProtoOffer(offer: MarketOffer): pb.Offer {
  return {
    product: productToProto(offer.product),
    gpuModel: offer.gpuModel,
    fabricDomain: offer.fabricDomain,
    gpus: offer.gpus,
    maxGpusPerNode: offer.maxGpusPerNode,
    availableFrom: new Date(offer.availableFrom),
    availableUntil: new Date(offer.availableUntil),
    priceMicrosPerGpuHour: offer.pricePerGpuHour,
    outbid: offer.outbid ?? false,
  };
}
