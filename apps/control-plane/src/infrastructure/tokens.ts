/** Injection tokens for what is not a class of this app. */
export const CONFIG = Symbol('ControlPlaneConfig');
export const LOGGER = Symbol('Logger');
export const CLOCK = Symbol('Clock');
export const DATABASE = Symbol('Database');
export const REDIS = Symbol('Redis');
export const TENANTS = Symbol('TenantRepository');
export const JOBS = Symbol('JobRepository');
export const NODES = Symbol('NodeRepository');
export const PENDING_INDEX = Symbol('PendingIndex');
export const DISPATCH_QUEUE = Symbol('DispatchQueue');
export const LEADER_LEASE = Symbol('LeaderLease');
export const LIVENESS = Symbol('NodeLiveness');
export const SIGNALS = Symbol('Signals');
export const POLICY = Symbol('PolicyRepository');
export const STEP_CLAIMS = Symbol('StepClaims');
export const FILE_STORE = Symbol('FileStore');
export const FILES = Symbol('FileRepository');
