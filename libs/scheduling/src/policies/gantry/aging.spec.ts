/**
 * Aging (ADR 13): a job waiting longer than the starvation age (since its waitingSince: submit
 * time plus earlier run time) is starving. Starving jobs go first, fair share among them; their
 * reservations are beyond the budget; one that can start no other way preempts jobs that waited
 * less (starvation preemption); a job that started after starving is a victim of reclaim or
 * priority preemption only as a last resort.
 */
import { DEFAULT_POLICY_CONFIG } from '../../model';
import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const AGE = DEFAULT_POLICY_CONFIG.starvationAgeSeconds * 1000; // 3 days
const now = 30 * DAY;

describe('gantry policy: aging', () => {
  describe('waitingSince', () => {
    // One free GPU; a serving job and a batch job want it. The batch job was submitted 4 days
    // ago, which alone would make it starving and first.
    const cluster = () =>
      aCluster()
        .node(aNode('n1').gpus(1))
        .pending(
          aJob('serve')
            .cls('serving')
            .submitted(now - HOUR),
        );

    it('makes a job submitted longer ago than the starvation age starving: it goes first', () => {
      const decision = gantryPolicy.decide(
        cluster()
          .pending(aJob('old').submitted(now - 4 * DAY))
          .snapshot(now),
      );
      expect(decision.placements.map((p) => p.jobId)).toEqual(['old']);
    });

    it('counts earlier run time as not waiting: a job that ran 2 of its 4 days is not starving', () => {
      const decision = gantryPolicy.decide(
        cluster()
          .pending(
            aJob('ran')
              .submitted(now - 4 * DAY)
              .waitingSince(now - 2 * DAY),
          )
          .snapshot(now),
      );
      expect(decision.placements.map((p) => p.jobId)).toEqual(['serve']);
    });
  });

  it('orders starving jobs first, by fair share among them rather than by how long they waited', () => {
    // One free GPU. Queue "heavy" used far more than "light"; its starving job waited longest.
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('n1').gpus(1))
        .queue('heavy')
        .queue('light')
        .usage('heavy', { 'H100-80GB': 1e9 })
        .usage('light', { 'H100-80GB': 1 })
        .pending(
          aJob('serve').cls('serving').queue('light').submitted(now),
          aJob('heavy-oldest')
            .queue('heavy')
            .submitted(now - 6 * DAY),
          aJob('light-starving')
            .queue('light')
            .cls('background')
            .submitted(now - AGE - HOUR),
        )
        .snapshot(now),
    );
    expect(decision.placements.map((p) => p.jobId)).toEqual(['light-starving']);
    // The other starving job comes next (it holds a reservation), before the serving job.
    expect(decision.reservations.map((r) => r.jobId)[0]).toBe('heavy-oldest');
  });

  it("gives starving jobs reservations beyond the budget, which stays for the others'", () => {
    // Four full nodes of serving jobs (not preemptible), ending at different times; a budget
    // of one reservation. Three starving jobs and two others each want a whole node.
    const decision = gantryPolicy.decide(
      aCluster()
        .config({ maxReservations: 1 })
        .node(aNode('n1').gpus(4), aNode('n2').gpus(4), aNode('n3').gpus(4), aNode('n4').gpus(4))
        .running(
          ...[1, 2, 3, 4].map((i) =>
            aRunningJob(`s${i}`)
              .on(`n${i}`, [0, 1, 2, 3])
              .cls('serving')
              .endsAt(now + i * HOUR),
          ),
        )
        .pending(
          ...[1, 2, 3].map((i) =>
            aJob(`starving-${i}`)
              .gpus(4)
              .submitted(now - AGE - i * HOUR),
          ),
          aJob('fresh-1').gpus(4).submitted(now),
          aJob('fresh-2')
            .gpus(4)
            .submitted(now + 1),
        )
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
    expect(decision.reservations.map((r) => r.jobId).sort()).toEqual([
      'fresh-1',
      'starving-1',
      'starving-2',
      'starving-3',
    ]);
  });

  describe('starvation preemption', () => {
    // A starving batch job (no class below it runs) wants a whole node; it has starved an
    // hour, longer than preemptAfterWaitSeconds (30 min), so it preempts even if a slot is near.
    const starving = () =>
      aJob('starving')
        .gpus(4)
        .queue('q')
        .submitted(now - AGE - HOUR);

    it('preempts a job of its class that waited less, past its minimum runtime', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .queue('q')
          .running(
            aRunningJob('waited-an-hour')
              .on('n1', [0, 1, 2, 3])
              .queue('q')
              .cls('batch')
              .started(now - 2 * HOUR)
              .waitingSince(now - 3 * HOUR)
              .endsAt(now + DAY),
          )
          .pending(starving())
          .snapshot(now),
      );
      expect(decision.preemptions.map((p) => [p.jobId, p.forJobId, p.cause])).toEqual([
        ['waited-an-hour', 'starving', 'Starvation'],
      ]);
      expect(decision.preemptions[0]!.message).toContain('past the starvation age');
      expect(decision.waiting.map((w) => [w.jobId, w.reason])).toEqual([
        ['starving', 'Preempting'],
      ]);
      expect(decision.waiting[0]!.message).toMatch(
        /^starving \(waited 3\.0d\): preempting waited-an-hour/,
      );
    });

    it("preempts a job preempted too often for priority (aging keeps the victim's wait)", () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .queue('q')
          .running(
            aRunningJob('thrown-back-thrice')
              .on('n1', [0, 1, 2, 3])
              .queue('q')
              .cls('background')
              .preempted(DEFAULT_POLICY_CONFIG.maxPreemptionsPerJob)
              .started(now - 2 * HOUR)
              .endsAt(now + DAY),
          )
          .pending(starving())
          .snapshot(now),
      );
      expect(decision.preemptions.map((p) => [p.jobId, p.cause])).toEqual([
        ['thrown-back-thrice', 'Starvation'],
      ]);
    });

    it.each([
      [
        'a job that started after starving (it waited longer than the age)',
        aRunningJob('v')
          .started(now - 2 * HOUR)
          .waitingSince(now - 2 * HOUR - AGE - 2 * HOUR),
      ],
      ['a job not past its minimum runtime', aRunningJob('v').started(now - 5 * MIN)],
      ['a job of a class that is not preemptible', aRunningJob('v').cls('serving')],
      ['a job protected after a restart', aRunningJob('v').protectedUntil(now + MIN)],
    ])('never preempts %s', (_name, victim) => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .queue('q')
          .running(
            victim
              .on('n1', [0, 1, 2, 3])
              .queue('q')
              .endsAt(now + DAY),
          )
          .pending(starving())
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
      // It holds a reservation instead, beyond the budget.
      expect(decision.reservations.map((r) => r.jobId)).toEqual(['starving']);
    });

    it("takes another queue's job only where that queue is above its guarantee", () => {
      const cluster = (otherGuarantee: number) =>
        aCluster()
          .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
          .queue('q', { guaranteed: { 'H100-80GB': 0 } })
          .queue('other', { guaranteed: { 'H100-80GB': otherGuarantee } })
          .running(
            ...[1, 2].map((i) =>
              aRunningJob(`other-${i}`)
                .on(`n${i}`, [0, 1, 2, 3])
                .queue('other')
                .started(now - 2 * HOUR)
                .endsAt(now + DAY),
            ),
          )
          .pending(starving())
          .snapshot(now);
      // q has no guarantee (it borrows: no reclaim). other holds 8 with a guarantee of 8:
      // nothing to take.
      expect(gantryPolicy.decide(cluster(8)).preemptions).toEqual([]);
      // other holds 8 with a guarantee of 4: one of its jobs may go.
      expect(gantryPolicy.decide(cluster(4)).preemptions.map((p) => p.cause)).toEqual([
        'Starvation',
      ]);
    });

    it('reserves rather than preempts while a slot is near and it has not starved long', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .queue('q')
          .running(
            aRunningJob('ends-soon')
              .on('n1', [0, 1, 2, 3])
              .queue('q')
              .started(now - 2 * HOUR)
              .endsAt(now + 10 * MIN),
          )
          .pending(
            aJob('just-starving')
              .gpus(4)
              .queue('q')
              .submitted(now - AGE - 10 * MIN),
          )
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
      expect(decision.reservations.map((r) => r.jobId)).toEqual(['just-starving']);
    });

    it('does nothing of this while no job is starving', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .queue('q')
          .running(
            aRunningJob('r')
              .on('n1', [0, 1, 2, 3])
              .queue('q')
              .started(now - 2 * HOUR)
              .endsAt(now + DAY),
          )
          .pending(
            aJob('almost')
              .gpus(4)
              .queue('q')
              .submitted(now - AGE + MIN),
          )
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
    });
  });

  describe('a job that started after starving', () => {
    // A serving job wants 4 GPUs. On n1 runs a job that started after starving and would lose
    // little work; on n2 one that would lose more.
    const starvedThenStarted = () =>
      aRunningJob('started-starving')
        .on('n1', [0, 1, 2, 3])
        .started(now - 2 * HOUR)
        .waitingSince(now - 2 * HOUR - AGE - DAY)
        .checkpointed(now - MIN);

    it('is a victim of priority preemption only as a last resort', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
          .running(
            starvedThenStarted(),
            aRunningJob('plain')
              .on('n2', [0, 1, 2, 3])
              .started(now - 2 * HOUR)
              .checkpointed(now - HOUR),
          )
          .pending(aJob('vip').cls('serving').gpus(4))
          .snapshot(now),
      );
      expect(decision.preemptions.map((p) => p.jobId)).toEqual(['plain']);
    });

    it('is never taken for the priority of a preemptible class (its victims would take it back)', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .running(
            starvedThenStarted()
              .cls('background')
              .endsAt(now + DAY),
          )
          .pending(
            aJob('batch')
              .cls('batch')
              .gpus(4)
              .submitted(now - DAY),
          )
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
    });

    it('is still taken when nothing else would do', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .node(aNode('n1').gpus(4))
          .running(starvedThenStarted())
          .pending(aJob('vip').cls('serving').gpus(4))
          .snapshot(now),
      );
      expect(decision.preemptions.map((p) => [p.jobId, p.cause])).toEqual([
        ['started-starving', 'Priority'],
      ]);
    });
  });
});
