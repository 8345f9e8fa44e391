import { loadControlPlaneConfig, type ControlPlaneConfig } from '@gantry/config';

/** The bootstrap token of testConfig(): agents present it to Register. */
export const BOOTSTRAP_TOKEN = 'bootstrap-secret-for-tests-0123';

/** A valid admin API key (the form `gantry keygen` prints). */
export const ADMIN_API_KEY = `gk_${'a'.repeat(18)}_${'A'.repeat(43)}`;

/** The control plane's configuration as loaded from a minimal environment, with overrides. */
export function testConfig(overrides: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig {
  const config = loadControlPlaneConfig({
    GANTRY_ADMIN_API_KEY: ADMIN_API_KEY,
    GANTRY_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
    GANTRY_REPLICA_ID: 'test-replica',
  });
  return { ...config, ...overrides };
}
