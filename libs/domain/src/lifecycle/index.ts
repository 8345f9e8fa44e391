/**
 * The job lifecycle as pure functions: given the records and what happened, each returns the
 * changes to write and the history entries to append (a Change). The store applies them in one
 * transaction; nothing here does I/O.
 */
export { NO_CHANGE, type AttemptPatch, type Change, type RankPatch } from './change';
export { place, type RankAllocation } from './place';
export { cancel } from './cancel';
export { applyTaskReport } from './task-report';
export { classifyExit, type TaskReport, type TaskEnd, type EndKind } from './task-end';
export { gangCause, type GangContext } from './gang';
export { abandonAttempt, type AbandonCause } from './abandon';
export { failDependency, recordCheckpoint, requestPreemption } from './preemption';
export { endParent, type ParentEnd } from './parent';
