package xslices

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnique(t *testing.T) {
	t.Parallel()
	in := []int64{3, 1, 3, 2, 1, 3}
	got := Unique(in)
	if diff := cmp.Diff([]int64{3, 1, 2}, got); diff != "" {
		t.Errorf("Unique (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{3, 1, 3, 2, 1, 3}, in); diff != "" {
		t.Errorf("the input changed (-want +got):\n%s", diff)
	}
	if got := Unique([]string(nil)); got == nil || len(got) != 0 {
		t.Errorf("Unique(nil) = %#v, want an empty slice", got)
	}
	if diff := cmp.Diff([]string{"b", "a"}, Unique([]string{"b", "a", "b"})); diff != "" {
		t.Errorf("strings (-want +got):\n%s", diff)
	}
}
