/**
 * The control plane's collaborators wired over in-memory ports, with a manual clock and a
 * recording log: each unit test builds the one service it tests from these.
 */
import type { ControlPlaneConfig } from '@gantry/config';
import { ManualClock } from '@gantry/domain';
import { AuthService } from '../api/auth.service';
import { JobEffects } from '../effects/job-effects.service';
import { ControlPlaneMetrics } from '../infrastructure/metrics.service';
import { testConfig } from './config';
import { InMemoryFileRepository } from './in-memory-files';
import { InMemoryJobRepository } from './in-memory-jobs';
import { InMemoryLeaseRepository } from './in-memory-leases';
import { InMemoryNodeRepository } from './in-memory-nodes';
import { InMemoryPolicyRepository } from './in-memory-policy';
import { InMemoryRenterRepository } from './in-memory-renters';
import { InMemoryTenantRepository } from './in-memory-tenants';
import { RecordingLog } from './recording-log';
import {
  InMemoryNodeLiveness,
  InMemoryPendingIndex,
  RecordingDispatchQueue,
  RecordingSignals,
} from './redis-ports';

export const T0 = Date.UTC(2025, 0, 1);

export function controlPlaneParts(overrides: Partial<ControlPlaneConfig> = {}) {
  const clock = new ManualClock(T0);
  const config = testConfig(overrides);
  const log = new RecordingLog();
  const metrics = new ControlPlaneMetrics();
  const policy: InMemoryPolicyRepository = new InMemoryPolicyRepository((queue: string): number =>
    jobs.unfinishedIn(queue),
  );
  const jobs: InMemoryJobRepository = new InMemoryJobRepository(clock, policy);
  const nodes = new InMemoryNodeRepository(clock, jobs);
  const tenants = new InMemoryTenantRepository(clock);
  const renters = new InMemoryRenterRepository(tenants);
  const ledger = renters.ledger;
  const files = new InMemoryFileRepository();
  const leases = new InMemoryLeaseRepository();
  const pending = new InMemoryPendingIndex();
  const dispatch = new RecordingDispatchQueue();
  const liveness = new InMemoryNodeLiveness();
  const signals = new RecordingSignals();
  const effects = new JobEffects(pending, signals, dispatch, config, log.logger, metrics);
  const auth = new AuthService(config, tenants, nodes, renters);
  return {
    clock,
    config,
    log,
    logger: log.logger,
    metrics,
    jobs,
    policy,
    nodes,
    tenants,
    renters,
    ledger,
    files,
    leases,
    pending,
    dispatch,
    liveness,
    signals,
    effects,
    auth,
  };
}

export type ControlPlaneParts = ReturnType<typeof controlPlaneParts>;
