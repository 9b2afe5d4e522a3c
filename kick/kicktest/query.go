// The query helpers of the handlers: repeated integer parameters, integers with defaults, cursor
// pages.

package kicktest

import (
	"strconv"
	"strings"
)

// ints parses the values of a repeated integer parameter the spec validated.
func ints(values []string) []int64 {
	out := make([]int64, 0, len(values))
	for _, v := range values {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// intParam returns an integer query parameter, or the spec's default for it when it is absent.
func intParam(c *call, name string) int {
	if v := c.r.URL.Query().Get(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return c.op.intDefault(name)
}

// pageOf cuts items at a cursor of cursorOf("offset", n) and returns the page and the next
// cursor ("" on the last page); ok is false for a cursor kicktest did not make.
func pageOf[T any](items []T, cursor string, limit int) (page []T, next string, ok bool) {
	off, ok := offsetCursor(cursor)
	if !ok {
		return nil, "", false
	}
	off = min(off, len(items))
	end := min(off+limit, len(items))
	if end < len(items) {
		next = cursorOf("offset", end)
	}
	return items[off:end], next, true
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
