import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLine } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { allEnded, DemoSession, type SessionDeps } from './demo-session';
import { checkInference } from './inference-check';
import { uploadInputs } from './inference-files';
import { collectOutcome } from './inference-outcome';
import { renderInference } from './inference-view';
import { DEMO_MODEL, inferenceJobs, inferencePlan } from './inference-workload';

export interface InferenceDemoDeps extends SessionDeps {
  readonly api: Pick<GantryApi, 'submitJob' | 'getJob' | 'uploadFile' | 'downloadFile'>;
  /** Where a folder for the input files is made (and removed afterwards); default the OS's. */
  readonly tmpDir?: string;
}

/** How a part of the demo went: why it stopped early, if it did, and what was wrong. */
export interface PartVerdict {
  readonly interrupted: string | undefined;
  readonly problems: readonly string[];
}

/**
 * The demo's second part, one job of each inference kind, step by step: 1. write the batch
 * requests and the RL problems to files and upload them; 2. submit a batch, a reasoning DAG
 * and an RL job; 3. poll until all three have ended; 4. read what they produced (results and
 * output files), print it, and check it.
 */
export async function runInferenceDemo(deps: InferenceDemoDeps): Promise<PartVerdict> {
  const plan = inferencePlan();
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'gantry-demo-'));
  try {
    writeLine(
      deps.out,
      `\ndemo, part 2: one job of each inference kind on the simulated engine (model ${DEMO_MODEL})`,
    );
    const { ids, files } = await uploadInputs(deps.api, plan, dir);
    writeLine(
      deps.out,
      `uploaded ${files.map((f) => `${f.filename} as ${f.id} (${f.lines} lines)`).join(' and ')}`,
    );
    const session = new DemoSession(deps, 'inference');
    for (const job of inferenceJobs(plan, ids)) await session.submit(job);
    const interrupted = await session.until(allEnded);
    session.finish();
    // Stopped early, the cluster may be gone: there is nothing to read or judge.
    if (interrupted) return { interrupted, problems: [] };
    const outcome = await collectOutcome(deps.api, plan, session.observations);
    writeLine(deps.out, `\n${renderInference(outcome)}`);
    return { interrupted: undefined, problems: checkInference(outcome) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
