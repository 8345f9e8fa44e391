import { JobState } from '@gantry/proto';
import { jobStateName, isTerminalState } from '../format/states';
import { type Observation } from './demo-tracker';
import { EXPECTED_EXIT_CODE_OF_FAILING_JOB } from './demo-workload';

export interface DemoVerdict {
  readonly ok: boolean;
  /** One line per expectation not met. */
  readonly problems: readonly string[];
}

/**
 * What a healthy cluster does with the demo workload: every job ends, each in one attempt; the
 * failing job fails with its exit code, every other succeeds; command jobs report progress to
 * 100%; the multi-node job runs on as many nodes as it asks for; the whole-node job waits with WaitingForResources or a reservation (Reserved), and smaller jobs submitted after it
 * start before it does (no head-of-line blocking).
 */
/** Reasons that say a job waits for GPUs to free up (with or without a reservation). */
const WAITING_FOR_GPUS = ['WaitingForResources', 'Reserved'];

export function checkDemo(observations: readonly Observation[]): DemoVerdict {
  const problems: string[] = [];
  for (const o of observations) {
    const { job, demo } = o;
    const name = `${demo.name} (${o.id})`;
    if (!isTerminalState(job.state)) {
      problems.push(`${name} did not finish: still ${jobStateName(job.state)}`);
      continue;
    }
    if (demo.role === 'fails') {
      if (
        job.state !== JobState.JOB_STATE_FAILED ||
        job.exitCode !== EXPECTED_EXIT_CODE_OF_FAILING_JOB
      )
        problems.push(
          `${name} should have failed with exit code ${EXPECTED_EXIT_CODE_OF_FAILING_JOB}; ` +
            `it ${jobStateName(job.state)} (exit code ${job.exitCode ?? 'none'})`,
        );
    } else if (job.state !== JobState.JOB_STATE_SUCCEEDED) {
      problems.push(
        `${name} should have succeeded; it ${jobStateName(job.state)}: ${job.reason} ${job.message}`.trim(),
      );
    }
    const attempts = new Set(job.attempts.map((a) => a.number)).size;
    if (attempts !== 1) problems.push(`${name} ran ${attempts} attempts; expected exactly 1`);
    if (demo.role === 'gang') {
      const nodes = new Set(job.attempts.map((a) => a.nodeName || a.nodeId)).size;
      if (nodes !== demo.nodes)
        problems.push(`${name} ran on ${nodes} node(s); expected ${demo.nodes} at once`);
    }
    if (demo.role === 'progress' && o.maxProgress < 0.99)
      problems.push(
        `${name} reported progress up to ${Math.round(o.maxProgress * 100)}%; expected 100%`,
      );
  }
  const big = observations.find((o) => o.demo.role === 'big');
  if (big) {
    const name = `${big.demo.name} (${big.id})`;
    if (!WAITING_FOR_GPUS.some((reason) => big.pendingReasons.has(reason)))
      problems.push(
        `${name} never showed ${WAITING_FOR_GPUS.join(' or ')} while pending ` +
          `(saw: ${[...big.pendingReasons].join(', ') || 'no reason'})`,
      );
    const bigStart = big.job.startTime?.getTime();
    // Observations are in submission order: everything after the big job was submitted later.
    const later = observations.slice(observations.indexOf(big) + 1);
    const overtook = later.some(
      (o) =>
        o.job.startTime !== undefined &&
        (bigStart === undefined || o.job.startTime.getTime() < bigStart),
    );
    if (!overtook)
      problems.push(`no smaller job started while ${name} waited (head-of-line blocking)`);
  }
  return { ok: problems.length === 0, problems };
}
