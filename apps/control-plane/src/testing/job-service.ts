/**
 * JobService handlers over the in-memory parts, called in process, with two tenants (alice and
 * bob) and the metadata each presents.
 */
import type { status } from '@grpc/grpc-js';
import type { ControlPlaneConfig } from '@gantry/config';
import { bearerMetadata, type CallObserver } from '@gantry/grpc';
import type { JobServiceServer, JobSpec } from '@gantry/proto';
import { JobServiceHandlers } from '../api/job.service';
import { SubmitValidator } from '../api/submit-validator';
import { WatchStreamer } from '../api/watch';
import { controlPlaneParts } from './parts';

/** A proto spec of simulated work (empty strings: the defaults). */
export const aProtoSpec = (gpus = 1, fields: Partial<JobSpec> = {}): JobSpec => ({
  name: '',
  queue: '',
  labels: {},
  priorityClass: '',
  dependencies: [],
  resources: { gpus, gpuModel: '', nodes: 0 },
  workload: { $case: 'simulated', simulated: { gpuSeconds: 5, exitCode: 0, seed: 1 } },
  ...fields,
});

export async function jobServiceParts(overrides: Partial<ControlPlaneConfig> = {}) {
  const parts = controlPlaneParts(overrides);
  const handlers = new JobServiceHandlers(
    parts.auth,
    parts.effects,
    parts.metrics,
    new WatchStreamer(parts.jobs, parts.signals),
    new SubmitValidator(parts.policy, parts.files, parts.renters, parts.leases),
    parts.jobs,
    parts.dispatch,
    parts.clock,
    parts.config,
  );
  const finished: { method: string; code: status }[] = [];
  const observer: CallObserver = { finished: (method, code) => finished.push({ method, code }) };
  const service: JobServiceServer = handlers.implementation(observer);
  const alice = await parts.tenants.aTenant('alice');
  const bob = await parts.tenants.aTenant('bob');
  return {
    ...parts,
    service,
    finished,
    alice: { ...alice.tenant, metadata: bearerMetadata(alice.key) },
    bob: { ...bob.tenant, metadata: bearerMetadata(bob.key) },
  };
}
