import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAgent, removeAgentBuild } from './agent-build';
import { AgentProcess } from './agent-process';
import { eventually, isAlive } from '@gantry/testing';
import { NodeAgentClient } from './node-agent-client';
import { RecordingGateway } from './recording-gateway';

export const BOOTSTRAP_TOKEN = 'bootstrap-token-for-agent-tests';
export const NODE_NAME = 'agent-it';

/** One test's world: a RecordingGateway, the agent process, a client, and what to clean up. */
export class AgentFixture {
  readonly stateDir = mkdtempSync(path.join(tmpdir(), 'gantry-agent-it-'));
  /** The agent's FileStore (GANTRY_STORAGE_DIR), inside the state dir. */
  readonly storageDir = path.join(this.stateDir, 'storage');
  readonly gateway = new RecordingGateway(BOOTSTRAP_TOKEN);
  agent!: AgentProcess;
  port = 0;
  private client: NodeAgentClient | undefined;
  private readonly pids: number[] = [];

  private static main: string | undefined;

  /** Builds the agent for this test file (call in beforeAll; `clean` in afterAll). */
  static async build(): Promise<void> {
    AgentFixture.main = await buildAgent();
  }

  static clean(): void {
    if (AgentFixture.main) removeAgentBuild(AgentFixture.main);
  }

  /** Starts the gateway (unless `gatewayLater`), then the agent pointed at it. */
  async start(options: { gatewayPort?: number; gatewayLater?: boolean } = {}): Promise<this> {
    if (!options.gatewayLater) await this.gateway.start(options.gatewayPort);
    this.agent = new AgentProcess(AgentFixture.main!, {
      GANTRY_CONTROL_PLANE_ADDRESS: options.gatewayLater
        ? `127.0.0.1:${options.gatewayPort}`
        : this.gateway.address,
      GANTRY_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
      GANTRY_NODE_NAME: NODE_NAME,
      GANTRY_AGENT_BIND_HOST: '127.0.0.1',
      GANTRY_AGENT_PORT: '0',
      GANTRY_AGENT_ADVERTISE_HOST: '127.0.0.1',
      GANTRY_SIMULATE_GPUS: '4xH100-80GB',
      GANTRY_NVIDIA_SMI: path.join(this.stateDir, 'no-nvidia-smi'),
      GANTRY_AGENT_STATE_DIR: this.stateDir,
      GANTRY_STORAGE_DIR: this.storageDir,
      GANTRY_KILL_GRACE_SECONDS: '2',
      GANTRY_SIMULATION_SPEEDUP: '10',
      GANTRY_LOG_LEVEL: 'debug',
    });
    const ready = await this.agent.waitForLog('ready', (l) => l.msg === 'node agent ready');
    this.port = Number(ready['port']);
    return this;
  }

  async registered(count = 1): Promise<void> {
    await eventually(`${count} registration(s)`, () =>
      this.gateway.registers.length >= count ? true : undefined,
    );
  }

  get rpc(): NodeAgentClient {
    this.client ??= new NodeAgentClient(`127.0.0.1:${this.port}`, this.gateway.nodeToken);
    return this.client;
  }

  /** Pids that task output printed as `pid <n>` lines (remembered for clean-up). */
  printedPids(taskId: string, attempt = 1): number[] {
    const pids = this.gateway
      .delivered(taskId, attempt)
      .flatMap((e) => (e.payload?.$case === 'log' ? e.payload.log.lines : []))
      .flatMap((line) => /^pid (\d+)$/.exec(line)?.slice(1) ?? [])
      .map(Number);
    this.pids.push(...pids);
    return pids;
  }

  /** Waits for the attempt's exited event and returns every event delivered, in order. */
  async exited(taskId: string, attempt = 1) {
    return eventually(`${taskId} attempt ${attempt} to exit`, () => {
      const events = this.gateway.delivered(taskId, attempt);
      return events.at(-1)?.payload?.$case === 'exited' ? events : undefined;
    });
  }

  async destroy(): Promise<void> {
    this.client?.close();
    await this.agent?.stop();
    await this.gateway.close();
    for (const pid of this.pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
