/**
 * How leases look: the `lease list` table, `lease get`'s fields, and the one line each change
 * (create, extend, release, reclaim) prints.
 */
import { LeaseProduct, LeaseState, type Lease } from '@gantry/proto';
import { formatMoney, formatPrice } from '../market/dollars';
import { leaseStateName, productName } from '../market/names';
import { formatTime } from '../market/time-input';
import { formatAge, formatDuration } from '../spec/duration';
import { renderFields, renderTable, type Column } from './table';

/** `8xH100-80GB`, or for several nodes `2x8xH100-80GB` (nodes x GPUs each). */
export function leaseGpus(lease: Pick<Lease, 'gpus' | 'nodes' | 'gpuModel'>): string {
  const count = lease.nodes > 1 ? `${lease.nodes}x${lease.gpus}` : String(lease.gpus);
  return `${count}x${lease.gpuModel}`;
}

/** Seconds from now until `time`, never below 0. */
function secondsUntil(time: Date | undefined, now: number): number | undefined {
  return time ? Math.max(0, (time.getTime() - now) / 1000) : undefined;
}

/** `in 1h30m` / `5m ago` beside a time. */
function relative(time: Date | undefined, now: number): string {
  if (!time) return '';
  return time.getTime() >= now
    ? `in ${formatDuration((time.getTime() - now) / 1000)}`
    : `${formatAge(time.getTime(), now)} ago`;
}

function at(time: Date | undefined, now: number): string {
  return time ? `${formatTime(time)} (${relative(time, now)})` : '';
}

/** What the lease's state means now: the end reason, or the countdown of a notice. */
export function leaseReason(lease: Lease, now: number): string {
  if (lease.state === LeaseState.LEASE_STATE_ENDED) return lease.endReason;
  if (lease.state === LeaseState.LEASE_STATE_NOTICE) {
    const left = secondsUntil(lease.noticeEndTime, now);
    return left === undefined ? 'reclaiming' : `reclaimed in ${formatDuration(left)}`;
  }
  return '';
}

/** Time left: to the notice's end in notice, to the expiry while active. */
function timeLeft(lease: Lease, now: number): string {
  if (lease.state === LeaseState.LEASE_STATE_NOTICE)
    return formatDuration(secondsUntil(lease.noticeEndTime, now) ?? Number.NaN);
  if (lease.state === LeaseState.LEASE_STATE_ACTIVE)
    return formatDuration(secondsUntil(lease.expireTime, now) ?? Number.NaN);
  return '';
}

const gpuHours = (gpuSeconds: number) => (gpuSeconds / 3600).toFixed(2);

/** `gantry lease list`: ID PRODUCT GPUS STATE REASON PRICE LEFT CHARGED AGE (wide: more). */
export function renderLeaseTable(leases: readonly Lease[], now: number, wide: boolean): string {
  const columns: Column<Lease>[] = [
    { header: 'ID', value: (l) => l.id },
    { header: 'PRODUCT', value: (l) => productName(l.product) },
    { header: 'GPUS', value: leaseGpus, align: 'right' },
    { header: 'STATE', value: (l) => leaseStateName(l.state) },
    { header: 'REASON', value: (l) => leaseReason(l, now), maxWidth: 24 },
    { header: 'PRICE', value: (l) => formatPrice(l.priceMicrosPerGpuHour), align: 'right' },
    { header: 'LEFT', value: (l) => timeLeft(l, now), align: 'right' },
    { header: 'CHARGED', value: (l) => formatMoney(l.chargedMicros), align: 'right' },
    { header: 'AGE', value: (l) => formatAge(l.createTime?.getTime(), now), align: 'right' },
  ];
  const more: Column<Lease>[] = [
    { header: 'GPU-H', value: (l) => gpuHours(l.gpuSeconds), align: 'right' },
    { header: 'CREDITED', value: (l) => formatMoney(l.creditedMicros), align: 'right' },
    { header: 'DOMAIN', value: (l) => l.fabricDomain },
    { header: 'NODES', value: (l) => l.nodeNames.join(',') },
    { header: 'EXPIRES', value: (l) => (l.expireTime ? formatTime(l.expireTime) : '') },
    { header: 'MESSAGE', value: (l) => l.message },
  ];
  return renderTable(wide ? [...columns, ...more] : columns, leases, { wide });
}

/** `interruptible, bid $1.20/GPU-h` / `on-demand at $2.50/GPU-h`. */
function productAndPrice(lease: Lease): string {
  const price = formatPrice(lease.priceMicrosPerGpuHour);
  return lease.product === LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE
    ? `${productName(lease.product)}, bid ${price}`
    : `${productName(lease.product)} at ${price}`;
}

/** `interruptible, bid $1.20/GPU-h, 8xH100-80GB`: what a lease is, in one phrase. */
export function leaseSummary(lease: Lease): string {
  return `${productAndPrice(lease)}, ${leaseGpus(lease)}`;
}

/** `gantry lease get`: the lease's fields in reading order; empty ones are left out. */
export function renderLeaseDetails(lease: Lease, now: number): string {
  const reason = leaseReason(lease, now);
  const fields: [string, string][] = [
    ['ID', lease.id],
    ['Renter', lease.renter],
    ['Product', productAndPrice(lease)],
    ['GPUs', `${leaseGpus(lease)}${lease.fabricDomain ? ` in ${lease.fabricDomain}` : ''}`],
    ['State', `${leaseStateName(lease.state)}${reason ? ` (${reason})` : ''}`],
    ['Message', lease.message],
    ['Window', lease.windowStartTime ? `starts ${at(lease.windowStartTime, now)}` : ''],
    ['Created', at(lease.createTime, now)],
    ['Started', at(lease.startTime, now)],
    ['Expires', lease.endTime ? '' : at(lease.expireTime, now)],
    ['Notice', lease.notice ? `${formatDuration(lease.notice.seconds)} before a reclaim` : ''],
    ['Reclaim at', at(lease.noticeEndTime, now)],
    ['Ended', at(lease.endTime, now)],
    ['Nodes', lease.nodeNames.join(', ')],
    ['Usage', `${gpuHours(lease.gpuSeconds)} GPU-hours (${lease.gpuSeconds} GPU-seconds)`],
    ['Charged', formatMoney(lease.chargedMicros)],
    ['Credited', lease.creditedMicros ? formatMoney(lease.creditedMicros) : ''],
    ['Key', lease.idempotencyKey],
  ];
  return renderFields(fields.filter(([, value]) => value !== ''));
}

/** After `lease create`: what was bought, and how to use it. */
export function describeCreated(lease: Lease, created: boolean, now: number): string {
  const head = created
    ? `lease ${lease.id} created`
    : `lease ${lease.id} already bought with this idempotency key (nothing new was bought)`;
  const state = `${leaseStateName(lease.state)}${lease.message ? ` (${lease.message})` : ''}`;
  return [
    `${head}: ${productAndPrice(lease)}, ${leaseGpus(lease)}; ${state}`,
    ...(lease.windowStartTime ? [`window starts ${at(lease.windowStartTime, now)}`] : []),
    `run jobs in it:  gantry submit --lease ${lease.id} --gpus ${lease.gpus} -- python train.py`,
    `follow it:       gantry lease watch ${lease.id}`,
  ].join('\n');
}

/** After `extend`, `release` and `reclaim`: the lease's new situation in one line. */
export function describeChange(lease: Lease, now: number): string {
  if (lease.state === LeaseState.LEASE_STATE_ENDED)
    return (
      `lease ${lease.id} ended (${lease.endReason || 'ended'}): ${lease.gpuSeconds} GPU-seconds, ` +
      `charged ${formatMoney(lease.chargedMicros)}, credited ${formatMoney(lease.creditedMicros)}`
    );
  if (lease.state === LeaseState.LEASE_STATE_NOTICE)
    return `lease ${lease.id} in notice: its GPUs are taken back at ${at(lease.noticeEndTime, now)}`;
  const expires = lease.expireTime
    ? `expires at ${at(lease.expireTime, now)}`
    : 'expires its duration after it starts';
  return `lease ${lease.id} ${leaseStateName(lease.state)}: ${expires}`;
}
