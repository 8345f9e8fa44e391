import { ValidationError } from '@gantry/domain';
import type { Sandbox } from '../ports';
import { ExactAnswerVerifier } from './exact-answer-verifier';
import { UnitTestsVerifier, type UnitTestsOptions } from './unit-tests-verifier';
import type { Verifier } from './verifier';

/** What verifiers may need from their host; each verifier takes what it uses. */
export interface VerifierDeps {
  /** Runs candidate code (`unit-tests`); implemented by `ProcessSandbox` in @gantry/workers. */
  readonly sandbox?: Sandbox;
  /** Limits of the `unit-tests` verifier (see `UNIT_TESTS_DEFAULTS`). */
  readonly unitTests?: UnitTestsOptions;
}

/** Makes one kind of verifier from the host's deps; throws a `ValidationError` if one is missing. */
export type VerifierFactory = (deps: VerifierDeps) => Verifier;

/**
 * Verifiers by name, so job specs name them and new ones plug in without touching the callers.
 * `create` throws a `ValidationError` on the field `verifier` naming an unknown verifier and
 * listing the known ones.
 */
export class VerifierRegistry {
  private readonly factories = new Map<string, VerifierFactory>();

  constructor(factories: Readonly<Record<string, VerifierFactory>> = {}) {
    for (const [name, factory] of Object.entries(factories)) this.register(name, factory);
  }

  /** Adds a verifier kind; a name can be registered once. */
  register(name: string, factory: VerifierFactory): this {
    if (this.factories.has(name)) throw new Error(`verifier "${name}" is already registered`);
    this.factories.set(name, factory);
    return this;
  }

  /** The registered names, sorted. */
  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  create(name: string, deps: VerifierDeps = {}): Verifier {
    const factory = this.factories.get(name);
    if (!factory)
      throw ValidationError.field(
        'verifier',
        `unknown verifier "${name}"; known verifiers: ${this.names().join(', ')}`,
      );
    return factory(deps);
  }
}

/** The built-in verifiers: `exact-answer` and `unit-tests` (which needs `deps.sandbox`). */
export function builtInVerifiers(): VerifierRegistry {
  return new VerifierRegistry({
    'exact-answer': () => new ExactAnswerVerifier(),
    'unit-tests': ({ sandbox, unitTests }) => {
      if (!sandbox)
        throw ValidationError.field(
          'verifier',
          'the unit-tests verifier needs a sandbox to run code, and none was given',
        );
      return new UnitTestsVerifier({ sandbox }, unitTests);
    },
  });
}

const builtIn = builtInVerifiers();

/** The names of the built-in verifiers, for spec validation. */
export const VERIFIER_NAMES: readonly string[] = builtIn.names();

/** Makes a built-in verifier by name (see `VerifierRegistry.create`). */
export function createVerifier(name: string, deps: VerifierDeps = {}): Verifier {
  return builtIn.create(name, deps);
}
