import { luaScript } from '@forge1/core/redis';
import { prelude } from './script-prelude.js';

/**
 * take: ARGV[3] candidates JSON [[keyId, maxConcurrent, rank, shared, weight, [[bucketId, tokens?1:0, limit, windowMs], …]], …],
 * ARGV[4] tokens, ARGV[5] priority class, ARGV[6] reserves JSON, ARGV[7] lease id, ARGV[8] lease TTL,
 * ARGV[9] owner id, ARGV[10] ticket TTL (0: no tickets), ARGV[11] '1' when this lease left tickets to clear,
 * ARGV[12] slice wanted JSON [sliceId, requests, lifetimeMs, share] or '', ARGV[13] slice returns JSON or ''.
 * Returns {1, keyId, at, sliceRequests} or {0, at, retryAfterMs (-1: never), waitsOnRelease, otherProcessMayFree, ticketsLeft}.
 *
 * A slice is granted with the lease, on a key without a concurrency limit and that no process
 * waits for, of at most the requests wanted (and as many times the request's tokens) such that
 * every bucket stays within share × (limit - other classes' unused reserves). Its entries count
 * from the slice's end (now + lifetime), the latest moment the process may lend from it, so the
 * window covers every call the slice serves; a return shrinks them to what was lent.
 */
export const takeScript = luaScript(`${prelude}
local candidates = cjson.decode(ARGV[3])
local tokens = tonumber(ARGV[4])
local class = tonumber(ARGV[5])
local reserves = {}
if ARGV[6] ~= '[]' then reserves = cjson.decode(ARGV[6]) end
local leaseId = ARGV[7]
local leaseTtl = tonumber(ARGV[8])
local owner = ARGV[9]
local ticketTtl = tonumber(ARGV[10])
local clearTickets = ARGV[11] == '1'
local ownTag = owner .. '/'
local ticket = ownTag .. leaseId
returnSlices(ARGV[13])

-- A key is held when another process has a live waiting ticket of a higher class (lower number)
-- on it; 'latest' is the latest expiry of a ticket left on it.
local function ticketHeld(keyId, latest)
  if ticketTtl <= 0 or latest <= now then return false end
  local tickets = prefix .. ':k:' .. keyId .. ':w'
  local top = redis.call('ZRANGEBYSCORE', tickets, '-inf', '(' .. class)
  if #top == 0 then return false end
  local expiry = prefix .. ':k:' .. keyId .. ':x'
  local stale = redis.call('ZRANGEBYSCORE', expiry, '-inf', now)
  if #stale > 0 then
    chunks(stale, function(...) redis.call('ZREM', tickets, ...) end)
    redis.call('ZREMRANGEBYSCORE', expiry, '-inf', now)
    top = redis.call('ZRANGEBYSCORE', tickets, '-inf', '(' .. class)
  end
  for i = 1, #top do
    if string.sub(top[i], 1, #ownTag) ~= ownTag then return true end
  end
  return false
end

-- One read for every candidate's flags, tickets and bucket summaries.
local names, all = {}, {}
for index = 1, #candidates do
  local c = candidates[index]
  local key = prefix .. ':k:' .. c[1]
  names[2 * index - 1] = key .. ':f'
  names[2 * index] = key .. ':t'
  local specs = c[6]
  for b = 1, #specs do all[#all + 1] = specs[b] end
end
local flags = preload(all, names)

local best, bestRank, bestScore = nil, INF, -INF
local states = {}
for index = 1, #candidates do
  local c = candidates[index]
  local keyId, maxConcurrent, rank, shared, weight, specs = c[1], c[2], c[3], c[4], c[5], c[6]
  local disabled, cooldown = flagsOf(flags[2 * index - 1])
  local inFlight = 0
  if maxConcurrent > 0 then inFlight = redis.call('ZCARD', sweepLeases(keyId)) end
  local state = { disabled = disabled, cooldown = cooldown, inFlight = inFlight, ticketsUntil = tonumber(flags[2 * index]) or 0 }
  states[index] = state
  if rank <= bestRank and not state.disabled and state.cooldown <= now
    and not (maxConcurrent > 0 and inFlight >= maxConcurrent) then
    state.held = ticketHeld(keyId, state.ticketsUntil)
    if not state.held then
      local holds = shared == 1 and #reserves > 0
      local headroom, fits = 1, true
      for b = 1, #specs do
        local spec = specs[b]
        local bucket = bucketOf(spec[1], spec[4])
        local cost = 1
        if spec[2] == 1 then cost = tokens end
        local held = 0
        if holds then held = heldFor(classesOf(bucket), reserves, spec[3], class) end
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
end

if best then
  local c = candidates[best]
  local keyId = c[1]
  for b = 1, #c[6] do
    local spec = c[6][b]
    local cost = 1
    if spec[2] == 1 then cost = tokens end
    pushEntry(spec[1], spec[4], leaseId, cost, class, now)
  end
  if c[2] > 0 then
    local leases = prefix .. ':k:' .. keyId .. ':l'
    redis.call('ZADD', leases, now + leaseTtl, ticket)
    redis.call('PEXPIRE', leases, leaseTtl + GRACE)
  end
  if clearTickets then
    for index = 1, #candidates do
      local id = candidates[index][1]
      redis.call('ZREM', prefix .. ':k:' .. id .. ':w', ticket)
      redis.call('ZREM', prefix .. ':k:' .. id .. ':x', ticket)
    end
  end
  local sliced = 0
  if ARGV[12] ~= '' and c[2] == 0 and redis.call('EXISTS', prefix .. ':k:' .. keyId .. ':w') == 0 then
    local ask = cjson.decode(ARGV[12])
    sliced = ask[2]
    local holds = c[4] == 1 and #reserves > 0
    for b = 1, #c[6] do
      local spec = c[6][b]
      local per = 1
      if spec[2] == 1 then per = tokens end
      if per > 0 then
        local bucket = bucketOf(spec[1], spec[4])
        local held = 0
        if holds then held = heldFor(classesOf(bucket), reserves, spec[3], class) end
        local room = math.floor((ask[4] * (spec[3] - held) - bucket.sum) / per + SLACK)
        if room < sliced then sliced = room end
      end
    end
    if sliced >= 2 then
      for b = 1, #c[6] do
        local spec = c[6][b]
        local per = 1
        if spec[2] == 1 then per = tokens end
        if sliced * per > 0 then pushEntry(spec[1], spec[4], 's:' .. ask[1], sliced * per, class, now + ask[3]) end
      end
    else
      sliced = 0
    end
  end
  commit()
  return {1, keyId, now, sliced}
end

-- Milliseconds until cost fits under the limit and the other classes' unused reserves.
local function waitForRoom(bucket, cost, limit, own, windowMs)
  local sum, classes = bucket.sum, {}
  for c, amount in pairs(classesOf(bucket)) do classes[c] = amount end
  local function fits() return sum + cost <= limit - heldFor(classes, own, limit, class) + SLACK end
  if fits() then return 0 end
  local from = 0
  while true do
    local entries = redis.call('ZRANGE', bucket.base .. ':z', from, from + 255, 'WITHSCORES')
    if #entries == 0 then return INF end
    for i = 1, #entries, 2 do
      local entryClass, amount = entryOf(entries[i])
      sum = sum - amount
      classes[entryClass] = (classes[entryClass] or 0) - amount
      if fits() then return math.max(0, tonumber(entries[i + 1]) + windowMs - now) end
    end
    from = from + 256
  end
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
    if state.held == nil then state.held = ticketHeld(keyId, state.ticketsUntil) end
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
      local room = waitForRoom(bucketOf(spec[1], spec[4]), cost, spec[3], own, spec[4])
      if room > wait then wait = room end
    end
  end
  if wait < retryAfter then retryAfter = wait end
end

local ticketsLeft = 0
if ticketTtl > 0 and retryAfter < INF then
  ticketsLeft = 1
  local expiresAt = now + retryAfter + ticketTtl
  for index = 1, #candidates do
    local id = candidates[index][1]
    redis.call('ZADD', prefix .. ':k:' .. id .. ':w', class, ticket)
    redis.call('ZADD', prefix .. ':k:' .. id .. ':x', expiresAt, ticket)
    local ttl = math.ceil(expiresAt - now + GRACE)
    redis.call('PEXPIRE', prefix .. ':k:' .. id .. ':w', ttl)
    redis.call('PEXPIRE', prefix .. ':k:' .. id .. ':x', ttl)
    local latest = math.max(states[index].ticketsUntil, expiresAt)
    redis.call('SET', prefix .. ':k:' .. id .. ':t', fmt(latest), 'PX', math.ceil(latest - now + GRACE))
  end
end
commit()

if retryAfter == INF then return {0, now, -1, waitsOnRelease, foreign, ticketsLeft} end
return {0, now, math.ceil(retryAfter), waitsOnRelease, foreign, ticketsLeft}
`);
