import { credentials } from '@grpc/grpc-js';
import {
  bearerMetadata,
  callUnary,
  channelOptions,
  readStream,
  type RequestOf,
  type UnaryMethodName,
} from '@gantry/grpc';
import {
  AdminServiceClient,
  FileServiceClient,
  JobServiceClient,
  RentalServiceClient,
  type CreateTenantResponse,
  type Job,
  type JobEvent,
  type ListJobsRequest,
  type ListJobsResponse,
  type Node,
  type PriorityClass,
  type Queue,
  type SubmitJobRequest,
  type SubmitJobResponse,
  type Tenant,
} from '@gantry/proto';
import { withEndpoint } from '../errors/cli-errors';
import { fileApi, present, type FileApi } from './file-api';
import { marketApi, type MarketApi } from './market-api';

/**
 * What the commands need from the control plane, as promises and async iterables. Failures are
 * the domain's error classes; an unreachable server is ControlPlaneUnreachableError, which
 * names the endpoint.
 */
export interface GantryApi extends FileApi, MarketApi {
  readonly endpoint: string;
  submitJob(request: SubmitJobRequest): Promise<SubmitJobResponse>;
  getJob(jobId: string): Promise<Job>;
  listJobs(request: ListJobsRequest): Promise<ListJobsResponse>;
  cancelJob(jobId: string, reason: string): Promise<Job>;
  /** The job's events from `fromSequence` on; ends after its final state. */
  watchJob(jobId: string, fromSequence: number): AsyncIterable<JobEvent>;
  createTenant(name: string): Promise<CreateTenantResponse>;
  listTenants(): Promise<Tenant[]>;
  createApiKey(tenant: string): Promise<string>;
  listNodes(): Promise<Node[]>;
  /** Notes that a running job saved its state; returns the job. */
  recordCheckpoint(jobId: string, message: string): Promise<Job>;
  /** Creates or replaces a queue; returns it as stored. */
  putQueue(queue: Queue): Promise<Queue>;
  deleteQueue(name: string): Promise<void>;
  listQueues(): Promise<Queue[]>;
  putPriorityClass(priorityClass: PriorityClass): Promise<PriorityClass>;
  /** Most important first. */
  listPriorityClasses(): Promise<PriorityClass[]>;
  close(): void;
}

const CALL_TIMEOUT_MS = 30_000;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function grpcApi(endpoint: string, apiKey: string): GantryApi {
  const options = channelOptions(MAX_MESSAGE_BYTES);
  const jobs = new JobServiceClient(endpoint, credentials.createInsecure(), options);
  const admin = new AdminServiceClient(endpoint, credentials.createInsecure(), options);
  const files = new FileServiceClient(endpoint, credentials.createInsecure(), options);
  const rental = new RentalServiceClient(endpoint, credentials.createInsecure(), options);
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw withEndpoint(error, endpoint);
    }
  };
  const metadata = () => bearerMetadata(apiKey);
  const jobCall = <K extends UnaryMethodName<JobServiceClient>>(
    method: K,
    request: RequestOf<JobServiceClient[K]>,
  ) => call(() => callUnary(jobs, method, request, metadata(), CALL_TIMEOUT_MS));
  const adminCall = <K extends UnaryMethodName<AdminServiceClient>>(
    method: K,
    request: RequestOf<AdminServiceClient[K]>,
  ) => call(() => callUnary(admin, method, request, metadata(), CALL_TIMEOUT_MS));

  return {
    endpoint,
    ...fileApi(files, metadata, (error) => withEndpoint(error, endpoint)),
    ...marketApi(rental, admin, metadata, (error) => withEndpoint(error, endpoint)),
    submitJob: (request) => jobCall('submitJob', request),
    getJob: async (jobId) => present((await jobCall('getJob', { jobId })).job, 'job'),
    listJobs: (request) => jobCall('listJobs', request),
    cancelJob: async (jobId, reason) =>
      present((await jobCall('cancelJob', { jobId, reason })).job, 'job'),
    async *watchJob(jobId, fromSequence) {
      const stream = jobs.watchJob({ jobId, fromSequence }, metadata());
      try {
        for await (const response of readStream(stream)) {
          if (response.event) yield response.event;
        }
      } catch (error) {
        throw withEndpoint(error, endpoint);
      } finally {
        stream.cancel();
      }
    },
    createTenant: (name) => adminCall('createTenant', { name }),
    listTenants: async () => (await adminCall('listTenants', {})).tenants,
    createApiKey: async (tenant) => (await adminCall('createApiKey', { tenant })).apiKey,
    listNodes: async () => (await adminCall('listNodes', {})).nodes,
    recordCheckpoint: async (jobId, message) =>
      present((await jobCall('recordCheckpoint', { jobId, message })).job, 'job'),
    putQueue: async (queue) => present((await adminCall('putQueue', { queue })).queue, 'queue'),
    deleteQueue: async (name) => {
      await adminCall('deleteQueue', { name });
    },
    listQueues: async () => (await adminCall('listQueues', {})).queues,
    putPriorityClass: async (priorityClass) =>
      present(
        (await adminCall('putPriorityClass', { priorityClass })).priorityClass,
        'priority class',
      ),
    listPriorityClasses: async () => (await adminCall('listPriorityClasses', {})).priorityClasses,
    close() {
      jobs.close();
      admin.close();
      files.close();
      rental.close();
    },
  };
}
