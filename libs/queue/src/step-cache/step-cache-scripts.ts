/**
 * The step cache's Lua scripts (ADR 9). Per call hash two keys share a `{hash}` hash tag (one
 * Redis Cluster slot): the value key (the call's JSON value, with the cache TTL) and the claim
 * key (the token of whoever computes it, with a short TTL renewed while it works).
 */
import { LuaScript } from '../redis/lua-script';

export const claimScript = new LuaScript(
  'step-claim',
  `--[[ step-claim: the cached value, or the claim to compute it, or "wait".
  KEYS[1] value key   KEYS[2] claim key
  ARGV[1] claim token  ARGV[2] claim ttl (ms)
  Reads:   KEYS[1], KEYS[2]
  Writes:  KEYS[2] := ARGV[1] PX ARGV[2], only when neither key exists
  Returns: {"value", <json>} | {"claim", ""} | {"wait", <ms the claim has left>}
]]
local value = redis.call('GET', KEYS[1])
if value then
  return {'value', value}
end
local left = redis.call('PTTL', KEYS[2])
if left > 0 then
  return {'wait', tostring(left)}
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {'claim', ''}
`,
);

export const completeScript = new LuaScript(
  'step-complete',
  `--[[ step-complete: store a computed value and release the claim if it is still ours.
  KEYS[1] value key   KEYS[2] claim key
  ARGV[1] claim token  ARGV[2] value (json)  ARGV[3] value ttl (ms)
  Reads:   KEYS[2]
  Writes:  KEYS[1] := ARGV[2] PX ARGV[3] unless a value is already there (identical calls have
           identical values: the first stays); DEL KEYS[2] when it holds ARGV[1]
  Returns: 1 when the value was stored, 0 when one was already there.
]]
local stored = redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX')
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
if stored then
  return 1
end
return 0
`,
);

export const abandonScript = new LuaScript(
  'step-abandon',
  `--[[ step-abandon: give a claim up without a value (the call failed).
  KEYS[1] claim key
  ARGV[1] claim token
  Reads:   KEYS[1]
  Writes:  DEL KEYS[1], only when KEYS[1] == ARGV[1]
  Returns: 1 when released, 0 when it was not ours.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`,
);
