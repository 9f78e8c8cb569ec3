// Layout under the prefix P (see the README's Redis section):
//   P:b:<bucket>:e  ZSET  window entries, member '<class>|<amount>|<id>', score: the time the entry
//                         counts from (a grant's time; a slice's end, see take-script.ts)
//   P:b:<bucket>:h  HASH  s = sum of the amounts in the window, <class> = sum per priority class,
//                         x = when the TTLs were last refreshed
//   P:k:<key>       HASH  d = disabled (0/1), c = cooldown deadline
//   P:k:<key>:l     ZSET  leases in flight on a key with a concurrency limit (member: owner/lease, score: expiry)
//   P:k:<key>:w     ZSET  waiting tickets of other processes (member: owner/lease, score: class); :x their expiry
// The amount lives in the member, so evicting an entry is one ZRANGEBYSCORE and one
// ZREMRANGEBYSCORE, and a bucket's figures are written once per script (commit), however many
// entries changed. What a lease needs at settle (its key, grant time, buckets) stays in the
// process that took it and comes back as arguments. Every key gets a PEXPIRE, so that the state
// of a dead process disappears on its own.
// ARGV[1] is the prefix, ARGV[2] the caller's clock or '' for Redis TIME; the rest is per script.
export const prelude = `
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
local function entryOf(member)
  local first = string.find(member, '|', 1, true)
  local second = string.find(member, '|', first + 1, true)
  return tonumber(string.sub(member, 1, first - 1)), tonumber(string.sub(member, first + 1, second - 1))
end
local function entryName(class, amount, id) return class .. '|' .. fmt(amount) .. '|' .. id end
local buckets, touched = {}, {}
-- The bucket's sum and per-class sums after dropping the entries that left the window.
local function bucketOf(id, windowMs)
  local cached = buckets[id]
  if cached then return cached end
  local base = prefix .. ':b:' .. id
  local state = { sum = 0, classes = {}, changed = {}, base = base, windowMs = windowMs, refreshed = 0 }
  local stored = redis.call('HGETALL', base .. ':h')
  for i = 1, #stored, 2 do
    local field, value = stored[i], tonumber(stored[i + 1])
    if field == 's' then state.sum = value
    elseif field == 'x' then state.refreshed = value
    else state.classes[tonumber(field)] = value end
  end
  local horizon = now - windowMs
  local old = redis.call('ZRANGEBYSCORE', base .. ':e', '-inf', horizon)
  if #old > 0 then
    for i = 1, #old do
      local class, amount = entryOf(old[i])
      state.sum = state.sum - amount
      state.classes[class] = (state.classes[class] or 0) - amount
      state.changed[class] = true
    end
    redis.call('ZREMRANGEBYSCORE', base .. ':e', '-inf', horizon)
    state.dirty = true
  end
  buckets[id] = state
  touched[#touched + 1] = state
  return state
end
-- Adds an entry counted from 'at' (now, or later for a slice) until at + window.
local function pushEntry(id, windowMs, entryId, amount, class, at)
  local state = bucketOf(id, windowMs)
  state.sum = state.sum + amount
  state.classes[class] = (state.classes[class] or 0) + amount
  state.changed[class] = true
  state.dirty = true
  state.pushed = true
  if at > now and at - now > (state.ahead or 0) then state.ahead = at - now end
  redis.call('ZADD', state.base .. ':e', at, entryName(class, amount, entryId))
end
-- Changes the amount of an entry still in the window; false when it has left it.
local function resizeEntry(id, windowMs, entryId, class, from, to, at)
  local state = bucketOf(id, windowMs)
  if redis.call('ZREM', state.base .. ':e', entryName(class, from, entryId)) == 0 then return false end
  if to > 0 then redis.call('ZADD', state.base .. ':e', at, entryName(class, to, entryId)) end
  state.sum = state.sum + to - from
  state.classes[class] = (state.classes[class] or 0) + to - from
  state.changed[class] = true
  state.dirty = true
  return true
end
-- Writes back every bucket this script changed; TTLs are refreshed when a window's worth of
-- entries could outlive them (at most every GRACE / 2), so that most calls skip the PEXPIREs.
local function commit()
  for i = 1, #touched do
    local state = touched[i]
    if state.dirty then
      local base = state.base
      if not state.pushed and redis.call('ZCARD', base .. ':e') == 0 then
        redis.call('DEL', base .. ':e', base .. ':h')
      else
        local fields = {'s', fmt(state.sum)}
        for class in pairs(state.changed) do
          fields[#fields + 1] = class
          fields[#fields + 1] = fmt(state.classes[class] or 0)
        end
        local ahead = state.ahead or 0
        local refresh = now - state.refreshed > GRACE / 2 or now < state.refreshed or ahead > 0
        if refresh then
          fields[#fields + 1] = 'x'
          fields[#fields + 1] = now
        end
        redis.call('HSET', base .. ':h', unpack(fields))
        if refresh then
          local ttl = state.windowMs + GRACE + ahead
          redis.call('PEXPIRE', base .. ':e', ttl)
          redis.call('PEXPIRE', base .. ':h', ttl)
        end
      end
    end
  end
end
-- Units to keep free for the other classes: what they have not used of their reserves.
local function heldFor(classes, reserves, limit, class)
  local held = 0
  for c = 0, #reserves - 1 do
    if c ~= class then held = held + math.max(0, reserves[c + 1] * limit - (classes[c] or 0)) end
  end
  return held
end
local function sweepLeases(keyId)
  local leases = prefix .. ':k:' .. keyId .. ':l'
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  return leases
end
-- Slice returns: [[sliceId, keyId, class, score, [[bucketId, windowMs, reserved, used, limit, tokens?1:0], …],
-- remaining requests (-1: unknown), remaining tokens], …]. Each slice's entries shrink to what it lent.
local function returnSlices(json)
  if json == '' then return end
  local list = cjson.decode(json)
  for i = 1, #list do
    local r = list[i]
    local sliceId, keyId, class, score, parts = r[1], r[2], r[3], r[4], r[5]
    for b = 1, #parts do
      local p = parts[b]
      local bucketId, windowMs, reserved, used, limit = p[1], p[2], p[3], p[4], p[5]
      if reserved == 0 then
        if used > 0 then pushEntry(bucketId, windowMs, 's:' .. sliceId, used, class, score) end
      elseif used ~= reserved then
        resizeEntry(bucketId, windowMs, 's:' .. sliceId, class, reserved, math.max(0, used), score)
      end
      local remaining = r[6]
      if p[6] == 1 then remaining = r[7] end
      if remaining >= 0 and windowMs <= 60000 then
        local phantom = limit - bucketOf(bucketId, windowMs).sum - remaining
        if phantom > 0 then pushEntry(bucketId, windowMs, 'p:s:' .. sliceId .. ':' .. b, phantom, 0, now) end
      end
    end
    if redis.call('EXISTS', prefix .. ':k:' .. keyId .. ':w') == 1 then redis.call('PUBLISH', prefix .. ':released', keyId) end
  end
end
`;
