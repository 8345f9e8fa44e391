/**
 * The buy form: a LeaseRequest from what the renter typed, priced with Quote and bought with
 * CreateLease. The server checks the request (the same rules as gRPC); its message is shown.
 */
import type { Lease, Offer, Quote } from './api.js';
import { byId, say } from './dom.js';
import { dollars, idempotencyKey, int, micros } from './format.js';
import { RENTAL, RpcError, type Call, type Json } from './rpc.js';

const INTERRUPTIBLE = 'LEASE_PRODUCT_INTERRUPTIBLE';
const RESERVED = 'LEASE_PRODUCT_RESERVED';

type Fields = HTMLFormControlsCollection & Record<string, HTMLInputElement | HTMLSelectElement>;

/** The LeaseRequest the form describes, or a message saying what to fix. */
export function leaseRequest(values: Record<string, string>): Json | string {
  const product = values['product'] ?? '';
  const request: Json = {
    product,
    gpuModel: (values['gpuModel'] ?? '').trim(),
    gpus: Number(values['gpus']),
    nodes: Number(values['nodes']),
    duration: `${Math.round(Number(values['hours']) * 3600)}s`,
  };
  if (product === INTERRUPTIBLE) {
    const bid = micros(values['bid'] ?? '');
    if (bid === undefined) return 'Bid: type dollars per GPU-hour, e.g. 1.50 (at most 6 decimals)';
    request['bidMicrosPerGpuHour'] = String(bid);
  }
  if (product === RESERVED) {
    const start = Date.parse(values['windowStart'] ?? '');
    if (Number.isNaN(start)) return 'Window start: pick when the reserved window begins';
    request['windowStartTime'] = new Date(start).toISOString();
  }
  return request;
}

export interface BuyForm {
  /** Fills the form from an offer (its price as the bid of an interruptible one). */
  use(offer: Offer): void;
}

export function setupBuyForm(call: Call, bought: (lease: Lease) => void): BuyForm {
  const form = byId<HTMLFormElement>('buy-form');
  const fields = form.elements as Fields;
  const quote = byId('quote');
  const error = byId('buy-error');
  // Kept while an attempt's outcome is unknown (no answer), so trying again cannot buy twice.
  let key: string | undefined;

  const showProductFields = () => {
    form.querySelectorAll<HTMLElement>('[data-for]').forEach((label) => {
      label.hidden = label.dataset['for'] !== fields['product']!.value;
    });
  };
  const values = () =>
    Object.fromEntries(
      [...new FormData(form).entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']),
    );
  const request = (): Json | undefined => {
    const built = leaseRequest(values());
    say(error, typeof built === 'string' ? built : '');
    return typeof built === 'string' ? undefined : built;
  };
  const failed = (e: unknown) =>
    say(error, e instanceof RpcError ? `${e.code}: ${e.message}` : String(e));

  fields['product']!.addEventListener('change', showProductFields);
  showProductFields();

  byId('quote-button').addEventListener('click', () => {
    const lease = request();
    if (!lease) return;
    call<Quote>(`${RENTAL}/Quote`, { lease }).then((q) => {
      const total = `${dollars(q.priceMicrosPerGpuHour)} per GPU-hour, ${dollars(q.totalMicros)} in all`;
      say(
        quote,
        `${total}. ${q.derivation?.explanation ?? ''} ${q.available ? 'Available now.' : q.message}`,
      );
    }, failed);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lease = request();
    if (!lease) return;
    key ??= idempotencyKey();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    submit.disabled = true;
    call<{ lease: Lease }>(`${RENTAL}/CreateLease`, { lease, idempotencyKey: key })
      .then(
        (answer) => {
          key = undefined;
          say(quote, `Bought ${answer.lease.id}.`);
          bought(answer.lease);
        },
        (e: unknown) => {
          if (!(e instanceof RpcError && e.status === 0)) key = undefined;
          failed(e);
        },
      )
      .finally(() => (submit.disabled = false));
  });

  return {
    use(offer) {
      fields['product']!.value = offer.product;
      fields['gpuModel']!.value = offer.gpuModel;
      const gpus = Math.min(Number(fields['gpus']!.value) || 1, offer.maxGpusPerNode);
      fields['gpus']!.value = String(Math.max(1, gpus));
      if (offer.product === INTERRUPTIBLE)
        fields['bid']!.value = (int(offer.priceMicrosPerGpuHour) / 1e6).toString();
      showProductFields();
      form.scrollIntoView({ block: 'nearest' });
    },
  };
}
