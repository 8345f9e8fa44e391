/**
 * The admin view: the market over a period from AdminService.GetMarketHistory (the samples the
 * leader records every GANTRY_MARKET_SAMPLE_INTERVAL_SECONDS), as charts: GPUs internal /
 * rented / idle stacked, revenue per interval, queue pressure, and one GPU model's prices.
 */
import type { MarketSample } from './api.js';
import { renderChart, type Series } from './charts.js';
import { byId, card, el } from './dom.js';
import { dollars, int, productName } from './format.js';
import { every } from './poll.js';
import { ADMIN, type Call } from './rpc.js';

const PRODUCTS = [
  'LEASE_PRODUCT_ON_DEMAND',
  'LEASE_PRODUCT_INTERRUPTIBLE',
  'LEASE_PRODUCT_RESERVED',
];

/** Each product's price of `model` in each sample (0 where a sample has none). */
export function priceSeries(samples: readonly MarketSample[], model: string): Series[] {
  return PRODUCTS.map((product, i) => ({
    name: productName(product),
    cls: `p${i}`,
    values: samples.map((s) =>
      int(
        s.prices.find((p) => p.gpuModel === model && p.product === product)
          ?.currentMicrosPerGpuHour,
      ),
    ),
  }));
}

export function startAdmin(call: Call, onError: (error: unknown) => void): () => void {
  const period = byId<HTMLSelectElement>('period');
  const modelSelect = byId<HTMLSelectElement>('price-model');
  let samples: MarketSample[] = [];
  let clusterModels: string[] = [];
  let chosen = false;

  function draw(): void {
    const times = samples.map((s) => Date.parse(s.time));
    const gpus = (v: number) => String(Math.round(v * 100) / 100);
    const money = (v: number) => dollars(Math.round(v));
    renderChart(byId('chart-utilization'), {
      kind: 'stacked',
      times,
      format: gpus,
      series: [
        { name: 'internal', cls: 'internal', values: samples.map((s) => s.gpusInternal) },
        { name: 'rented', cls: 'rented', values: samples.map((s) => s.gpusRented) },
        { name: 'idle', cls: 'idle', values: samples.map((s) => s.gpusIdle) },
      ],
    });
    renderChart(byId('chart-revenue'), {
      kind: 'bars',
      times,
      format: money,
      series: [
        { name: 'revenue', cls: 'revenue', values: samples.map((s) => int(s.revenueMicros)) },
      ],
    });
    renderChart(byId('chart-pressure'), {
      kind: 'lines',
      times,
      format: (v) => v.toFixed(2),
      series: [
        { name: 'queue pressure', cls: 'pressure', values: samples.map((s) => s.queuePressure) },
      ],
    });
    renderChart(byId('chart-prices'), {
      kind: 'lines',
      times,
      format: money,
      series: priceSeries(samples, modelSelect.value),
    });
    const latest = samples[samples.length - 1];
    const revenue = samples.reduce((sum, s) => sum + int(s.revenueMicros), 0);
    byId('market-now').replaceChildren(
      card('GPUs', String(latest?.gpusTotal ?? 0), { 'data-figure': 'total' }),
      card('Internal', String(latest?.gpusInternal ?? 0), { 'data-figure': 'internal' }),
      card('Rented', String(latest?.gpusRented ?? 0), { 'data-figure': 'rented' }),
      card('Idle', String(latest?.gpusIdle ?? 0), { 'data-figure': 'idle' }),
      card('Queue pressure', (latest?.queuePressure ?? 0).toFixed(2)),
      card('Revenue in period', dollars(revenue), {
        'data-figure': 'revenue',
        'data-micros': String(revenue),
      }),
      card('Samples', String(samples.length), { 'data-figure': 'samples' }),
    );
  }

  function fillModels(): void {
    const models = [...new Set(samples.flatMap((s) => s.prices.map((p) => p.gpuModel)))].sort();
    const current = modelSelect.value;
    if (models.join() !== [...modelSelect.options].map((o) => o.value).join())
      modelSelect.replaceChildren(...models.map((m) => el('option', { value: m }, m)));
    const preferred = clusterModels.find((m) => models.includes(m)) ?? models[0] ?? '';
    modelSelect.value = chosen && models.includes(current) ? current : preferred;
  }

  async function refresh(): Promise<void> {
    const start = new Date(Date.now() - Number(period.value) * 1000).toISOString();
    ({ samples } = await call<{ samples: MarketSample[] }>(`${ADMIN}/GetMarketHistory`, {
      startTime: start,
    }));
    fillModels();
    draw();
  }

  const guarded = () => refresh().catch(onError);
  period.addEventListener('change', () => void guarded());
  modelSelect.addEventListener('change', () => {
    chosen = true;
    draw();
  });
  // The models the cluster has, so the price chart opens on one that matters here.
  void call<{ nodes: { inventory?: { gpus: { model: string }[] } }[] }>(`${ADMIN}/ListNodes`)
    .then(({ nodes }) => {
      clusterModels = nodes.flatMap((n) => n.inventory?.gpus.map((g) => g.model) ?? []);
      return refresh();
    })
    .catch(onError);
  return every(10_000, guarded);
}
