import { parseProgressLine } from './progress-protocol';

describe('parseProgressLine', () => {
  it.each([
    ['GANTRY_PROGRESS 0.25', { fraction: 0.25, message: '' }],
    ['GANTRY_PROGRESS 1 all done  ', { fraction: 1, message: 'all done' }],
    ['GANTRY_PROGRESS\t.5\tshard 4/10', { fraction: 0.5, message: 'shard 4/10' }],
    ['GANTRY_PROGRESS 0', { fraction: 0, message: '' }],
  ])('reads %j', (line, expected) => {
    expect(parseProgressLine(line)).toEqual(expected);
  });

  it.each([
    'GANTRY_PROGRESS 1.5',
    'GANTRY_PROGRESS -0.1',
    'GANTRY_PROGRESS half',
    'GANTRY_PROGRESS',
    ' GANTRY_PROGRESS 0.1',
    'hello',
  ])('leaves %j an ordinary line', (line) => {
    expect(parseProgressLine(line)).toBeUndefined();
  });
});
