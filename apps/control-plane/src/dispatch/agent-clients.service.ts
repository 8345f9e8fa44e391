import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { credentials } from '@grpc/grpc-js';
import { type ControlPlaneConfig } from '@gantry/config';
import { derivedCredential } from '@gantry/domain';
import { bearerMetadata, channelOptions } from '@gantry/grpc';
import { NodeAgentServiceClient } from '@gantry/proto';
import type { NodeRecord } from '@gantry/store';
import type { Metadata } from '@grpc/grpc-js';
import { CONFIG } from '../infrastructure/tokens';

/**
 * One NodeAgentService client per agent address, and the node token to present (re-derived from
 * the bootstrap secret and the token's lookup id; the store keeps only its hash).
 */
@Injectable()
export class AgentClients implements OnApplicationShutdown {
  private readonly clients = new Map<string, NodeAgentServiceClient>();

  constructor(@Inject(CONFIG) private readonly config: ControlPlaneConfig) {}

  client(node: NodeRecord): NodeAgentServiceClient {
    let client = this.clients.get(node.address);
    if (!client) {
      client = new NodeAgentServiceClient(
        node.address,
        credentials.createInsecure(),
        channelOptions(this.config.maxMessageBytes),
      );
      this.clients.set(node.address, client);
    }
    return client;
  }

  metadata(node: NodeRecord): Metadata {
    return bearerMetadata(
      derivedCredential('node-token', this.config.bootstrapToken, node.tokenLookupId).plaintext,
    );
  }

  onApplicationShutdown(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
