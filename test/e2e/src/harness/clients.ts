/** gRPC clients of a control plane, with an API key, for tests. */
import { credentials, type Metadata } from '@grpc/grpc-js';
import { bearerMetadata, callUnary, channelOptions, readStream } from '@gantry/grpc';
import {
  AdminServiceClient,
  FileServiceClient,
  JobServiceClient,
  RentalServiceClient,
  type File as GantryFile,
  JobState,
  type Job,
  type JobEvent,
  type JobSpec,
  type Node,
} from '@gantry/proto';
import { eventually } from '@gantry/testing';

const TIMEOUT_MS = 15_000;

export class GantryClient {
  readonly jobs: JobServiceClient;
  readonly admin: AdminServiceClient;
  readonly files: FileServiceClient;
  readonly rental: RentalServiceClient;
  readonly metadata: Metadata;

  constructor(
    readonly address: string,
    apiKey: string,
  ) {
    this.jobs = new JobServiceClient(
      address,
      credentials.createInsecure(),
      channelOptions(8 * 1024 * 1024),
    );
    this.admin = new AdminServiceClient(
      address,
      credentials.createInsecure(),
      channelOptions(8 * 1024 * 1024),
    );
    this.files = new FileServiceClient(
      address,
      credentials.createInsecure(),
      channelOptions(8 * 1024 * 1024),
    );
    this.rental = new RentalServiceClient(
      address,
      credentials.createInsecure(),
      channelOptions(8 * 1024 * 1024),
    );
    this.metadata = bearerMetadata(apiKey);
  }

  /** Uploads `content` as a file (FileService.UploadFile: a header, then 64 KiB chunks). */
  async upload(filename: string, content: string): Promise<GantryFile> {
    const bytes = Buffer.from(content, 'utf8');
    return new Promise((resolve, reject) => {
      const call = this.files.uploadFile(this.metadata, (error, response) =>
        error ? reject(error) : resolve(response.file!),
      );
      call.write({ part: { $case: 'header', header: { filename } } });
      for (let at = 0; at < bytes.length; at += 64 * 1024)
        call.write({ part: { $case: 'chunk', chunk: bytes.subarray(at, at + 64 * 1024) } });
      call.end();
    });
  }

  /** A file's whole content (FileService.DownloadFile). */
  async download(fileId: string): Promise<string> {
    const parts: Buffer[] = [];
    for await (const message of readStream(this.files.downloadFile({ fileId }, this.metadata)))
      parts.push(Buffer.from(message.chunk));
    return Buffer.concat(parts).toString('utf8');
  }

  async submit(spec: Partial<JobSpec>, idempotencyKey = ''): Promise<Job> {
    const full: JobSpec = {
      name: '',
      queue: '',
      labels: {},
      priorityClass: '',
      dependencies: [],
      ...spec,
    };
    const response = await callUnary(
      this.jobs,
      'submitJob',
      { spec: full, idempotencyKey, array: undefined },
      this.metadata,
      TIMEOUT_MS,
    );
    return response.job!;
  }

  async get(jobId: string): Promise<Job> {
    return (await callUnary(this.jobs, 'getJob', { jobId }, this.metadata, TIMEOUT_MS)).job!;
  }

  async cancel(jobId: string, reason = ''): Promise<Job> {
    return (await callUnary(this.jobs, 'cancelJob', { jobId, reason }, this.metadata, TIMEOUT_MS))
      .job!;
  }

  async listAll(): Promise<Job[]> {
    const jobs: Job[] = [];
    let pageToken = '';
    do {
      const page = await callUnary(
        this.jobs,
        'listJobs',
        { states: [], queue: '', pageSize: 1000, pageToken },
        this.metadata,
        TIMEOUT_MS,
      );
      jobs.push(...page.jobs);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return jobs;
  }

  async nodes(): Promise<Node[]> {
    return (await callUnary(this.admin, 'listNodes', {}, this.metadata, TIMEOUT_MS)).nodes;
  }

  async events(jobId: string, fromSequence = 0): Promise<JobEvent[]> {
    const events: JobEvent[] = [];
    const stream = this.jobs.watchJob({ jobId, fromSequence }, this.metadata);
    for await (const message of readStream(stream)) events.push(message.event!);
    return events;
  }

  /** Waits until the job is in one of `states`; returns it. */
  async waitForState(jobId: string, states: readonly JobState[], timeoutMs = 60_000): Promise<Job> {
    return eventually(
      `job ${jobId} to reach ${states.map((s) => JobState[s]).join(' or ')}`,
      async () => {
        const job = await this.get(jobId);
        return states.includes(job.state) ? job : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  close(): void {
    this.jobs.close();
    this.admin.close();
    this.files.close();
    this.rental.close();
  }
}

export const TERMINAL = [
  JobState.JOB_STATE_SUCCEEDED,
  JobState.JOB_STATE_FAILED,
  JobState.JOB_STATE_CANCELLED,
];

export function commandSpec(
  argv: string[],
  gpus = 1,
  extra: Partial<JobSpec> = {},
): Partial<JobSpec> {
  return {
    resources: { gpus, gpuModel: '', nodes: 0 },
    workload: { $case: 'command', command: { argv, env: {}, workingDir: '' } },
    ...extra,
  };
}
