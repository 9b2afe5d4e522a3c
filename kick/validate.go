package kick

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/kick-sdk/kick-go/kick/internal/xslices"
)

// Ptr returns a pointer to v, for the optional fields of update parameters:
// kick.RewardUpdateParams{Cost: kick.Ptr(int64(250))}.
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

// elem names element i of the list field, "field[i]", for an error: services build it only when
// they report one, never on the path of a valid call.
func elem(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

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

// checkGraphemes rejects a non-empty string of more than maxGraphemes grapheme clusters
// (user-perceived characters, Unicode UAX #29: a flag or a family emoji is one) or more than
// maxBytes bytes of UTF-8, as Kick limits chat messages: both limits hold. Clusters are counted by
// github.com/rivo/uniseg; a count of code points would pass a message of 400 family emoji that
// Kick refuses and refuse one of 500 flags that Kick takes.
func checkGraphemes(op, field, s string, maxGraphemes, maxBytes int) error {
	if s == "" {
		return invalid(op, field, "is empty")
	}
	if len(s) > maxBytes {
		return invalid(op, field, "is %d bytes in UTF-8, at most %d allowed", len(s), maxBytes)
	}
	if n := uniseg.GraphemeClusterCount(s); n > maxGraphemes {
		return invalid(op, field, "has %d characters (grapheme clusters), at most %d allowed", n, maxGraphemes)
	}
	return nil
}

// checkIDs rejects non-positive ids.
func checkIDs(op, field string, ids []int64) error {
	for i, id := range ids {
		if id <= 0 {
			return invalid(op, elem(field, i), "%d is not a positive id", id)
		}
	}
	return nil
}

// checkStrings rejects empty strings in a list.
func checkStrings(op, field string, values []string) error {
	for i, v := range values {
		if v == "" {
			return invalid(op, elem(field, i), "is empty")
		}
	}
	return nil
}

// repeatSeed seeds firstRepeat's hashes.
var repeatSeed = maphash.MakeSeed()

// firstRepeat returns the index of the first of n keys that repeats an earlier one, and the index
// of that one; -1, -1 when none repeats. Up to 128 keys it uses a hash table on the stack (no map
// to allocate and fill: the lists Kick takes have at most 100 items), beyond a map.
func firstRepeat(n int, key func(int) string) (int, int) {
	if n > 128 {
		seen := make(map[string]int, n)
		for i := range n {
			k := key(i)
			if j, dup := seen[k]; dup {
				return i, j
			}
			seen[k] = i
		}
		return -1, -1
	}
	var table [256]uint8 // index+1 of the key in each slot; 0 for an empty slot
	for i := range n {
		k := key(i)
		for s := maphash.String(repeatSeed, k) & 255; ; s = (s + 1) & 255 {
			j := table[s]
			if j == 0 {
				table[s] = uint8(i + 1)
				break
			}
			if key(int(j)-1) == k {
				return i, int(j) - 1
			}
		}
	}
	return -1, -1
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
