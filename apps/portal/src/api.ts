/**
 * The gantry.v1 messages the portal reads, as protobuf JSON sends them (lowerCamelCase names,
 * int64 as strings, enums by name, times as RFC 3339 strings, durations as "120s"). Only the
 * fields the portal shows; proto/gantry/v1/*.proto is the definition.
 */
type Int64 = string;

export interface Offer {
  product: string;
  gpuModel: string;
  fabricDomain: string;
  gpus: number;
  maxGpusPerNode: number;
  availableUntil?: string;
  priceMicrosPerGpuHour: Int64;
  /** GPUs interruptible leases hold, for a bid of at least the price (ADR 12). */
  outbid?: boolean;
}

export interface Lease {
  id: string;
  product: string;
  gpuModel: string;
  gpus: number;
  nodes: number;
  priceMicrosPerGpuHour: Int64;
  state: string;
  endReason: string;
  message: string;
  startTime?: string;
  expireTime?: string;
  endTime?: string;
  noticeEndTime?: string;
  chargedMicros: Int64;
  creditedMicros: Int64;
  gpuSeconds: Int64;
  nodeNames: string[];
}

export interface Usage {
  balanceMicros: Int64;
  spendLimitMicros: Int64;
  gpuSeconds: Int64;
  chargedMicros: Int64;
  creditedMicros: Int64;
  toppedUpMicros: Int64;
  activeLeases: number;
}

export interface StatementLine {
  time?: string;
  kind: string;
  amountMicros: Int64;
  balanceMicros: Int64;
  leaseId: string;
  description: string;
}

export interface Quote {
  priceMicrosPerGpuHour: Int64;
  totalMicros: Int64;
  available: boolean;
  message: string;
  derivation?: { explanation: string };
}

export interface PriceNow {
  gpuModel: string;
  product: string;
  currentMicrosPerGpuHour: Int64;
}

export interface MarketSample {
  time: string;
  gpusTotal: number;
  gpusInternal: number;
  gpusRented: number;
  gpusIdle: number;
  revenueMicros: Int64;
  queuePressure: number;
  prices: PriceNow[];
}
