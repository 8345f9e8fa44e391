// @gantry/store: the PostgreSQL system of record (a server, or embedded PGlite), its
// migrations, and the repositories the control plane codes against (see api/).
export * from './api';
export { createDatabase, type Database, type DatabaseOptions } from './database/database';
export { PGliteDialect } from './database/pglite-dialect';
export { migrateToLatest, MIGRATIONS } from './migrations/migrate';
export type { Schema } from './schema';
export { KyselyTenantRepository, ADMIN_TENANT } from './tenants/tenant-repository';
export { KyselyJobRepository } from './jobs/job-repository';
export { KyselyNodeRepository } from './nodes/node-repository';
export { KyselyPolicyRepository } from './policy/policy-repository';
export { encodePageToken, decodePageToken } from './page-token';
export * from './api/policy';
export { KyselyFileRepository } from './files/file-repository';
export { KyselyParentRepository } from './parents/parent-repository';
export { KyselyLeaseRepository } from './leases/lease-repository';
export { KyselyMarketSampleRepository } from './leases/market-samples';
export { KyselyRenterRepository } from './renters/renter-repository';
export { KyselyLedgerRepository } from './ledger/ledger-repository';
export { KyselyPriceBoundsRepository } from './market/price-bounds-repository';
