/**
 * The report for scripts (`-o json`): the same figures as the text report, raw numbers, each
 * policy with its ratios to FIFO's and, with renters, its market figures. Deterministic for a seed except `cycleCpuMs*` and
 * `wallSeconds` (measured time).
 */
import { ratiosTo, type Figures, type Ratios, type TenantFigures } from '../metrics/metrics';
import type { MarketRun, SimulationInputSummary, SimulationReport } from '../simulate';
import { baselineRun } from './figure-specs';

export interface JsonReport {
  readonly input: SimulationInputSummary;
  readonly baseline: string | null;
  readonly policies: readonly {
    readonly policy: string;
    readonly figures: Figures;
    readonly tenants: readonly TenantFigures[];
    readonly wallSeconds: number | null;
    /** Figures divided by the baseline's; absent for the baseline itself or without one. */
    readonly ratios: Ratios | null;
    /** The replay with renters: market figures and targets, internal figures; null without. */
    readonly market: Omit<MarketRun, 'timeline' | 'rentedGpus'> | null;
  }[];
}

export function toJsonReport(report: SimulationReport): JsonReport {
  const base = baselineRun(report);
  return {
    input: report.input,
    baseline: base?.policy ?? null,
    policies: report.runs.map((run) => ({
      policy: run.policy,
      figures: run.figures,
      tenants: run.tenants,
      wallSeconds: run.wallSeconds,
      ratios: base && run !== base ? ratiosTo(run.figures, base.figures) : null,
      market: run.market && {
        figures: run.market.figures,
        internal: run.market.internal,
        wallSeconds: run.market.wallSeconds,
      },
    })),
  };
}
