/** The renter's leases: a table row each, with a live countdown and what can be done to it. */
import type { Lease } from './api.js';
import { el } from './dom.js';
import { dollars, duration, productName, stateName } from './format.js';

export interface LeaseActions {
  release(lease: Lease): void;
  extend(lease: Lease): void;
}

/** What the Remaining column counts down to, and what it says before the time. */
export function remaining(lease: Lease): { until?: number; prefix: string; text: string } {
  const state = stateName(lease.state);
  if (state === 'active' && lease.expireTime)
    return { until: Date.parse(lease.expireTime), prefix: '', text: '' };
  if (state === 'notice' && lease.noticeEndTime)
    return { until: Date.parse(lease.noticeEndTime), prefix: 'notice: ', text: '' };
  if (state === 'pending') return { prefix: '', text: 'waiting for GPUs' };
  return { prefix: '', text: lease.endReason || state };
}

/** Writes the time left into every `[data-until]` element under `root`. */
export function tick(root: ParentNode, now = Date.now()): void {
  root.querySelectorAll<HTMLElement>('[data-until]').forEach((cell) => {
    const left = (Number(cell.dataset['until']) - now) / 1000;
    cell.dataset['seconds'] = String(Math.max(0, Math.floor(left)));
    cell.textContent = `${cell.dataset['prefix'] ?? ''}${duration(left)}`;
  });
}

export function leaseRow(lease: Lease, actions: LeaseActions): HTMLTableRowElement {
  const state = stateName(lease.state);
  const left = remaining(lease);
  const open = state === 'pending' || state === 'active' || state === 'notice';
  const extendable =
    (state === 'pending' || state === 'active') && productName(lease.product) !== 'reserved';
  const button = (label: string, action: () => void) => {
    const b = el(
      'button',
      { type: 'button', class: `action ${label.split(' ')[0]!.toLowerCase()}` },
      label,
    );
    b.addEventListener('click', action);
    return b;
  };
  const row = el(
    'tr',
    { 'data-lease-id': lease.id, 'data-state': state },
    el('td', {}, el('code', {}, lease.id)),
    el('td', {}, productName(lease.product)),
    el('td', {}, `${lease.gpus} x ${lease.nodes || 1} ${lease.gpuModel}`),
    el('td', { class: 'money' }, dollars(lease.priceMicrosPerGpuHour)),
    el('td', { class: `state ${state}`, title: lease.message || undefined }, state),
    el(
      'td',
      { class: 'remaining', 'data-until': left.until, 'data-prefix': left.prefix || undefined },
      left.text,
    ),
    el('td', { class: 'money' }, dollars(lease.chargedMicros)),
    el('td', {}, lease.nodeNames.join(', ')),
    el(
      'td',
      { class: 'actions' },
      el(
        'div',
        {},
        extendable && button('Extend 1h', () => actions.extend(lease)),
        open && button('Release', () => actions.release(lease)),
      ),
    ),
  );
  tick(row);
  return row;
}
