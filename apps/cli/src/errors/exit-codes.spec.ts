import { CommanderError } from 'commander';
import { ConfigError } from '@gantry/config';
import {
  AbortedError,
  AlreadyExistsError,
  FailedPreconditionError,
  InternalError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '@gantry/domain';
import {
  ControlPlaneUnreachableError,
  NoApiKeyError,
  NoEndpointError,
  transportDetail,
  UsageError,
  withEndpoint,
} from './cli-errors';
import { describeError, ExitCode, exitCodeFor } from './exit-codes';

describe('exitCodeFor', () => {
  it.each([
    ['help', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0],
    ['an unknown option', new CommanderError(1, 'commander.unknownOption', 'x'), 2],
    ['a usage error', new UsageError('--gpus: bad'), 2],
    ['bad configuration', new ConfigError(['GANTRY_ENDPOINT: must be host:port']), 2],
    ['INVALID_ARGUMENT', ValidationError.field('spec', 'is required'), 2],
    ['no endpoint', new NoEndpointError('/h/context.json'), 2],
    ['UNAUTHENTICATED', new UnauthenticatedError('bad key'), 4],
    ['no API key', new NoApiKeyError('h:1'), 4],
    ['UNAVAILABLE', new ControlPlaneUnreachableError('h:1', new Error('x')), 5],
    ['ALREADY_EXISTS', new AlreadyExistsError('same key, other spec'), 6],
    ['FAILED_PRECONDITION', new FailedPreconditionError('not built'), 6],
    ['ABORTED', new AbortedError('lost a race'), 1],
    ['INTERNAL', new InternalError('bug'), 1],
    ['a plain error', new Error('boom'), 1],
    ['a thrown string', 'boom', 1],
  ])('maps %s to %d', (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it('keeps the documented values', () => {
    expect(ExitCode).toMatchObject({ JobFailed: 10, JobCancelled: 11, Unavailable: 5 });
  });
});

describe('describeError', () => {
  it('lists every field violation and leaves out empty field names', () => {
    const error = new ValidationError([
      { field: 'spec.resources.gpus', message: 'must be at least 0' },
      { field: '', message: 'oversized message' },
    ]);
    expect(describeError(error)).toBe('spec.resources.gpus: must be at least 0; oversized message');
  });

  it('keeps a message on one line', () => {
    expect(describeError(new Error('first\n  second'))).toBe('first second');
    expect(describeError(new ConfigError(['A: bad', 'B: bad']))).toBe('A: bad; B: bad');
  });
});

describe('withEndpoint', () => {
  it('names the endpoint of an unreachable control plane, shortly', () => {
    const error = withEndpoint(
      new UnavailableError('UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:1'),
      '127.0.0.1:1',
    );
    expect(error).toBeInstanceOf(ControlPlaneUnreachableError);
    expect((error as Error).message).toBe(
      'cannot reach the control plane at 127.0.0.1:1 (connection refused); is it running? ' +
        'Start a local cluster with `gantry up`',
    );
  });

  it('leaves other errors alone', () => {
    const notFound = new NotFoundError('job', 'job_1');
    expect(withEndpoint(notFound, 'h:1')).toBe(notFound);
  });

  it.each([
    [
      'UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ',
      'connection refused',
    ],
    ['getaddrinfo ENOTFOUND nowhere', 'unknown host'],
    ['DEADLINE_EXCEEDED: Deadline exceeded', 'no answer before the deadline'],
    ['UNAVAILABLE: server shutting down. Resolution note: x', 'UNAVAILABLE: server shutting down.'],
  ])('shortens %j', (message, short) => {
    expect(transportDetail(message)).toBe(short);
  });
});
