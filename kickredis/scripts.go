package kickredis

import "github.com/redis/go-redis/v9"

// The Lua scripts of the stores. Each runs atomically on the server in one round trip (EVALSHA;
// EVAL once more the first time a server sees it). The keys of one script share a hash slot.

// releaseClaim drops an in-flight claim and leaves a completed id alone.
//
//	KEYS[1] the message id's key
var releaseClaim = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'c:' then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// renewClaim extends an in-flight claim: 1 if it did, 0 if the key is gone (the claim expired),
// 2 if the id was completed (nothing to renew).
//
//	KEYS[1] the message id's key; ARGV[1] the TTL in ms
var renewClaim = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then
  return 0
end
if string.sub(v, 1, 2) == 'c:' then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 2
`)

// deleteIfValue deletes a key that still holds a value: an abandoned claim, a released lock.
//
//	KEYS[1] the key; ARGV[1] the value
var deleteIfValue = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// acquireLock takes a token key's lock if it is free, with a new fence: one more than every fence
// granted or saved before (the counter "issued" lives in the token's hash). It returns the fence,
// or, when another owner holds the lock, minus the milliseconds its lease has left. Called again
// by the same owner (a retry after a lost answer), it returns that owner's fence.
//
//	KEYS[1] the lock, KEYS[2] the token hash
//	ARGV[1] the owner, ARGV[2] the lease in ms, ARGV[3] the token TTL in ms for a new hash
var acquireLock = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then
  local f, owner = string.match(v, '^(%d+):(.+)$')
  if owner == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(f)
  end
  return -math.max(redis.call('PTTL', KEYS[1]), 1)
end
local f = redis.call('HINCRBY', KEYS[2], 'issued', 1)
local saved = tonumber(redis.call('HGET', KEYS[2], 'fence') or '0')
if f <= saved then
  f = saved + 1
  redis.call('HSET', KEYS[2], 'issued', f)
end
if redis.call('PTTL', KEYS[2]) < 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
redis.call('SET', KEYS[1], f .. ':' .. ARGV[1], 'PX', ARGV[2])
return f
`)

// renewLock extends a lock its owner still holds; 0 means it is lost.
//
//	KEYS[1] the lock; ARGV[1] its value, ARGV[2] the lease in ms
var renewLock = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// saveToken stores a token as a new authorization: under a new fence, newer than every lease
// granted so far.
//
//	KEYS[1] the token hash
//	ARGV[1] its TTL in ms, ARGV[2...] the token's fields and values
var saveToken = redis.NewScript(`
local f = redis.call('HINCRBY', KEYS[1], 'issued', 1)
redis.call('HSET', KEYS[1], 'fence', f, unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return f
`)

// saveTokenFenced stores a token on behalf of the lease with a fence, unless the stored token was
// saved under a greater one; it returns 1 if it saved, 0 if not.
//
//	KEYS[1] the token hash
//	ARGV[1] its TTL in ms, ARGV[2] the fence, ARGV[3...] the token's fields and values
var saveTokenFenced = redis.NewScript(`
local fence = tonumber(ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], 'fence') or '0') > fence then
  return 0
end
if tonumber(redis.call('HGET', KEYS[1], 'issued') or '0') < fence then
  redis.call('HSET', KEYS[1], 'issued', ARGV[2])
end
redis.call('HSET', KEYS[1], 'fence', ARGV[2], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`)

// compareAndSwap sets a key to a value with a TTL, or deletes it for an empty value, if it holds
// an expected value (empty: absent); 1 if it did, 0 if not.
//
//	KEYS[1] the key; ARGV[1] the expected value, ARGV[2] the new one, ARGV[3] the TTL in ms
var compareAndSwap = redis.NewScript(`
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`)
