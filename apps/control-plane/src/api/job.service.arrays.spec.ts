import { ValidationError } from '@gantry/domain';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { aProtoSpec, jobServiceParts } from '../testing/job-service';

describe('JobServiceHandlers SubmitJob with an array', () => {
  it('records one job per index, answers with their ids and puts every one in the pending index', async () => {
    const { service, alice, jobs, pending, metrics, signals } = await jobServiceParts();
    const { job, created, arrayJobIds } = await callHandler(
      service.submitJob,
      { spec: aProtoSpec(1, { name: 'sweep' }), idempotencyKey: 'k', array: { first: 3, last: 5 } },
      alice.metadata,
    );

    expect(created).toBe(true);
    expect(arrayJobIds).toHaveLength(3);
    expect(job).toMatchObject({ id: arrayJobIds[0], arrayId: arrayJobIds[0], arrayIndex: 3 });
    expect(arrayJobIds.map((id) => jobs.job(id))).toMatchObject([
      { arrayId: arrayJobIds[0], arrayIndex: 3, spec: { name: 'sweep[3]' } },
      { arrayId: arrayJobIds[0], arrayIndex: 4, spec: { name: 'sweep[4]' } },
      { arrayId: arrayJobIds[0], arrayIndex: 5, spec: { name: 'sweep[5]' } },
    ]);
    expect(pending.ids()).toEqual([...arrayJobIds].sort());
    expect((await metrics.jobsSubmitted.get()).values[0]?.value).toBe(3);
    expect(signals.schedulerWakeUps).toBe(1);
  });

  it('answers a repeat with the same key with the same elements, adding nothing', async () => {
    const { service, alice, jobs, pending, metrics } = await jobServiceParts();
    const request = { spec: aProtoSpec(), idempotencyKey: 'k', array: { first: 0, last: 1 } };
    const first = await callHandler(service.submitJob, request, alice.metadata);
    const again = await callHandler(service.submitJob, request, alice.metadata);
    expect(again).toMatchObject({ created: false, arrayJobIds: first.arrayJobIds });
    expect(jobs.jobs.size).toBe(2);
    expect(pending.ids()).toHaveLength(2);
    expect((await metrics.jobsSubmitted.get()).values[0]?.value).toBe(2);
  });

  it('answers a single job with no array ids', async () => {
    const { service, alice } = await jobServiceParts();
    const { arrayJobIds, job } = await callHandler(
      service.submitJob,
      { spec: aProtoSpec(), idempotencyKey: '' },
      alice.metadata,
    );
    expect(arrayJobIds).toEqual([]);
    expect(job).toMatchObject({ arrayId: '', arrayIndex: undefined });
  });

  it.each([
    [{ first: 3, last: 1 }, 'must be first-last with 0 <= first <= last (got 3-1)'],
    [{ first: -1, last: 1 }, 'must be first-last with 0 <= first <= last (got -1-1)'],
    [{ first: 0, last: 10_000 }, 'has 10001 elements; at most 10000 are allowed'],
  ])('rejects the range %p naming the field array', async (array, message) => {
    const { service, alice, jobs, pending } = await jobServiceParts();
    const error = await failureOf(
      callHandler(
        service.submitJob,
        { spec: aProtoSpec(), idempotencyKey: '', array },
        alice.metadata,
      ),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([{ field: 'array', message }]);
    expect(jobs.jobs.size).toBe(0);
    expect(pending.ids()).toEqual([]);
  });
});
