import { Injectable } from '@nestjs/common';
import { Metrics } from '@gantry/observability';

/** Every metric the control plane exports (gantry_ prefix, base units, low-cardinality labels). */
@Injectable()
export class ControlPlaneMetrics {
  readonly metrics = new Metrics();
  readonly grpcRequests = this.metrics.counter(
    'grpc_requests_total',
    'gRPC calls served, by method and status code.',
    ['method', 'code'],
  );
  readonly grpcDuration = this.metrics.histogram(
    'grpc_request_duration_seconds',
    'Time to serve a gRPC call.',
    ['method'],
  );
  readonly jobsSubmitted = this.metrics.counter(
    'jobs_submitted_total',
    'Jobs accepted by SubmitJob (idempotent repeats excluded).',
  );
  readonly jobsFinished = this.metrics.counter(
    'jobs_finished_total',
    'Jobs that reached a final state, by state.',
    ['state'],
  );
  readonly cycleDuration = this.metrics.histogram(
    'scheduler_cycle_duration_seconds',
    'Duration of a scheduling cycle, by step.',
    ['step'],
  );
  readonly placements = this.metrics.counter(
    'scheduler_placements_total',
    'Jobs placed on a node.',
  );
  readonly pendingJobs = this.metrics.gauge(
    'scheduler_pending_jobs',
    'Jobs in the pending index at the last cycle.',
  );
  readonly isLeader = this.metrics.gauge(
    'scheduler_is_leader',
    '1 while this replica holds the scheduler lease.',
  );
  readonly dispatches = this.metrics.counter(
    'dispatch_orders_total',
    'Orders delivered to agents, by kind and outcome.',
    ['kind', 'outcome'],
  );
  readonly taskEvents = this.metrics.counter(
    'agent_task_events_total',
    'Task events reported by agents, by outcome.',
    ['outcome'],
  );
  readonly nodesLost = this.metrics.counter(
    'nodes_lost_total',
    'Nodes marked lost after missing heartbeats.',
  );
  readonly reenqueued = this.metrics.counter(
    'reconciler_reenqueued_total',
    'Entries the reconciler restored in Redis, by kind.',
    ['kind'],
  );
}
