import { ValidationError } from '@gantry/domain';
import { ExactAnswerVerifier } from './exact-answer-verifier';

const verifier = new ExactAnswerVerifier();
const problem = (answer?: string) => ({ id: 'p1', prompt: 'What is 17 * 23?', answer });

describe('ExactAnswerVerifier', () => {
  it.each([
    ['17 * 23 = 391, so the answer is \\boxed{391}.', '391', true, '391'],
    ['\\boxed{390}', '391', false, '390'],
    ['Half of 1.5 is $\\boxed{\\dfrac{3}{4}}$', '0.75', true, '\\dfrac{3}{4}'],
    ['He earns 1,200 dollars.\n#### 1,200', '1200', true, '1,200'],
    ['The length is 12 cm', '12', true, '12'],
    ['Final answer: Monday.', '\\text{Monday}', true, 'Monday.'],
    ['So  x  =  -4', '-4', true, '-4'],
  ])('%j against %j -> accepted %j', async (candidate, answer, accepted, extracted) => {
    const verdict = await verifier.verify(candidate, problem(answer));
    expect(verdict).toEqual({
      accepted,
      score: accepted ? 1 : 0,
      extracted,
      detail: expect.stringContaining(accepted ? 'matches' : 'does not match') as string,
    });
  });

  it('rejects a candidate that states no answer: score 0, extracted null', async () => {
    await expect(verifier.verify('I am not sure.', problem('391'))).resolves.toEqual({
      accepted: false,
      score: 0,
      extracted: null,
      detail: 'no final answer found',
    });
  });

  it('says what it expected when it rejects', async () => {
    const verdict = await verifier.verify('\\boxed{7}', problem(' 8 '));
    expect(verdict.detail).toBe('answer "7" does not match the reference "8"');
  });

  it('needs a reference answer: a ValidationError on the field answer', async () => {
    const error = await verifier.verify('\\boxed{1}', problem(undefined)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([
      {
        field: 'answer',
        message: 'problem "p1" has no reference answer, which the exact-answer verifier needs',
      },
    ]);
    await expect(verifier.verify('\\boxed{1}', problem('  '))).rejects.toThrow(ValidationError);
  });
});
