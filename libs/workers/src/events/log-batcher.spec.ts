import { ManualTimers } from '../testing/manual-timers';
import { RecordingSink } from '../testing/recording-sink';
import { LogBatcher } from './log-batcher';

describe('LogBatcher', () => {
  it('sends the lines of each stream 100 ms after the first one', () => {
    const timers = new ManualTimers();
    const sink = new RecordingSink();
    const batcher = new LogBatcher(sink, timers);
    batcher.add('stdout', 'a');
    batcher.add('stderr', 'e');
    batcher.add('stdout', 'b');
    timers.advance(99);
    expect(sink.events).toEqual([]);
    timers.advance(1);
    expect(sink.events).toEqual([
      { type: 'log', stream: 'stdout', lines: ['a', 'b'] },
      { type: 'log', stream: 'stderr', lines: ['e'] },
    ]);
  });

  it('sends a full batch of 200 lines at once', () => {
    const sink = new RecordingSink();
    const batcher = new LogBatcher(sink, new ManualTimers());
    for (let i = 0; i < 201; i++) batcher.add('stdout', `line ${i}`);
    expect(sink.of('log').map((e) => e.lines.length)).toEqual([200]);
    batcher.flush();
    expect(sink.of('log').map((e) => e.lines.length)).toEqual([200, 1]);
  });

  it('flush() sends what waits and cancels the timer', () => {
    const timers = new ManualTimers();
    const sink = new RecordingSink();
    const batcher = new LogBatcher(sink, timers);
    batcher.add('stdout', 'a');
    batcher.flush();
    expect(sink.events).toHaveLength(1);
    expect(timers.size).toBe(0);
  });
});
