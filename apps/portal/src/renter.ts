/**
 * The renter view: usage and credits, offers, the buy form, leases with their live remaining
 * time and state, and the statement; kept current by polling (leases and usage every 2 s).
 */
import type { Lease, Offer, StatementLine, Usage } from './api.js';
import { setupBuyForm } from './buy-form.js';
import { byId, card, el, fillRows, say } from './dom.js';
import { dollars, gpuHours, int, productName, time } from './format.js';
import { leaseRow, tick, type LeaseActions } from './leases.js';
import { every } from './poll.js';
import { RENTAL, RpcError, type Call } from './rpc.js';

const body = (table: string) => byId<HTMLTableElement>(table).tBodies[0]!;

export function startRenter(call: Call, onError: (error: unknown) => void): () => void {
  const leaseError = byId('lease-error');
  const form = setupBuyForm(call, () => void refreshLeases().catch(onError));

  async function refreshUsage(): Promise<void> {
    const usage = await call<Usage>(`${RENTAL}/GetUsage`);
    byId('usage').replaceChildren(
      card('Balance', dollars(usage.balanceMicros), { 'data-figure': 'balance' }),
      card('Spend limit', dollars(usage.spendLimitMicros)),
      card('GPU-hours', gpuHours(usage.gpuSeconds)),
      card('Charged', dollars(usage.chargedMicros), { 'data-figure': 'charged' }),
      card('Credits', dollars(usage.creditedMicros), { 'data-figure': 'credited' }),
      card('Topped up', dollars(usage.toppedUpMicros)),
      card('Open leases', String(usage.activeLeases)),
    );
  }

  const act = (method: string, extra: Record<string, unknown>) => (lease: Lease) => {
    void call(`${RENTAL}/${method}`, { leaseId: lease.id, ...extra })
      .then(
        () => say(leaseError, ''),
        (e: unknown) =>
          say(leaseError, e instanceof RpcError ? `${e.code}: ${e.message}` : String(e)),
      )
      .then(refreshLeases)
      .catch(onError);
  };
  const actions: LeaseActions = {
    release: act('ReleaseLease', {}),
    extend: act('ExtendLease', { by: '3600s' }),
  };

  async function refreshLeases(): Promise<void> {
    const { leases } = await call<{ leases: Lease[] }>(`${RENTAL}/ListLeases`, { pageSize: 50 });
    fillRows(
      body('leases'),
      leases.map((lease) => leaseRow(lease, actions)),
      'No leases yet.',
    );
  }

  async function refreshOffers(): Promise<void> {
    const { offers } = await call<{ offers: Offer[] }>(`${RENTAL}/ListOffers`);
    const rows = offers.map((offer) => {
      const use = el('button', { type: 'button', class: 'use' }, 'Use');
      use.addEventListener('click', () => form.use(offer));
      return el(
        'tr',
        { 'data-product': productName(offer.product), 'data-gpu-model': offer.gpuModel },
        el(
          'td',
          {},
          offer.outbid ? `${productName(offer.product)} (outbid)` : productName(offer.product),
        ),
        el('td', {}, offer.gpuModel),
        el('td', {}, offer.fabricDomain || 'any'),
        el('td', {}, offer.gpus),
        el('td', {}, offer.maxGpusPerNode),
        el('td', {}, time(offer.availableUntil)),
        el('td', { class: 'money' }, dollars(offer.priceMicrosPerGpuHour)),
        el('td', {}, use),
      );
    });
    fillRows(body('offers'), rows, 'Nothing for sale right now.');
    const models = [...new Set(offers.map((o) => o.gpuModel))];
    byId('gpu-models').replaceChildren(...models.map((m) => el('option', { value: m })));
  }

  async function refreshStatement(): Promise<void> {
    const { lines } = await call<{ lines: StatementLine[] }>(`${RENTAL}/GetStatement`);
    const rows = lines
      .slice(-20)
      .reverse()
      .map((line) =>
        el(
          'tr',
          { 'data-kind': line.kind },
          el('td', {}, time(line.time)),
          el('td', {}, line.kind),
          el(
            'td',
            { class: int(line.amountMicros) < 0 ? 'money out' : 'money in' },
            dollars(line.amountMicros),
          ),
          el('td', { class: 'money' }, dollars(line.balanceMicros)),
          el('td', {}, line.leaseId ? el('code', {}, line.leaseId) : ''),
          el('td', {}, line.description),
        ),
      );
    fillRows(body('statement'), rows, 'No entries yet.');
  }

  const guarded = (task: () => Promise<void>) => () => task().catch(onError);
  const stops = [
    every(
      2000,
      guarded(async () => void (await Promise.all([refreshLeases(), refreshUsage()]))),
    ),
    every(5000, guarded(refreshOffers)),
    every(10_000, guarded(refreshStatement)),
  ];
  const ticker = setInterval(() => tick(byId('leases')), 1000);
  return () => {
    stops.forEach((stop) => stop());
    clearInterval(ticker);
  };
}
