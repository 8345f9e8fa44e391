// @gantry/files: FileStore, where job inputs and outputs live (ADR 9), and its local-directory
// implementation.
export * from './file-store';
export * from './lines';
export * from './local/local-directory-store';
