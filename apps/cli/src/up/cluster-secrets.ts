import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CREDENTIAL_PATTERN } from '@gantry/config';
import { cryptoRandomBytes, newCredential, type RandomBytes } from '@gantry/domain';

/** The two secrets a cluster starts with: the admin tenant's API key and the agents' token. */
export interface ClusterSecrets {
  /** `GANTRY_ADMIN_API_KEY`: `gk_<lookup id>_<secret>`. */
  readonly adminApiKey: string;
  /** `GANTRY_BOOTSTRAP_TOKEN`: the secret agents present to register (256 random bits). */
  readonly bootstrapToken: string;
}

export function generateClusterSecrets(random: RandomBytes = cryptoRandomBytes): ClusterSecrets {
  return {
    adminApiKey: newCredential('api-key', random).plaintext,
    bootstrapToken: `gb_${Buffer.from(random(32)).toString('base64url')}`,
  };
}

/** The secrets as env-file lines (`KEY=value`), for operators. */
export function secretsEnvLines(secrets: ClusterSecrets): string {
  return [
    `GANTRY_ADMIN_API_KEY=${secrets.adminApiKey}`,
    `GANTRY_BOOTSTRAP_TOKEN=${secrets.bootstrapToken}`,
  ].join('\n');
}

function isSecrets(value: unknown): value is ClusterSecrets {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['adminApiKey'] === 'string' &&
    CREDENTIAL_PATTERN.test(v['adminApiKey']) &&
    typeof v['bootstrapToken'] === 'string' &&
    /^\S{16,}$/.test(v['bootstrapToken'])
  );
}

/**
 * The secrets saved in a `gantry up` data directory, or new ones saved there (mode 0600), so a
 * restarted cluster keeps its admin key and its agents' token. A damaged file is an error
 * rather than silently replaced: the database behind it knows the old key.
 */
export async function loadOrCreateSecrets(
  dataDir: string,
  random: RandomBytes = cryptoRandomBytes,
): Promise<{ secrets: ClusterSecrets; created: boolean; path: string }> {
  const path = join(dataDir, 'secrets.json');
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isSecrets(parsed))
      throw new Error(
        `${path} is damaged (expected adminApiKey and bootstrapToken); ` +
          'restore it, or use a fresh --data-dir',
      );
    return { secrets: parsed, created: false, path };
  }
  const secrets = generateClusterSecrets(random);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { secrets, created: true, path };
}
