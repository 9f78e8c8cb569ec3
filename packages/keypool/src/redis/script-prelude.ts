// Layout under the prefix P (see the README's Redis section):
//   P:b:<bucket>:z  ZSET    window entries, member '<class>|<amount>|<id>', score: the time the entry
//                           counts from (a grant's time; a slice's end, see take-script.ts)
//   P:b:<bucket>:v  STRING  '<sum> <entries> <oldest> <refreshed>[ <class> <sum of the class>]…':
//                           the sum of the entries in :z, their number, a lower bound of the oldest
//                           score ('-' with no entry) and when the TTLs were last set
//   P:k:<key>:f     STRING  '<disabled 0/1> <cooldown deadline>'
//   P:k:<key>:t     STRING  the latest expiry of a waiting ticket left on the key (absent: none for GRACE)
//   P:k:<key>:l     ZSET    leases in flight on a key with a concurrency limit (member: owner/lease, score: expiry)
//   P:k:<key>:w     ZSET    waiting tickets of other processes (member: owner/lease, score: class); :x their expiry
// Strings so that one MGET reads every candidate's flags and buckets. A bucket's summary holds
// the sum of what its sorted set holds (entries that left the window included until evicted);
// eviction reads the sorted set only when the oldest entry may have left the window, so a call
// on buckets with nothing to evict reads no sorted set. :v and :z get their TTLs together (SET
// … PX and PEXPIRE when refreshed, SET … KEEPTTL otherwise), so that they expire together; the
// entry count tells when :z emptied (Redis deleted it) and needs its TTL again. What a lease
// needs at settle (its key, grant time, buckets) stays in the process that took it and comes
// back as arguments. Every key gets a TTL, so that the state of a dead process disappears.
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
local INF = math.huge
-- Numbers as Redis arguments and in summaries: integers by %d (much cheaper than %.17g).
local function fmt(x)
  if x % 1 == 0 and x > -1e15 and x < 1e15 then return string.format('%d', x) end
  return string.format('%.17g', x)
end
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
-- A bucket's state from its summary (false: none), unevicted.
local function loadBucket(id, windowMs, raw)
  local state = { base = prefix .. ':b:' .. id, windowMs = windowMs, sum = 0, count = 0, oldest = INF, refreshed = 0, rest = '' }
  if raw then
    local sum, count, oldest, refreshed, rest = string.match(raw, '^(%S+) (%S+) (%S+) (%S+)(.*)$')
    state.sum, state.count, state.refreshed, state.rest = tonumber(sum), tonumber(count), tonumber(refreshed), rest
    state.oldest = tonumber(oldest) or INF
  else
    state.fresh = true
  end
  buckets[id] = state
  return state
end
local function changed(state)
  if not state.dirty then
    state.dirty = true
    touched[#touched + 1] = state
  end
end
-- Reads the summaries of the buckets not read yet in one MGET, with the extra keys first;
-- returns the extra keys' values.
local function preload(specs, extra)
  local names, ids = extra or {}, {}
  local first = #names
  for i = 1, #specs do
    local spec = specs[i]
    local id = spec[1]
    if not buckets[id] and not ids[id] then
      ids[id] = spec[4]
      ids[#ids + 1] = id
      names[#names + 1] = prefix .. ':b:' .. id .. ':v'
    end
  end
  if #names == 0 then return {} end
  local values = redis.call('MGET', unpack(names))
  for i = 1, #ids do loadBucket(ids[i], ids[ids[i]], values[first + i]) end
  return values
end
-- Per-class sums, parsed from the summary on first use.
local function classesOf(state)
  local classes = state.classes
  if classes then return classes end
  classes = {}
  for class, amount in string.gmatch(state.rest, ' (%S+) (%S+)') do classes[tonumber(class)] = tonumber(amount) end
  state.classes = classes
  return classes
end
local function addTo(state, class, amount)
  local classes = classesOf(state)
  state.sum = state.sum + amount
  classes[class] = (classes[class] or 0) + amount
  changed(state)
end
-- Drops the entries that left the window; reads the sorted set only when its oldest entry may have.
local function evict(state)
  state.evicted = true
  local horizon = now - state.windowMs
  if state.oldest > horizon then return end
  local entries = state.base .. ':z'
  local first = redis.call('ZRANGE', entries, 0, 15, 'WITHSCORES')
  if #first == 0 then
    -- The sorted set expired with the summary (same TTL): nothing it held was in the window.
    state.sum, state.count, state.oldest, state.classes = 0, 0, INF, {}
    changed(state)
    return
  end
  local old, n = first, 0
  for i = 2, #first, 2 do
    if tonumber(first[i]) > horizon then break end
    n = n + 1
  end
  if n == 16 then
    old = redis.call('ZRANGEBYSCORE', entries, '-inf', horizon)
    n = #old
    for i = 1, n do
      local class, amount = entryOf(old[i])
      addTo(state, class, -amount)
    end
    local next = redis.call('ZRANGE', entries, n, n, 'WITHSCORES')
    state.oldest = tonumber(next[2]) or INF
  else
    for i = 1, n do
      local class, amount = entryOf(old[2 * i - 1])
      addTo(state, class, -amount)
    end
    state.oldest = tonumber(first[2 * n + 2]) or INF
  end
  if n > 0 then
    state.count = state.count - redis.call('ZREMRANGEBYRANK', entries, 0, n - 1)
    if state.count <= 0 then state.count, state.oldest = 0, INF end
  end
  changed(state)
end
-- The bucket's sum and per-class sums after dropping the entries that left the window.
local function bucketOf(id, windowMs)
  local state = buckets[id]
  if not state then
    state = loadBucket(id, windowMs, redis.call('GET', prefix .. ':b:' .. id .. ':v'))
  end
  if not state.evicted then evict(state) end
  return state
end
-- Adds an entry counted from 'at' (now, or later for a slice) until at + window.
local function pushEntry(id, windowMs, entryId, amount, class, at)
  local state = bucketOf(id, windowMs)
  addTo(state, class, amount)
  if state.count == 0 then state.created = true end
  if at > now and at - now > (state.ahead or 0) then state.ahead = at - now end
  if at < state.oldest then state.oldest = at end
  state.count = state.count + redis.call('ZADD', state.base .. ':z', fmt(at), entryName(class, amount, entryId))
end
-- Changes the amount of an entry still in the window; false when it has left it.
local function resizeEntry(id, windowMs, entryId, class, from, to, at)
  local state = bucketOf(id, windowMs)
  local entries = state.base .. ':z'
  if redis.call('ZREM', entries, entryName(class, from, entryId)) == 0 then return false end
  if to > 0 then
    redis.call('ZADD', entries, fmt(at), entryName(class, to, entryId))
  else
    state.count = state.count - 1
    if state.count <= 0 then state.count, state.oldest = 0, INF end
  end
  addTo(state, class, to - from)
  return true
end
-- Writes back every bucket this script changed, one SET each. TTLs are set when a window's
-- worth of entries could outlive them (at most every GRACE / 2), on a new summary and when
-- the sorted set was created again; otherwise the summary keeps its TTL.
local function commit()
  for i = 1, #touched do
    local state = touched[i]
    local ahead = state.ahead or 0
    local refresh = state.fresh or state.created or ahead > 0
      or now - state.refreshed > GRACE / 2 or now < state.refreshed
    local refreshed = state.refreshed
    if refresh then refreshed = now end
    local oldest = '-'
    if state.count > 0 then oldest = fmt(state.oldest) end
    local parts = { fmt(state.sum), fmt(state.count), oldest, fmt(refreshed) }
    for class, amount in pairs(classesOf(state)) do
      if amount ~= 0 then
        parts[#parts + 1] = fmt(class)
        parts[#parts + 1] = fmt(amount)
      end
    end
    local value = table.concat(parts, ' ')
    if refresh then
      local ttl = fmt(math.ceil(state.windowMs + GRACE + ahead))
      redis.call('SET', state.base .. ':v', value, 'PX', ttl)
      if state.count > 0 then redis.call('PEXPIRE', state.base .. ':z', ttl) end
    else
      redis.call('SET', state.base .. ':v', value, 'KEEPTTL')
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
-- A key's flags: disabled (boolean), cooldown deadline (0: none).
local function flagsOf(raw)
  if not raw then return false, 0 end
  local disabled, cooldown = string.match(raw, '^(%S+) (%S+)')
  return disabled == '1', tonumber(cooldown) or 0
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
