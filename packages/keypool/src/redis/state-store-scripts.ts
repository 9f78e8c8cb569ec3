import { luaScript } from '@forge1/core/redis';

// Layout under the prefix P (see the README's Redis section):
//   P:b:<bucket>:t  ZSET  grant entries (member: lease id or phantom id, score: grant time)
//   P:b:<bucket>:a  HASH  '<class>|<amount>' of each entry
//   P:b:<bucket>:p  HASH  sum per priority class
//   P:b:<bucket>:s  STRING running sum of the amounts in the window
//   P:k:<key>       HASH  d = disabled (0/1), c = cooldown deadline
//   P:k:<key>:l     ZSET  leases in flight (member: owner/lease, score: expiry)
//   P:k:<key>:w     ZSET  waiting tickets of other processes (member: owner/lease, score: class); :x their expiry
//   P:l:<lease>     HASH  k = key id, t = tokens reserved, e = expiry, m = in-flight member, b = bucket specs (JSON)
// Every key gets a PEXPIRE, so that the state of a dead process disappears on its own.
// ARGV[1] is the prefix, ARGV[2] the caller's clock or '' for Redis TIME; the rest is per script.
const prelude = `
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local SLACK = 1e-9
local GRACE = 60000
local function fmt(x) return string.format('%.17g', x) end
local function chunks(list, fn)
  for i = 1, #list, 500 do fn(unpack(list, i, math.min(i + 499, #list))) end
end
local buckets = {}
local function entryOf(value)
  if not value then return 0, 0 end
  local bar = string.find(value, '|', 1, true)
  return tonumber(string.sub(value, 1, bar - 1)), tonumber(string.sub(value, bar + 1))
end
local function saveBucket(id, state, windowMs)
  local base = prefix .. ':b:' .. id
  if redis.call('ZCARD', base .. ':t') == 0 then
    state.sum = 0
    state.classes = {}
    redis.call('DEL', base .. ':s', base .. ':a', base .. ':t', base .. ':p')
    return
  end
  local ttl = windowMs + GRACE
  redis.call('SET', base .. ':s', fmt(state.sum), 'PX', ttl)
  local fields = {}
  for class, amount in pairs(state.classes) do
    fields[#fields + 1] = class
    fields[#fields + 1] = fmt(amount)
  end
  if #fields > 0 then redis.call('HSET', base .. ':p', unpack(fields)) end
  for _, suffix in ipairs({':t', ':a', ':p'}) do redis.call('PEXPIRE', base .. suffix, ttl) end
end
-- The bucket's sum and per-class sums after dropping the entries that left the window.
local function bucketOf(id, windowMs)
  local cached = buckets[id]
  if cached then return cached end
  local base = prefix .. ':b:' .. id
  local state = { sum = tonumber(redis.call('GET', base .. ':s') or '0') or 0, classes = {} }
  local stored = redis.call('HGETALL', base .. ':p')
  for i = 1, #stored, 2 do state.classes[tonumber(stored[i])] = tonumber(stored[i + 1]) end
  local horizon = now - windowMs
  local old = redis.call('ZRANGEBYSCORE', base .. ':t', '-inf', horizon)
  if #old > 0 then
    chunks(old, function(...)
      local values = redis.call('HMGET', base .. ':a', ...)
      for i = 1, #values do
        local class, amount = entryOf(values[i])
        state.sum = state.sum - amount
        state.classes[class] = (state.classes[class] or 0) - amount
      end
      redis.call('HDEL', base .. ':a', ...)
    end)
    redis.call('ZREMRANGEBYSCORE', base .. ':t', '-inf', horizon)
    saveBucket(id, state, windowMs)
  end
  buckets[id] = state
  return state
end
-- Units to keep free for the other classes: what they have not used of their reserves.
local function heldFor(classes, reserves, limit, class)
  local held = 0
  for c = 0, #reserves - 1 do
    if c ~= class then held = held + math.max(0, reserves[c + 1] * limit - (classes[c] or 0)) end
  end
  return held
end
local function pushEntry(id, windowMs, member, amount, class)
  local state = bucketOf(id, windowMs)
  state.sum = state.sum + amount
  state.classes[class] = (state.classes[class] or 0) + amount
  local base = prefix .. ':b:' .. id
  redis.call('ZADD', base .. ':t', now, member)
  redis.call('HSET', base .. ':a', member, class .. '|' .. fmt(amount))
  saveBucket(id, state, windowMs)
end
local function sweepLeases(keyId)
  local leases = prefix .. ':k:' .. keyId .. ':l'
  local gone = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  if #gone > 0 then
    for i = 1, #gone do
      local slash = string.find(gone[i], '/', 1, true)
      redis.call('DEL', prefix .. ':l:' .. string.sub(gone[i], slash + 1))
    end
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  end
  return leases
end
`;

/**
 * take: ARGV[3] candidates JSON [[keyId, maxConcurrent, rank, shared, weight, [[bucketId, tokens?1:0, limit, windowMs], …]], …],
 * ARGV[4] tokens, ARGV[5] priority class, ARGV[6] reserves JSON, ARGV[7] lease id, ARGV[8] lease TTL,
 * ARGV[9] owner id, ARGV[10] ticket TTL (0: no tickets).
 * Returns {1, keyId, at} or {0, at, retryAfterMs (-1: never), waitsOnRelease, otherProcessMayFree}.
 */
export const takeScript = luaScript(`${prelude}
local candidates = cjson.decode(ARGV[3])
local tokens = tonumber(ARGV[4])
local class = tonumber(ARGV[5])
local reserves = cjson.decode(ARGV[6])
local leaseId = ARGV[7]
local leaseTtl = tonumber(ARGV[8])
local owner = ARGV[9]
local ticketTtl = tonumber(ARGV[10])
local ownTag = owner .. '/'
local ticket = ownTag .. leaseId
local INF = math.huge

-- A key is held when another process has a waiting ticket of a higher class (lower number) on it.
local function ticketHeld(keyId)
  if ticketTtl <= 0 then return false end
  local tickets = prefix .. ':k:' .. keyId .. ':w'
  local expiry = prefix .. ':k:' .. keyId .. ':x'
  local stale = redis.call('ZRANGEBYSCORE', expiry, '-inf', now)
  if #stale > 0 then
    chunks(stale, function(...) redis.call('ZREM', tickets, ...) end)
    redis.call('ZREMRANGEBYSCORE', expiry, '-inf', now)
  end
  local top = redis.call('ZRANGEBYSCORE', tickets, '-inf', '(' .. class)
  for i = 1, #top do
    if string.sub(top[i], 1, #ownTag) ~= ownTag then return true end
  end
  return false
end

local best, bestRank, bestScore = nil, INF, -INF
local states = {}
for index = 1, #candidates do
  local c = candidates[index]
  local keyId, maxConcurrent, rank, shared, weight, specs = c[1], c[2], c[3], c[4], c[5], c[6]
  local leases = sweepLeases(keyId)
  local flags = redis.call('HMGET', prefix .. ':k:' .. keyId, 'd', 'c')
  local state = {
    disabled = flags[1] == '1',
    cooldown = tonumber(flags[2]) or 0,
    inFlight = redis.call('ZCARD', leases),
    held = ticketHeld(keyId),
  }
  states[index] = state
  if rank <= bestRank and not state.disabled and state.cooldown <= now and not state.held
    and not (maxConcurrent > 0 and state.inFlight >= maxConcurrent) then
    local holds = shared == 1 and #reserves > 0
    local headroom, fits = 1, true
    for b = 1, #specs do
      local spec = specs[b]
      local bucket = bucketOf(spec[1], spec[4])
      local cost = 1
      if spec[2] == 1 then cost = tokens end
      local held = 0
      if holds then held = heldFor(bucket.classes, reserves, spec[3], class) end
      if bucket.sum + cost > spec[3] - held + SLACK then
        fits = false
        break
      end
      local free = (spec[3] - bucket.sum) / spec[3]
      if free < headroom then headroom = free end
    end
    if fits then
      local score = headroom * weight
      if rank < bestRank or score > bestScore then
        best, bestRank, bestScore = index, rank, score
      end
    end
  end
end

if best then
  local c = candidates[best]
  local keyId = c[1]
  for b = 1, #c[6] do
    local spec = c[6][b]
    local cost = 1
    if spec[2] == 1 then cost = tokens end
    pushEntry(spec[1], spec[4], leaseId, cost, class)
  end
  local expiresAt = now + leaseTtl
  local leases = prefix .. ':k:' .. keyId .. ':l'
  redis.call('ZADD', leases, expiresAt, ticket)
  redis.call('PEXPIRE', leases, leaseTtl + GRACE)
  local lease = prefix .. ':l:' .. leaseId
  redis.call('HSET', lease, 'k', keyId, 't', fmt(tokens), 'e', expiresAt, 'm', ticket, 'b', cjson.encode(c[6]))
  redis.call('PEXPIRE', lease, leaseTtl + GRACE)
  if ticketTtl > 0 then
    for index = 1, #candidates do
      local id = candidates[index][1]
      redis.call('ZREM', prefix .. ':k:' .. id .. ':w', ticket)
      redis.call('ZREM', prefix .. ':k:' .. id .. ':x', ticket)
    end
  end
  return {1, keyId, now}
end

-- Milliseconds until cost fits under the limit and the other classes' unused reserves.
local function waitForRoom(id, bucket, cost, limit, own, windowMs)
  local sum, classes = bucket.sum, {}
  for c, amount in pairs(bucket.classes) do classes[c] = amount end
  local function fits() return sum + cost <= limit - heldFor(classes, own, limit, class) + SLACK end
  if fits() then return 0 end
  local base = prefix .. ':b:' .. id
  local entries = redis.call('ZRANGE', base .. ':t', 0, -1, 'WITHSCORES')
  for i = 1, #entries, 2 do
    local entryClass, amount = entryOf(redis.call('HGET', base .. ':a', entries[i]))
    sum = sum - amount
    classes[entryClass] = (classes[entryClass] or 0) - amount
    if fits() then return math.max(0, tonumber(entries[i + 1]) + windowMs - now) end
  end
  return INF
end

local retryAfter, waitsOnRelease, foreign = INF, 0, 0
for index = 1, #candidates do
  local c = candidates[index]
  local keyId, maxConcurrent, shared, specs = c[1], c[2], c[4], c[6]
  local state = states[index]
  local wait = INF
  if not state.disabled then
    wait = math.max(0, state.cooldown - now)
    local leases = prefix .. ':k:' .. keyId .. ':l'
    if state.inFlight > 0 and foreign == 0 then
      local members = redis.call('ZRANGE', leases, 0, -1)
      for i = 1, #members do
        if string.sub(members[i], 1, #ownTag) ~= ownTag then
          foreign = 1
          break
        end
      end
    end
    if maxConcurrent > 0 and state.inFlight >= maxConcurrent then
      waitsOnRelease = 1
      local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
      wait = math.max(wait, tonumber(first[2]) - now)
    end
    if state.held then
      waitsOnRelease = 1
      foreign = 1
    end
    for b = 1, #specs do
      local spec = specs[b]
      local cost = 1
      if spec[2] == 1 then cost = tokens end
      if cost > spec[3] + SLACK then
        wait = INF
        break
      end
      local own = {}
      if shared == 1 then own = reserves end
      local room = waitForRoom(spec[1], bucketOf(spec[1], spec[4]), cost, spec[3], own, spec[4])
      if room > wait then wait = room end
    end
  end
  if wait < retryAfter then retryAfter = wait end
end

if ticketTtl > 0 and retryAfter < INF then
  local expiresAt = now + retryAfter + ticketTtl
  for index = 1, #candidates do
    local id = candidates[index][1]
    redis.call('ZADD', prefix .. ':k:' .. id .. ':w', class, ticket)
    redis.call('ZADD', prefix .. ':k:' .. id .. ':x', expiresAt, ticket)
    redis.call('PEXPIRE', prefix .. ':k:' .. id .. ':w', expiresAt - now + GRACE)
    redis.call('PEXPIRE', prefix .. ':k:' .. id .. ':x', expiresAt - now + GRACE)
  end
end

if retryAfter == INF then return {0, now, -1, waitsOnRelease, foreign} end
return {0, now, math.ceil(retryAfter), waitsOnRelease, foreign}
`);

/**
 * settle: ARGV[3] lease id, ARGV[4] actual tokens ('' to keep the estimate),
 * ARGV[5] remaining requests (''), ARGV[6] remaining tokens (''). Returns 1, or 0 for an unknown lease.
 */
export const settleScript = luaScript(`${prelude}
local leaseId = ARGV[3]
local tokens = tonumber(ARGV[4])
local remainingRequests = tonumber(ARGV[5])
local remainingTokens = tonumber(ARGV[6])
local lease = prefix .. ':l:' .. leaseId
local record = redis.call('HMGET', lease, 'k', 't', 'e', 'm', 'b')
if not record[1] then return 0 end
local keyId = record[1]
redis.call('DEL', lease)
redis.call('ZREM', prefix .. ':k:' .. keyId .. ':l', record[4])
if tonumber(record[3]) <= now then return 0 end
local delta = 0
if tokens then delta = tokens - tonumber(record[2]) end
local specs = cjson.decode(record[5])
for b = 1, #specs do
  local spec = specs[b]
  local id, isTokens, limit, windowMs = spec[1], spec[2] == 1, spec[3], spec[4]
  local base = prefix .. ':b:' .. id
  local bucket = bucketOf(id, windowMs)
  if delta ~= 0 and isTokens then
    local entryClass, current = entryOf(redis.call('HGET', base .. ':a', leaseId))
    if redis.call('HEXISTS', base .. ':a', leaseId) == 1 then
      local next = math.max(0, current + delta)
      redis.call('HSET', base .. ':a', leaseId, entryClass .. '|' .. fmt(next))
      bucket.sum = bucket.sum + next - current
      bucket.classes[entryClass] = (bucket.classes[entryClass] or 0) + next - current
      saveBucket(id, bucket, windowMs)
    end
  end
  local remaining = remainingRequests
  if isTokens then remaining = remainingTokens end
  if remaining and windowMs <= 60000 then
    local phantom = limit - bucket.sum - remaining
    if phantom > 0 then pushEntry(id, windowMs, 'p:' .. leaseId .. ':' .. b, phantom, 0) end
  end
end
redis.call('PUBLISH', prefix .. ':released', keyId)
return 1
`);

/** coolDown: ARGV[3] key id, ARGV[4] milliseconds, ARGV[5] state TTL. Returns the deadline in force. */
export const coolDownScript = luaScript(`${prelude}
local key = prefix .. ':k:' .. ARGV[3]
local current = tonumber(redis.call('HGET', key, 'c')) or 0
local deadline = math.max(current, now + math.max(0, tonumber(ARGV[4])))
redis.call('HSET', key, 'c', deadline)
redis.call('PEXPIRE', key, math.max(tonumber(ARGV[5]), deadline - now + GRACE))
return deadline
`);

/** setDisabled: ARGV[3] key id, ARGV[4] '1' or '0', ARGV[5] state TTL. */
export const setDisabledScript = luaScript(`${prelude}
local key = prefix .. ':k:' .. ARGV[3]
redis.call('HSET', key, 'd', ARGV[4])
local cooldown = tonumber(redis.call('HGET', key, 'c')) or 0
redis.call('PEXPIRE', key, math.max(tonumber(ARGV[5]), cooldown - now + GRACE))
if ARGV[4] == '0' then redis.call('PUBLISH', prefix .. ':released', ARGV[3]) end
return 1
`);

/** keyState: ARGV[3] key id. Returns {disabled, cooldownUntil (0 when not cooling), inFlight}. */
export const keyStateScript = luaScript(`${prelude}
local leases = sweepLeases(ARGV[3])
local flags = redis.call('HMGET', prefix .. ':k:' .. ARGV[3], 'd', 'c')
local cooldown = tonumber(flags[2]) or 0
if cooldown <= now then cooldown = 0 end
local disabled = 0
if flags[1] == '1' then disabled = 1 end
return {disabled, cooldown, redis.call('ZCARD', leases)}
`);

/** used: ARGV[3] bucket id, ARGV[4] window. Returns the sum as a string (it may be fractional). */
export const usedScript = luaScript(`${prelude}
return fmt(bucketOf(ARGV[3], tonumber(ARGV[4])).sum)
`);
