package relay

import (
	"sort"
	"sync"
)

// hub holds the most recent records of the log, each with its event frame encoded once for all
// consumers, and wakes the consumers a new record is for. Consumers read from it at their own
// pace: the hub never waits for one.
type hub struct {
	size int

	mu       sync.Mutex
	entries  []*entry // contiguous records of the log, oldest first
	head     ID       // the last record pushed, or the log's last at start
	byCaster map[int64]map[*waiter]struct{}
	everyone map[*waiter]struct{}
}

// entry is a record and its frame.
type entry struct {
	rec   Record
	frame []byte
}

// waiter is a consumer waiting for records of its channels.
type waiter struct {
	ch           chan struct{} // capacity 1: a wake-up is never lost, never blocks
	broadcasters []int64       // nil with all
	all          bool
}

func newHub(size int, head ID) *hub {
	return &hub{size: size, head: head, byCaster: map[int64]map[*waiter]struct{}{}, everyone: map[*waiter]struct{}{}}
}

func (h *hub) headID() ID {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.head
}

// push adds records that follow the head, and wakes the consumers of their channels.
func (h *hub) push(recs []Record) {
	added := make([]*entry, 0, len(recs))
	for i := range recs {
		added = append(added, &entry{rec: recs[i], frame: deliveryFrame(&recs[i])})
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range added {
		if e.rec.ID.Compare(h.head) <= 0 {
			continue
		}
		h.entries = append(h.entries, e)
		h.head = e.rec.ID
	}
	if n := len(h.entries); n > 2*h.size {
		h.entries = append([]*entry(nil), h.entries[n-h.size:]...)
	}
	for w := range h.everyone {
		wake(w)
	}
	seen := map[int64]bool{}
	for _, e := range added {
		b := e.rec.BroadcasterUserID
		if seen[b] {
			continue
		}
		seen[b] = true
		for w := range h.byCaster[b] {
			wake(w)
		}
	}
}

func wake(w *waiter) {
	select {
	case w.ch <- struct{}{}:
	default:
	}
}

// read returns at most limit entries after cursor. ok is false when the hub does not hold all the
// records after cursor: the consumer then reads from the log.
func (h *hub) read(cursor ID, limit int) (out []*entry, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if cursor.Compare(h.head) >= 0 {
		return nil, true
	}
	entries := h.entries
	if n := len(entries); n > h.size {
		entries = entries[n-h.size:]
	}
	if len(entries) == 0 || entries[0].rec.Prev.Compare(cursor) > 0 {
		return nil, false
	}
	i := sort.Search(len(entries), func(i int) bool { return entries[i].rec.ID.Compare(cursor) > 0 })
	end := min(len(entries), i+limit)
	return append([]*entry(nil), entries[i:end]...), true
}

func (h *hub) add(w *waiter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if w.all {
		h.everyone[w] = struct{}{}
		return
	}
	for _, b := range w.broadcasters {
		m := h.byCaster[b]
		if m == nil {
			m = map[*waiter]struct{}{}
			h.byCaster[b] = m
		}
		m[w] = struct{}{}
	}
}

func (h *hub) remove(w *waiter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.everyone, w)
	for _, b := range w.broadcasters {
		delete(h.byCaster[b], w)
		if len(h.byCaster[b]) == 0 {
			delete(h.byCaster, b)
		}
	}
}
