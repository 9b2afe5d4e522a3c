package kick

import (
	"context"
	"iter"
)

// Page is one page of a cursor-paginated list. It marshals as {"data": [...], "next_cursor": ...}.
type Page[T any] struct {
	// Items are the page's items; empty, never nil, when the page is empty.
	Items []T `json:"data"`
	// NextCursor fetches the next page when passed as the Cursor of the same List call. It is empty
	// on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// paginate yields the items of successive pages, fetching each page only when the previous one is
// consumed. It starts at start, stops after a page with no items or no next cursor, or whose next
// cursor was already fetched (a server that loops), and ends after yielding an error, including
// ctx's error.
//
// The sequence holds no state between ranges: each range starts again at start, and several
// goroutines may range over it at once (fetch must allow that).
func paginate[T any](ctx context.Context, start string, fetch func(ctx context.Context, cursor string) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor := start
		seen := map[string]bool{cursor: true}
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			if len(page.Items) == 0 || page.NextCursor == "" || seen[page.NextCursor] {
				return
			}
			cursor = page.NextCursor
			seen[cursor] = true
		}
	}
}
