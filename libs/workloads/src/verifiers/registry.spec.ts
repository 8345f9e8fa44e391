import { ValidationError } from '@gantry/domain';
import type { Sandbox } from '../ports';
import { ExactAnswerVerifier } from './exact-answer-verifier';
import { createVerifier, VERIFIER_NAMES, VerifierRegistry } from './registry';
import { UnitTestsVerifier } from './unit-tests-verifier';

/** A sandbox never asked to run anything here: the registry only builds verifiers. */
const fakeSandbox: Sandbox = {
  run: () => Promise.reject(new Error('FakeSandbox: not used by these tests')),
};

describe('createVerifier', () => {
  it('knows the built-in verifiers', () => {
    expect(VERIFIER_NAMES).toEqual(['exact-answer', 'unit-tests']);
    expect(createVerifier('exact-answer')).toBeInstanceOf(ExactAnswerVerifier);
    const unitTests = createVerifier('unit-tests', { sandbox: fakeSandbox });
    expect(unitTests).toBeInstanceOf(UnitTestsVerifier);
    expect(unitTests.name).toBe('unit-tests');
  });

  it('names an unknown verifier and lists the known ones', () => {
    expect(() => createVerifier('llm-judge')).toThrow(
      new ValidationError([
        {
          field: 'verifier',
          message: 'unknown verifier "llm-judge"; known verifiers: exact-answer, unit-tests',
        },
      ]),
    );
  });

  it('says when unit-tests has no sandbox', () => {
    expect(() => createVerifier('unit-tests')).toThrow(
      'verifier: the unit-tests verifier needs a sandbox to run code, and none was given',
    );
  });

  it('passes the unit-tests options on (bad ones are refused)', () => {
    expect(() =>
      createVerifier('unit-tests', { sandbox: fakeSandbox, unitTests: { timeLimitMs: -1 } }),
    ).toThrow('timeLimitMs: must be a positive whole number, got -1');
  });
});

describe('VerifierRegistry', () => {
  it('takes new verifiers, once per name', async () => {
    const registry = new VerifierRegistry().register('always', () => ({
      name: 'always',
      verify: async () => ({ accepted: true, score: 1, extracted: null, detail: 'always' }),
    }));
    expect(registry.names()).toEqual(['always']);
    expect(registry.has('always')).toBe(true);
    const verdict = await registry.create('always').verify('x', { id: 'p', prompt: 'q' });
    expect(verdict.accepted).toBe(true);
    expect(() => registry.register('always', () => createVerifier('exact-answer'))).toThrow(
      'verifier "always" is already registered',
    );
  });
});
