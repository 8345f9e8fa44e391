// Helpers the job kinds share: OpenAI bodies and answers, abortable waits.
export * from './abort';
export * from './engine-answer';
export * from './verdict';
export * from './json-lines';
