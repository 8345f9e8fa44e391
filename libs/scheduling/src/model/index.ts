export * from './classes';
export * from './queues';
export * from './jobs';
export * from './snapshot';
export * from './decision';
export * from './engines';
