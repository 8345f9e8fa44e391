import { channelOptions } from './client';

describe('channelOptions', () => {
  it('keeps grpc-js reconnect backoff when no cap is given', () => {
    const options = channelOptions(1024);
    expect(options['grpc.max_receive_message_length']).toBe(1024);
    expect(options['grpc.max_reconnect_backoff_ms']).toBeUndefined();
  });

  it('caps the wait between reconnection attempts, starting no later than the cap', () => {
    expect(channelOptions(1024, { reconnectMaxMs: 500 })).toMatchObject({
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 500,
    });
    expect(channelOptions(1024, { reconnectMaxMs: 5000 })).toMatchObject({
      'grpc.initial_reconnect_backoff_ms': 1000,
      'grpc.max_reconnect_backoff_ms': 5000,
    });
  });
});
