// @gantry/testing: test harness and builders shared by unit, integration and end-to-end tests.
export * from './redis-server';
export * from './postgres';
export * from './eventually';
export * from './ports';
export * from './processes';
