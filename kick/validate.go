package kick

import (
	"fmt"
	"unicode/utf8"

	"github.com/kick-sdk/kick-go/kick/internal/xslices"
)

// Ptr returns a pointer to v, for the optional fields of update parameters:
// kick.RewardUpdate{Cost: kick.Ptr(int64(250))}.
func Ptr[T any](v T) *T { return &v }

// deref returns *p, or the zero value when p is nil: an optional field of a decoded answer.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// invalid returns a *ValidationError for op.
func invalid(op, field, format string, args ...any) error {
	return &ValidationError{Operation: op, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// checkLen rejects a string longer than max characters (runes, as Kick counts them), or empty when
// required.
func checkLen(op, field, s string, required bool, maxLen int) error {
	n := utf8.RuneCountInString(s)
	switch {
	case required && n == 0:
		return invalid(op, field, "is empty")
	case n > maxLen:
		return invalid(op, field, "has %d characters, at most %d allowed", n, maxLen)
	}
	return nil
}

// checkIDs rejects non-positive ids.
func checkIDs(op, field string, ids []int64) error {
	for i, id := range ids {
		if id <= 0 {
			return invalid(op, fmt.Sprintf("%s[%d]", field, i), "%d is not a positive id", id)
		}
	}
	return nil
}

// checkStrings rejects empty strings in a list.
func checkStrings(op, field string, values []string) error {
	for i, v := range values {
		if v == "" {
			return invalid(op, fmt.Sprintf("%s[%d]", field, i), "is empty")
		}
	}
	return nil
}

// unique returns s without repeats, in first-seen order, in a new slice.
func unique[T comparable](s []T) []T { return xslices.Unique(s) }

// chunks splits s into consecutive slices of at most n elements.
func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// orderBy returns items sorted by the position of key(item) in order; items whose key is not in
// order are dropped, and items with the same key keep their relative order. It places the items
// with a counting sort: a few allocations whatever the number of items.
func orderBy[T any, K comparable](items []T, order []K, key func(T) K) []T {
	pos := make(map[K]int, len(order))
	for i, id := range order {
		pos[id] = i
	}
	// at[j] is the slot of items[j], or -1; start[i+1] counts, then indexes, the items of slot i.
	at := make([]int, len(items))
	start := make([]int, len(order)+1)
	n := 0
	for j, it := range items {
		i, ok := pos[key(it)]
		if !ok {
			at[j] = -1
			continue
		}
		at[j] = i
		start[i+1]++
		n++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	out := make([]T, n)
	for j, it := range items {
		if i := at[j]; i >= 0 {
			out[start[i]] = it
			start[i]++
		}
	}
	return out
}
