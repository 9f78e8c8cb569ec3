import { luaScript } from '@forge1/core/redis';
import { prelude } from './script-prelude.js';

export { takeScript } from './take-script.js';

/**
 * settle: ARGV[3] lease id, ARGV[4] key id, ARGV[5] grant time, ARGV[6] expiry, ARGV[7] class,
 * ARGV[8] tokens reserved, ARGV[9] bucket specs JSON, ARGV[10] in-flight member ('' when the key
 * has no concurrency limit), ARGV[11] actual tokens ('' to keep the estimate), ARGV[12] remaining
 * requests (''), ARGV[13] remaining tokens (''), ARGV[14] '1' to publish the release always, '0'
 * only when a process waits on the key. Returns 1, or 0 for a lease already expired.
 */
export const settleScript = luaScript(`${prelude}
local leaseId, keyId = ARGV[3], ARGV[4]
local grantedAt, expiresAt, class, reserved = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local member = ARGV[10]
local tokens = tonumber(ARGV[11])
local remainingRequests = tonumber(ARGV[12])
local remainingTokens = tonumber(ARGV[13])
if member ~= '' and redis.call('ZREM', prefix .. ':k:' .. keyId .. ':l', member) == 0 then return 0 end
if expiresAt <= now then return 0 end
local specs = cjson.decode(ARGV[9])
-- Only the buckets that change are read, in one MGET.
local needed = {}
for b = 1, #specs do
  local spec = specs[b]
  local isTokens = spec[2] == 1
  local remaining = remainingRequests
  if isTokens then remaining = remainingTokens end
  spec.resize = tokens and isTokens and tokens ~= reserved
  if remaining and spec[4] <= 60000 then spec.remaining = remaining end
  if spec.resize or spec.remaining then needed[#needed + 1] = spec end
end
if #needed > 1 then preload(needed) end
for b = 1, #specs do
  local spec = specs[b]
  local id, limit, windowMs = spec[1], spec[3], spec[4]
  if spec.resize then resizeEntry(id, windowMs, leaseId, class, reserved, math.max(0, tokens), grantedAt) end
  if spec.remaining then
    local phantom = limit - bucketOf(id, windowMs).sum - spec.remaining
    if phantom > 0 then pushEntry(id, windowMs, 'p:' .. leaseId .. ':' .. b, phantom, 0, now) end
  end
end
commit()
if ARGV[14] == '1' or redis.call('EXISTS', prefix .. ':k:' .. keyId .. ':w') == 1 then
  redis.call('PUBLISH', prefix .. ':released', keyId)
end
return 1
`);

/** coolDown: ARGV[3] key id, ARGV[4] milliseconds, ARGV[5] state TTL. Returns the deadline in force. */
export const coolDownScript = luaScript(`${prelude}
local key = prefix .. ':k:' .. ARGV[3] .. ':f'
local disabled, current = flagsOf(redis.call('GET', key))
local deadline = math.max(current, now + math.max(0, tonumber(ARGV[4])))
local d = '0'
if disabled then d = '1' end
redis.call('SET', key, d .. ' ' .. fmt(deadline), 'PX', math.ceil(math.max(tonumber(ARGV[5]), deadline - now + GRACE)))
return deadline
`);

/** setDisabled: ARGV[3] key id, ARGV[4] '1' or '0', ARGV[5] state TTL. */
export const setDisabledScript = luaScript(`${prelude}
local key = prefix .. ':k:' .. ARGV[3] .. ':f'
local _, cooldown = flagsOf(redis.call('GET', key))
redis.call('SET', key, ARGV[4] .. ' ' .. fmt(cooldown), 'PX', math.ceil(math.max(tonumber(ARGV[5]), cooldown - now + GRACE)))
if ARGV[4] == '0' then redis.call('PUBLISH', prefix .. ':released', ARGV[3]) end
return 1
`);

/**
 * keyState: ARGV[3] key id. Returns {disabled, cooldownUntil (0 when not cooling), inFlight}; the
 * in-flight count covers the leases of every process on keys with a concurrency limit only.
 */
export const keyStateScript = luaScript(`${prelude}
local leases = sweepLeases(ARGV[3])
local off, cooldown = flagsOf(redis.call('GET', prefix .. ':k:' .. ARGV[3] .. ':f'))
if cooldown <= now then cooldown = 0 end
local disabled = 0
if off then disabled = 1 end
return {disabled, cooldown, redis.call('ZCARD', leases)}
`);

/** used: ARGV[3] bucket id, ARGV[4] window. Returns the sum as a string (it may be fractional). */
export const usedScript = luaScript(`${prelude}
local sum = bucketOf(ARGV[3], tonumber(ARGV[4])).sum
commit()
return fmt(sum)
`);

/** giveBack: ARGV[3] slice returns JSON (see the prelude's returnSlices). Returns 1. */
export const giveBackScript = luaScript(`${prelude}
returnSlices(ARGV[3])
commit()
return 1
`);
