// @gantry/config: every environment variable, its default and unit, checked once at start-up.
// The only module that reads process.env.
export * from './variable';
export * from './control-plane';
export * from './node-agent';
export * from './cli';
export * from './testing';
export { CREDENTIAL_PATTERN } from './shared';
export * from './reference';
