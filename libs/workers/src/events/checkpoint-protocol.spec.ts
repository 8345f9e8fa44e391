import { MAX_CHECKPOINT_MESSAGE_LENGTH, parseCheckpointLine } from './checkpoint-protocol';

describe('parseCheckpointLine', () => {
  it.each([
    ['GANTRY_CHECKPOINT', { message: '' }],
    ['GANTRY_CHECKPOINT   ', { message: '' }],
    ['GANTRY_CHECKPOINT step 500 saved  ', { message: 'step 500 saved' }],
    ['GANTRY_CHECKPOINT\t/ckpt/500\t', { message: '/ckpt/500' }],
    ['GANTRY_CHECKPOINT 0.5', { message: '0.5' }],
  ])('reads %j', (line, expected) => {
    expect(parseCheckpointLine(line)).toEqual(expected);
  });

  it.each([
    'GANTRY_CHECKPOINTS saved',
    'GANTRY_CHECKPOINT_DIR=/ckpt',
    ' GANTRY_CHECKPOINT step 1',
    'gantry_checkpoint step 1',
    'GANTRY_PROGRESS 0.5',
    'saved a checkpoint',
  ])('leaves %j an ordinary line', (line) => {
    expect(parseCheckpointLine(line)).toBeUndefined();
  });

  it('cuts a message longer than RecordCheckpoint takes', () => {
    const report = parseCheckpointLine(`GANTRY_CHECKPOINT ${'x'.repeat(5000)}`);
    expect(report?.message).toBe('x'.repeat(MAX_CHECKPOINT_MESSAGE_LENGTH));
  });
});
