package kickredis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Defaults of a RelayLog.
const (
	// DefaultRelayName names the log of relays that do not say otherwise.
	DefaultRelayName = "default"
	// DefaultRelayMaxLen is how many records the stream keeps, about (XADD MAXLEN ~).
	DefaultRelayMaxLen = 1_000_000
	// DefaultRelayMaxAge is how long it keeps them, about (XTRIM MINID ~).
	DefaultRelayMaxAge = 24 * time.Hour
	// DefaultRelayDedupTTL is how long a delivery's key is remembered, so that Kick's retry of it
	// to any relay is not appended again.
	DefaultRelayDedupTTL = time.Hour
	// relayBlock is how long one XREAD of Wait blocks before it looks at its context again.
	relayBlock = time.Second
)

// RelayLogOptions configures NewRelayLog. The zero value is the defaults.
type RelayLogOptions struct {
	// Name names the log: relays of one name share it (DefaultRelayName when empty).
	Name string
	// MaxLen is how many records the stream keeps (DefaultRelayMaxLen when 0; no limit when
	// negative). Trimming is approximate (MAXLEN ~): Redis deletes whole nodes of about a hundred
	// entries, so the stream holds a little more.
	MaxLen int64
	// MaxAge is how long records are kept (DefaultRelayMaxAge when 0; no limit when negative),
	// by Redis's clock, approximately as MaxLen.
	MaxAge time.Duration
	// DedupTTL is how long a delivery's key is remembered (DefaultRelayDedupTTL when 0). It
	// should outlast Kick's retries of a delivery: at least twice the webhook tolerance.
	DedupTTL time.Duration
}

// RelayLog is a relay.Log on a Redis stream, shared by several relays (package relay): each
// appends what Kick posts to it, and each streams the whole log to its consumers, so a consumer
// can connect to any of them and resume with its cursor. Ids are the stream's entry ids.
//
// Append is one Lua script, one round trip: it skips a delivery whose key it remembers (Kick's
// retry of a delivery another relay appended), reads the id of the last entry, XADDs with MAXLEN
// ~ and that id as the entry's Prev, remembers the key, and trims by age with XTRIM MINID ~.
// Read is XRANGE, Wait XREAD BLOCK, Last a GET.
//
// An append is durable when Redis says so: Redis acknowledges a write once it is in memory. Run
// it with appendonly yes and appendfsync always to have it on disk before the relay answers Kick
// 2xx (everysec loses up to a second's deliveries if Redis itself crashes), or with replicas.
//
// Keys, with a hash tag so that Redis Cluster keeps them in one slot:
//
//	<prefix>relay:{<name>}:stream        the stream: fields m, s, t, v, ts, b (broadcaster), d (body), p (prev)
//	<prefix>relay:{<name>}:last          the id of the last entry appended
//	<prefix>relay:{<name>}:key:<digest>  the id of a delivery's entry, for DedupTTL
type RelayLog struct {
	client             redis.UniversalClient
	cfg                config
	stream, last, keys string
	maxLen, maxAge     int64
	dedupTTL           time.Duration
}

var _ relay.Log = (*RelayLog)(nil)

// NewRelayLog returns the log on client. Options other than WithPrefix and WithTimeout (which
// bounds Append, Read and Last) do not apply.
func NewRelayLog(client redis.UniversalClient, o RelayLogOptions, opts ...Option) (*RelayLog, error) {
	if client == nil {
		return nil, errors.New("kickredis: NewRelayLog: nil client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("kickredis: NewRelayLog: %w", err)
	}
	cfg.direct = followsDeadlines(client)
	if o.Name == "" {
		o.Name = DefaultRelayName
	}
	l := &RelayLog{client: client, cfg: cfg, dedupTTL: o.DedupTTL}
	base := cfg.prefix + "relay:{" + o.Name + "}:"
	l.stream, l.last, l.keys = base+"stream", base+"last", base+"key:"
	switch {
	case o.MaxLen == 0:
		l.maxLen = DefaultRelayMaxLen
	case o.MaxLen > 0:
		l.maxLen = o.MaxLen
	}
	switch {
	case o.MaxAge == 0:
		l.maxAge = DefaultRelayMaxAge.Milliseconds()
	case o.MaxAge > 0:
		l.maxAge = ms(o.MaxAge)
	}
	if l.dedupTTL <= 0 {
		l.dedupTTL = DefaultRelayDedupTTL
	}
	return l, nil
}

// relayAppend appends a delivery unless its key is remembered. KEYS: stream, last, key.
// ARGV: max length (0: none), max age in ms (0: none), key TTL in ms, then field, value pairs.
// It returns {1, id, prev} when it appended, {0, id} with the remembered entry's id when not.
var relayAppend = redis.NewScript(`
local existing = redis.call('GET', KEYS[3])
if existing then
	return {0, existing}
end
local prev = redis.call('GET', KEYS[2]) or '0-0'
local args = {'XADD', KEYS[1]}
local maxlen = tonumber(ARGV[1])
if maxlen > 0 then
	args[#args+1] = 'MAXLEN'
	args[#args+1] = '~'
	args[#args+1] = ARGV[1]
end
args[#args+1] = '*'
args[#args+1] = 'p'
args[#args+1] = prev
for i = 4, #ARGV do
	args[#args+1] = ARGV[i]
end
local id = redis.call(unpack(args))
redis.call('SET', KEYS[2], id)
redis.call('SET', KEYS[3], id, 'PX', ARGV[3])
local maxage = tonumber(ARGV[2])
if maxage > 0 then
	local t = redis.call('TIME')
	local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - maxage
	if cutoff > 0 then
		redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d', cutoff))
	end
end
return {1, id, prev}
`)

// keyOf is the Redis key remembering a delivery's record key.
func (l *RelayLog) keyOf(r *relay.Record) string {
	sum := sha256.Sum256([]byte(r.Key()))
	return l.keys + hex.EncodeToString(sum[:16])
}

// Append implements relay.Log.
func (l *RelayLog) Append(ctx context.Context, r *relay.Record) (bool, error) {
	d := &r.Delivery
	args := []any{l.maxLen, l.maxAge, ms(l.dedupTTL),
		"m", d.MessageID, "s", d.SubscriptionID, "t", string(d.Type), "v", d.Version,
		"ts", d.Timestamp.Format(time.RFC3339Nano), "b", r.BroadcasterUserID, "d", d.Body}
	res, err := bounded(ctx, l.cfg.timeout, l.cfg.direct, func(ctx context.Context) ([]any, error) {
		return relayAppend.Run(ctx, l.client, []string{l.stream, l.last, l.keyOf(r)}, args...).Slice()
	}, nil)
	if err != nil {
		return false, fmt.Errorf("kickredis: appending to the relay log: %w", err)
	}
	if len(res) < 2 {
		return false, fmt.Errorf("kickredis: appending to the relay log: unexpected answer %v", res)
	}
	added, _ := res[0].(int64)
	idText, _ := res[1].(string)
	id, err := relay.ParseID(idText)
	if err != nil {
		return false, fmt.Errorf("kickredis: appending to the relay log: %w", err)
	}
	r.ID = id
	if added != 1 || len(res) != 3 {
		return false, nil
	}
	prevText, _ := res[2].(string)
	if r.Prev, err = relay.ParseID(prevText); err != nil {
		return false, fmt.Errorf("kickredis: appending to the relay log: %w", err)
	}
	return true, nil
}

// Read implements relay.Log with XRANGE.
func (l *RelayLog) Read(ctx context.Context, after relay.ID, limit int) ([]relay.Record, error) {
	if limit <= 0 {
		return nil, nil
	}
	msgs, err := bounded(ctx, l.cfg.timeout, l.cfg.direct, func(ctx context.Context) ([]redis.XMessage, error) {
		return l.client.XRangeN(ctx, l.stream, "("+after.String(), "+", int64(limit)).Result()
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("kickredis: reading the relay log: %w", err)
	}
	return decodeEntries(msgs)
}

// Wait implements relay.Log with XREAD BLOCK, a second at a time.
func (l *RelayLog) Wait(ctx context.Context, after relay.ID, limit int) ([]relay.Record, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, err := l.client.XRead(ctx, &redis.XReadArgs{Streams: []string{l.stream, after.String()}, Count: int64(limit), Block: relayBlock}).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("kickredis: waiting on the relay log: %w", err)
		}
		for _, s := range res {
			if recs, err := decodeEntries(s.Messages); err != nil || len(recs) > 0 {
				return recs, err
			}
		}
	}
}

// Last implements relay.Log.
func (l *RelayLog) Last(ctx context.Context) (relay.ID, error) {
	s, err := bounded(ctx, l.cfg.timeout, l.cfg.direct, func(ctx context.Context) (string, error) {
		return l.client.Get(ctx, l.last).Result()
	}, nil)
	if errors.Is(err, redis.Nil) {
		return relay.ID{}, nil
	}
	if err != nil {
		return relay.ID{}, fmt.Errorf("kickredis: reading the relay log: %w", err)
	}
	return relay.ParseID(s)
}

// Len returns how many entries the stream holds (XLEN).
func (l *RelayLog) Len(ctx context.Context) (int64, error) {
	return l.client.XLen(ctx, l.stream).Result()
}

func decodeEntries(msgs []redis.XMessage) ([]relay.Record, error) {
	out := make([]relay.Record, 0, len(msgs))
	for _, m := range msgs {
		r, err := decodeEntry(m)
		if err != nil {
			return nil, fmt.Errorf("kickredis: relay log entry %s: %w", m.ID, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func decodeEntry(m redis.XMessage) (relay.Record, error) {
	var r relay.Record
	var err error
	if r.ID, err = relay.ParseID(m.ID); err != nil {
		return r, err
	}
	field := func(name string) string {
		s, _ := m.Values[name].(string)
		return s
	}
	if r.Prev, err = relay.ParseID(field("p")); err != nil {
		return r, fmt.Errorf("prev: %w", err)
	}
	d := &r.Delivery
	d.MessageID, d.SubscriptionID, d.Type = field("m"), field("s"), kicktypes.EventType(field("t"))
	if d.Version, err = strconv.Atoi(field("v")); err != nil {
		return r, fmt.Errorf("version: %w", err)
	}
	if d.Timestamp, err = webhook.ParseTimestamp(field("ts")); err != nil {
		return r, fmt.Errorf("timestamp: %w", err)
	}
	if r.BroadcasterUserID, err = strconv.ParseInt(field("b"), 10, 64); err != nil {
		return r, fmt.Errorf("broadcaster: %w", err)
	}
	d.Body = []byte(field("d"))
	if d.MessageID == "" {
		return r, errors.New("no message id")
	}
	return r, nil
}
