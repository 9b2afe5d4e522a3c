package relay

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Defaults of the retention of a BoltLog.
const (
	// DefaultMaxAge is how long a record is kept: a day, so that a consumer away for a night
	// misses nothing.
	DefaultMaxAge = 24 * time.Hour
	// DefaultMaxRecords is how many records are kept at most: a million, about a gigabyte of
	// chat messages.
	DefaultMaxRecords = 1_000_000
)

// maxBatch bounds the records one transaction commits; trimBatch the records it deletes.
const (
	maxBatch  = 1024
	trimBatch = 4096
)

var (
	bucketRecords = []byte("records") // ID.key() → encoded record
	bucketKeys    = []byte("keys")    // Record.Key() → ID.key()
	bucketMeta    = []byte("meta")
	metaLast      = []byte("last")  // ID.key() of the last record appended
	metaCount     = []byte("count") // records held, big-endian uint64
)

// BoltOptions configures OpenBolt. The zero value is the defaults.
type BoltOptions struct {
	// MaxAge is how long a record is kept (DefaultMaxAge when 0; no limit when negative).
	MaxAge time.Duration
	// MaxRecords is how many records are kept (DefaultMaxRecords when 0; no limit when
	// negative). Older records are deleted first.
	MaxRecords int
	// Now is the clock of ids and of retention (time.Now when nil).
	Now func() time.Time
	// TrimEvery is how often retention runs when nothing is appended (a minute when 0); it also
	// runs with every append.
	TrimEvery time.Duration
}

// BoltLog is a Log in one bbolt file (go.etcd.io/bbolt): the relay's default store, on one
// machine, with no set-up. An append is durable when Append returns: it is in a committed
// transaction, and bbolt syncs the file to disk on every commit. Appends of concurrent
// deliveries are committed together, one transaction and one sync for all those waiting (group
// commit), so the log keeps up with thousands of deliveries a second on an ordinary disk.
//
// The file is locked while it is open: one process at a time.
type BoltLog struct {
	db         *bolt.DB
	now        func() time.Time
	maxAge     time.Duration
	maxRecords uint64
	trimEvery  time.Duration

	reqs    chan *appendReq
	done    chan struct{} // closed by Close
	stopped chan struct{} // closed when the committer has returned

	mu     sync.Mutex
	wake   chan struct{} // closed and replaced by every commit that appended
	last   ID
	closed bool
}

type appendReq struct {
	rec      Record // a copy: the committer writes its ID while Append may have given up
	appended bool
	err      chan error
}

var _ Log = (*BoltLog)(nil)

// OpenBolt opens the log in the file at path, creating it (mode 0600) if needed. It fails after
// a second when another process has the file open.
func OpenBolt(path string, opts BoltOptions) (*BoltLog, error) {
	// The freelist is not written at each commit (etcd's setting): less to sync per commit; it is
	// rebuilt by a scan when the file is opened.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("relay: opening %s: the file is locked (is another relay using it?): %w", path, err)
		}
		return nil, fmt.Errorf("relay: opening %s: %w", path, err)
	}
	l := &BoltLog{db: db, now: opts.Now, maxAge: opts.MaxAge, trimEvery: opts.TrimEvery,
		reqs: make(chan *appendReq, maxBatch), done: make(chan struct{}), stopped: make(chan struct{}), wake: make(chan struct{})}
	if l.now == nil {
		l.now = time.Now
	}
	switch {
	case l.maxAge == 0:
		l.maxAge = DefaultMaxAge
	case l.maxAge < 0:
		l.maxAge = 0
	}
	switch {
	case opts.MaxRecords == 0:
		l.maxRecords = DefaultMaxRecords
	case opts.MaxRecords > 0:
		l.maxRecords = uint64(opts.MaxRecords)
	}
	if l.trimEvery <= 0 {
		l.trimEvery = time.Minute
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketRecords, bucketKeys, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		l.last = idFromKey(tx.Bucket(bucketMeta).Get(metaLast))
		return nil
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("relay: opening %s: %w", path, err), db.Close())
	}
	go l.commitLoop()
	return l, nil
}

// Close stops the log: appends waiting fail with ErrClosed, and the file is closed.
func (l *BoltLog) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.done)
	l.mu.Unlock()
	<-l.stopped
	return l.db.Close()
}

// Append implements Log: it returns once the transaction holding rec is committed and synced.
func (l *BoltLog) Append(ctx context.Context, rec *Record) (bool, error) {
	req := &appendReq{rec: *rec, err: make(chan error, 1)}
	select {
	case <-l.done:
		return false, ErrClosed
	default:
	}
	select {
	case l.reqs <- req:
	case <-l.done:
		return false, ErrClosed
	case <-ctx.Done():
		return false, ctx.Err()
	}
	var err error
	select {
	case err = <-req.err:
	case <-l.stopped:
		// The committer answered every request it took before it stopped.
		select {
		case err = <-req.err:
		default:
			return false, ErrClosed
		}
	case <-ctx.Done():
		// The record may still be committed; Kick's retry then finds it by its key.
		return false, ctx.Err()
	}
	if err != nil {
		return false, err
	}
	rec.ID, rec.Prev = req.rec.ID, req.rec.Prev
	return req.appended, nil
}

// commitLoop commits the appends waiting, all together, then the ones that came meanwhile.
func (l *BoltLog) commitLoop() {
	defer close(l.stopped)
	tick := time.NewTicker(l.trimEvery)
	defer tick.Stop()
	batch := make([]*appendReq, 0, maxBatch)
	for {
		select {
		case req := <-l.reqs:
			batch = append(batch[:0], req)
		fill:
			for len(batch) < maxBatch {
				select {
				case r := <-l.reqs:
					batch = append(batch, r)
				default:
					break fill
				}
			}
			l.commit(batch)
		case <-tick.C:
			_ = l.db.Update(func(tx *bolt.Tx) error { return l.trim(tx) })
		case <-l.done:
			for {
				select {
				case r := <-l.reqs:
					r.err <- ErrClosed
				default:
					return
				}
			}
		}
	}
}

func (l *BoltLog) commit(batch []*appendReq) {
	l.mu.Lock()
	last := l.last
	l.mu.Unlock()
	err := l.db.Update(func(tx *bolt.Tx) error {
		records, keys, meta := tx.Bucket(bucketRecords), tx.Bucket(bucketKeys), tx.Bucket(bucketMeta)
		count := getUint(meta.Get(metaCount))
		cur := last
		for _, req := range batch {
			r := &req.rec
			key := []byte(r.Key())
			if existing := keys.Get(key); existing != nil {
				r.ID, req.appended = idFromKey(existing), false
				continue
			}
			r.Prev, r.ID = cur, nextID(cur, l.now())
			cur = r.ID
			if err := records.Put(r.ID.key(), encodeRecord(key, r)); err != nil {
				return err
			}
			if err := keys.Put(key, r.ID.key()); err != nil {
				return err
			}
			req.appended = true
			count++
		}
		if err := meta.Put(metaLast, cur.key()); err != nil {
			return err
		}
		if err := meta.Put(metaCount, putUint(count)); err != nil {
			return err
		}
		if err := l.trim(tx); err != nil {
			return err
		}
		last = cur
		return nil
	})
	appended := false
	for _, req := range batch {
		if err == nil && req.appended {
			appended = true
		}
		req.err <- err
	}
	if err == nil && appended {
		l.mu.Lock()
		l.last = last
		close(l.wake)
		l.wake = make(chan struct{})
		l.mu.Unlock()
	}
}

// trim deletes the records past the retention, oldest first, at most trimBatch of them.
func (l *BoltLog) trim(tx *bolt.Tx) error {
	records, keys, meta := tx.Bucket(bucketRecords), tx.Bucket(bucketKeys), tx.Bucket(bucketMeta)
	count := getUint(meta.Get(metaCount))
	var cutoff uint64
	if l.maxAge > 0 {
		cutoff = uint64(max(l.now().Add(-l.maxAge).UnixMilli(), 0))
	}
	var doomed, doomedKeys [][]byte // record ids, and their dedup keys
	c := records.Cursor()
	for k, v := c.First(); k != nil && len(doomed) < trimBatch; k, v = c.Next() {
		tooMany := l.maxRecords > 0 && count-uint64(len(doomed)) > l.maxRecords
		if !tooMany && idFromKey(k).Ms >= cutoff {
			break
		}
		doomed, doomedKeys = append(doomed, k), append(doomedKeys, recordKey(v))
	}
	if len(doomed) == 0 {
		return nil
	}
	for i := range doomed {
		if err := records.Delete(doomed[i]); err != nil {
			return err
		}
		if err := keys.Delete(doomedKeys[i]); err != nil {
			return err
		}
	}
	return meta.Put(metaCount, putUint(count-uint64(len(doomed))))
}

// Read implements Log.
func (l *BoltLog) Read(_ context.Context, after ID, limit int) ([]Record, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []Record
	err := l.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRecords).Cursor()
		start := after.key()
		k, v := c.Seek(start)
		if k != nil && bytes.Equal(k, start) {
			k, v = c.Next()
		}
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			r, err := decodeRecord(v)
			if err != nil {
				return fmt.Errorf("relay: record %s: %w", idFromKey(k), err)
			}
			r.ID = idFromKey(k)
			out = append(out, r)
		}
		return nil
	})
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return nil, ErrClosed
	}
	return out, err
}

// Wait implements Log.
func (l *BoltLog) Wait(ctx context.Context, after ID, limit int) ([]Record, error) {
	for {
		l.mu.Lock()
		wake, closed := l.wake, l.closed
		l.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}
		recs, err := l.Read(ctx, after, limit)
		if err != nil || len(recs) > 0 {
			return recs, err
		}
		select {
		case <-wake:
		case <-l.done:
			return nil, ErrClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Last implements Log.
func (l *BoltLog) Last(context.Context) (ID, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last, nil
}

// Len returns how many records the log holds.
func (l *BoltLog) Len() (int, error) {
	var n uint64
	err := l.db.View(func(tx *bolt.Tx) error {
		n = getUint(tx.Bucket(bucketMeta).Get(metaCount))
		return nil
	})
	return int(n), err //nolint:gosec // a count of records
}

func getUint(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func putUint(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// encodeRecord writes a record's value: its key first (trim reads it alone), then the fields of
// the delivery, the body last. bbolt values are only valid within their transaction; decoding
// copies.
func encodeRecord(key []byte, r *Record) []byte {
	d := &r.Delivery
	ts := d.Timestamp.Format(time.RFC3339Nano)
	b := make([]byte, 0, 64+len(key)+len(d.MessageID)+len(d.SubscriptionID)+len(d.Type)+len(ts)+len(d.Body))
	b = appendBytes(b, key)
	b = appendBytes(b, []byte(d.MessageID))
	b = appendBytes(b, []byte(d.SubscriptionID))
	b = appendBytes(b, []byte(d.Type))
	b = binary.AppendVarint(b, int64(d.Version))
	b = appendBytes(b, []byte(ts))
	b = binary.AppendVarint(b, r.BroadcasterUserID)
	b = append(b, r.Prev.key()...)
	return append(b, d.Body...)
}

func appendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errCorrupt = errors.New("corrupt record")

// recordKey returns the key stored at the start of a record's value (a copy).
func recordKey(v []byte) []byte {
	n, w := binary.Uvarint(v)
	if w <= 0 || n > uint64(len(v)-w) { //nolint:gosec // w <= len(v): a length, not negative
		return nil
	}
	return bytes.Clone(v[w : w+int(n)]) //nolint:gosec // n <= len(v)-w, checked above
}

func decodeRecord(v []byte) (Record, error) {
	var r Record
	rd := reader{b: v}
	rd.bytes() // the key
	r.Delivery.MessageID = string(rd.bytes())
	r.Delivery.SubscriptionID = string(rd.bytes())
	r.Delivery.Type = kicktypes.EventType(rd.bytes())
	r.Delivery.Version = int(rd.varint())
	ts := string(rd.bytes())
	r.BroadcasterUserID = rd.varint()
	r.Prev = idFromKey(rd.take(16))
	if rd.err != nil {
		return r, rd.err
	}
	r.Delivery.Body = bytes.Clone(rd.b)
	t, err := webhook.ParseTimestamp(ts)
	if err != nil {
		return r, fmt.Errorf("%w: timestamp: %w", errCorrupt, err)
	}
	r.Delivery.Timestamp = t
	return r, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errCorrupt
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) bytes() []byte {
	if r.err != nil {
		return nil
	}
	n, w := binary.Uvarint(r.b)
	if w <= 0 || n > uint64(len(r.b)-w) { //nolint:gosec // w <= len(r.b): a length, not negative
		r.err = errCorrupt
		return nil
	}
	r.b = r.b[w:]
	return r.take(int(n)) //nolint:gosec // n <= len(r.b), checked above
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	n, w := binary.Varint(r.b)
	if w <= 0 {
		r.err = errCorrupt
		return 0
	}
	r.b = r.b[w:]
	return n
}
