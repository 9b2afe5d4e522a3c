// Package xslices holds the slice helpers the standard library's slices package lacks, shared by
// kick and kicktest.
package xslices

// Unique returns the elements of s without repeats, in the order of their first occurrence, in a
// new slice (empty, not nil, for an empty s); s is not changed.
func Unique[T comparable](s []T) []T {
	seen := make(map[T]struct{}, len(s))
	out := make([]T, 0, len(s))
	for _, v := range s {
		if _, dup := seen[v]; !dup {
			seen[v] = struct{}{}
			out = append(out, v)
		}
	}
	return out
}
