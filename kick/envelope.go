package kick

import (
	"context"

	"github.com/kick-sdk/kick-go/gen"
)

// Kick's answers wrap their data in an envelope, {"data": ..., "message": "OK"}, which the
// services decode their models from directly: each model is the one Go type of its schema, and
// decodes straight from Kick's JSON (with the tolerance of package tolerant).

// data is Kick's envelope of an answer; its message is not kept.
type data[T any] struct {
	Data T `json:"data"`
}

// pageData is the envelope of a page of a cursor-paginated list:
// {"data": [...], "pagination": {"next_cursor": "..."}}.
type pageData[T any] struct {
	Data       []T `json:"data"`
	Pagination struct {
		NextCursor string `json:"next_cursor"`
	} `json:"pagination"`
}

// page returns the envelope's page; an empty page has an empty, not nil, slice of items.
func (p *pageData[T]) page() Page[T] {
	if p.Data == nil {
		p.Data = []T{}
	}
	return Page[T]{Items: p.Data, NextCursor: p.Pagination.NextCursor}
}

// list returns an empty, not nil, list for an answer without items.
func list[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

// batched fetches the items of keys n at a time, each batch's request built by build, into one
// slice: each answer is decoded into the room left in the slice, sized for every key, so that the
// items are decoded in place, in one allocation whatever the number of batches. An answer with
// more items than keys grows it.
func batched[T, K any](ctx context.Context, c *Client, keys []K, n int, opts []RequestOption, build func([]K) gen.Request) ([]T, error) {
	all := make([]T, 0, len(keys))
	for _, batch := range chunks(keys, n) {
		env := data[[]T]{Data: all[len(all):]}
		if err := c.fetch(ctx, build(batch), opts, &env); err != nil {
			return nil, err
		}
		// A copy onto itself when the answer was decoded into the room.
		all = append(all, env.Data...)
	}
	return all, nil
}

// orderBy sorts items, in place, by the position of key(item) in order, and returns them; items
// whose key is not in order are dropped, and items with the same key keep their relative order.
// It places every item once (a counting sort, then the permutation applied by swaps), so that
// the answer is not copied into another slice.
func orderBy[T any, K comparable](items []T, order []K, key func(*T) K) []T {
	pos := make(map[K]int, len(order))
	for i, id := range order {
		pos[id] = i
	}
	// dest[j] is where items[j] goes: its slot's next place, or after the kept items when it is
	// dropped. start[i+1] counts, then indexes, the items of slot i.
	dest := make([]int, len(items))
	start := make([]int, len(order)+1)
	kept := 0
	for j := range items {
		i, ok := pos[key(&items[j])]
		if !ok {
			dest[j] = -1
			continue
		}
		dest[j] = i
		start[i+1]++
		kept++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	dropped := kept
	for j, i := range dest {
		if i < 0 {
			dest[j] = dropped
			dropped++
			continue
		}
		dest[j] = start[i]
		start[i]++
	}
	for j := range items {
		for dest[j] != j {
			k := dest[j]
			items[j], items[k] = items[k], items[j]
			dest[j], dest[k] = dest[k], dest[j]
		}
	}
	clear(items[kept:])
	return items[:kept]
}
