/**
 * Why a job that gets nothing this cycle waits, and what it is told. A cycle parks thousands of
 * jobs of a few shapes, so what the messages rest on (whether a shape could ever fit, how many
 * nodes of a domain are free together) is worked out once per shape, as first asked for, and
 * each shape's description is written once: the messages are the same strings either way.
 */
import { Reason } from '@gantry/domain';
import type { PendingJob, Waiting } from '../../model';
import { describeShape } from './messages';
import type { NodeIndex } from './node-index';
import { couldEverFit, mostFreeTogether } from './placement';
import { ShapeTable } from './shape-table';

// Read once: the domain barrel's getters would cost a call per waiting job.
const { Unschedulable, WaitingForGang, WaitingForResources } = Reason;

/** What a waiting job is told, by kind: a shape's description and a figure. */
const [NEVER_FITS, NOT_TOGETHER, NOT_FREE] = [0, 1, 2];
const MESSAGES: ReadonlyArray<(needs: string, figure: number) => string> = [
  (needs) => `needs ${needs}; no set of nodes could ever hold it`,
  (needs, together) => `needs ${needs}; at most ${together} such nodes are free together`,
  (needs, most) => `needs ${needs}; the most free on any node is ${most}`,
];

export class WaitReasons {
  /** Per model and shape: whether any set of nodes could ever hold it. */
  private readonly fits = new ShapeTable<boolean>();
  /** Per model and GPUs per node (nodes 0): the most nodes of one domain free enough together. */
  private readonly together = new ShapeTable<number>();
  /** Per shape and the model it names: its description (and per shape, for none named). */
  private readonly described = new ShapeTable<string>();
  private readonly describedBare = new ShapeTable<string>();
  /** Per description: each message written with it, by kind and figure. */
  private readonly texts = new Map<string, Map<number, string>[]>();

  constructor(private readonly index: NodeIndex) {}

  /** For a job whose GPUs no queue would give it, on no model any node has. */
  noSuchGpus(job: PendingJob): Waiting {
    return {
      jobId: job.id,
      reason: Unschedulable,
      message: `needs ${describeShape(job, '')}; no node has such GPUs`,
    };
  }

  /** For a job admitted on `models` that neither starts, preempts nor gets a reservation. */
  unplaced(job: PendingJob, models: readonly string[]): Waiting {
    const model = models[0] ?? '';
    const { nodes, gpusPerNode } = job.shape;
    let everFits = false;
    for (let i = 0; i < models.length; i++) everFits ||= this.couldEverFit(job, models[i]!);
    const needs = this.description(job, model);
    if (!everFits) {
      const message = this.text(needs, NEVER_FITS, 0);
      return { jobId: job.id, reason: Unschedulable, message };
    }
    if (nodes > 1) {
      let together = Number.NEGATIVE_INFINITY;
      for (const m of models) {
        const free =
          this.together.get(m, 0, gpusPerNode) ??
          this.together.set(m, 0, gpusPerNode, mostFreeTogether(job, m, this.index));
        together = Math.max(together, free);
      }
      const message = this.text(needs, NOT_TOGETHER, together);
      return { jobId: job.id, reason: WaitingForGang, message };
    }
    let most = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < models.length; i++) most = Math.max(most, this.index.mostFree(models[i]!));
    const message = this.text(needs, NOT_FREE, most);
    return { jobId: job.id, reason: WaitingForResources, message };
  }

  /**
   * A message, written once per description, kind and figure: thousands of jobs a cycle are told
   * the same thing, and each text and its parts were objects the collector then had to copy
   * (the messages are the same strings either way).
   */
  private text(needs: string, kind: number, figure: number): string {
    let byKind = this.texts.get(needs);
    if (!byKind) this.texts.set(needs, (byKind = MESSAGES.map(() => new Map<number, string>())));
    const byFigure = byKind[kind]!;
    let text = byFigure.get(figure);
    if (text === undefined) byFigure.set(figure, (text = MESSAGES[kind]!(needs, figure)));
    return text;
  }

  private couldEverFit(job: PendingJob, model: string): boolean {
    const { nodes, gpusPerNode } = job.shape;
    return (
      this.fits.get(model, nodes, gpusPerNode) ??
      this.fits.set(model, nodes, gpusPerNode, couldEverFit(job, model, this.index))
    );
  }

  private description(job: PendingJob, model: string): string {
    const { nodes, gpusPerNode, gpuModel } = job.shape;
    // What describeShape reads besides the counts: whether it names a model, and which.
    const [table, names] =
      gpuModel || model ? [this.described, gpuModel ?? model] : [this.describedBare, ''];
    return (
      table.get(names, nodes, gpusPerNode) ??
      table.set(names, nodes, gpusPerNode, describeShape(job, model))
    );
  }
}
