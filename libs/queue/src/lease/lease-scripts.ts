/**
 * The leader lease's Lua scripts. The lease key holds `<replicaId>:<token>` with a PX expiry; the
 * fence key is a counter that never expires, so tokens strictly increase across replicas forever.
 */
import { LuaScript } from '../redis/lua-script';

export const acquireScript = new LuaScript(
  'lease-acquire',
  `--[[ lease-acquire: take the lease if it is free, with a new fencing token.
  KEYS[1] lease key   KEYS[2] fence counter key
  ARGV[1] replica id  ARGV[2] ttl (ms)
  ARGV[3] token floor: an integer string, the highest token known outside Redis (0 if none)
  Reads:   KEYS[1] (exists?), KEYS[2]
  Writes:  KEYS[2] := max(KEYS[2], ARGV[3]) + 1 (no expiry); KEYS[1] := "<ARGV[1]>:<token>" PX ARGV[2]
  Returns: the new token (integer), or nil (false) when KEYS[1] is held; nothing written then.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return false
end
local floor = tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if floor > current then
  redis.call('SET', KEYS[2], ARGV[3])
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
return token
`,
);

export const renewScript = new LuaScript(
  'lease-renew',
  `--[[ lease-renew: extend the lease if it is still ours.
  KEYS[1] lease key
  ARGV[1] expected value "<replicaId>:<token>"  ARGV[2] ttl (ms)
  Reads:   KEYS[1]
  Writes:  PEXPIRE KEYS[1] ARGV[2], only when KEYS[1] == ARGV[1]
  Returns: 1 when extended, 0 when the lease is gone or held by another token.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`,
);

export const releaseScript = new LuaScript(
  'lease-release',
  `--[[ lease-release: give the lease up if it is still ours.
  KEYS[1] lease key
  ARGV[1] expected value "<replicaId>:<token>"
  Reads:   KEYS[1]
  Writes:  DEL KEYS[1], only when KEYS[1] == ARGV[1]
  Returns: 1 when released, 0 when it was not ours (expired or taken over).
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`,
);
