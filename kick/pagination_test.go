package kick

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakePages is a fake cursor API: the page at cursor c is pages[c].
type fakePages struct {
	pages   map[string]Page[int]
	fail    bool // fail fetching the page at errAt
	errAt   string
	fetched []string
}

func (f *fakePages) fetch(_ context.Context, cursor string) (Page[int], error) {
	f.fetched = append(f.fetched, cursor)
	if f.fail && cursor == f.errAt {
		return Page[int]{}, fmt.Errorf("page %q failed", cursor)
	}
	p, ok := f.pages[cursor]
	if !ok {
		return Page[int]{}, fmt.Errorf("no page %q", cursor)
	}
	return p, nil
}

// collect drains seq, stopping after the first error.
func collect(seq func(func(int, error) bool)) ([]int, error) {
	var items []int
	for v, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, v)
	}
	return items, nil
}

func TestPaginate(t *testing.T) {
	t.Parallel()
	three := map[string]Page[int]{
		"":  {Items: []int{1, 2}, NextCursor: "b"},
		"b": {Items: []int{3}, NextCursor: "c"},
		"c": {Items: []int{4, 5}, NextCursor: ""},
	}
	tests := []struct {
		name        string
		start       string
		pages       map[string]Page[int]
		errAt       string
		wantItems   []int
		wantFetched []string
		wantErr     bool
	}{
		{name: "three pages", pages: three, wantItems: []int{1, 2, 3, 4, 5}, wantFetched: []string{"", "b", "c"}},
		{name: "start cursor", start: "b", pages: three, wantItems: []int{3, 4, 5}, wantFetched: []string{"b", "c"}},
		{name: "empty page", pages: map[string]Page[int]{"": {Items: []int{}, NextCursor: "more"}}, wantItems: nil, wantFetched: []string{""}},
		{name: "repeated cursor", pages: map[string]Page[int]{
			"":  {Items: []int{1}, NextCursor: "a"},
			"a": {Items: []int{2}, NextCursor: "a"},
		}, wantItems: []int{1, 2}, wantFetched: []string{"", "a"}},
		{name: "cycle back to the start", start: "s", pages: map[string]Page[int]{
			"s": {Items: []int{1}, NextCursor: "a"},
			"a": {Items: []int{2}, NextCursor: "s"},
		}, wantItems: []int{1, 2}, wantFetched: []string{"s", "a"}},
		{name: "error on page 2", pages: three, errAt: "b", wantItems: []int{1, 2}, wantFetched: []string{"", "b"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakePages{pages: tt.pages, fail: tt.wantErr, errAt: tt.errAt}
			items, err := collect(paginate(context.Background(), tt.start, f.fetch))
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantItems, items); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFetched, f.fetched); diff != "" {
				t.Errorf("fetched (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPaginateEndsAfterError(t *testing.T) {
	t.Parallel()
	f := &fakePages{pages: map[string]Page[int]{}, fail: true, errAt: ""}
	n := 0
	for _, err := range paginate(context.Background(), "", f.fetch) {
		n++
		if err == nil {
			t.Fatal("want an error")
		}
		// Keep asking for more: the iterator must not call yield again.
	}
	if n != 1 || len(f.fetched) != 1 {
		t.Errorf("yielded %d times after %d fetches, want 1 and 1", n, len(f.fetched))
	}
}

func TestPaginateIsLazy(t *testing.T) {
	t.Parallel()
	f := &fakePages{pages: map[string]Page[int]{
		"":  {Items: []int{1, 2}, NextCursor: "b"},
		"b": {Items: []int{3}, NextCursor: ""},
	}}
	seq := paginate(context.Background(), "", f.fetch)
	if len(f.fetched) != 0 {
		t.Fatal("fetched before iteration")
	}
	for v, err := range seq {
		if err != nil || v != 1 {
			t.Fatalf("first = %d, %v", v, err)
		}
		break
	}
	if diff := cmp.Diff([]string{""}, f.fetched); diff != "" {
		t.Errorf("fetched (-want +got):\n%s", diff)
	}
}

func TestPaginateHonoursContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &fakePages{pages: map[string]Page[int]{
		"":  {Items: []int{1}, NextCursor: "b"},
		"b": {Items: []int{2}, NextCursor: ""},
	}}
	var got []int
	var gotErr error
	for v, err := range paginate(ctx, "", f.fetch) {
		if err != nil {
			gotErr = err
			break
		}
		got = append(got, v)
		cancel() // cancelled between pages: the second page is never fetched
	}
	if !errors.Is(gotErr, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", gotErr)
	}
	if diff := cmp.Diff([]int{1}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if len(f.fetched) != 1 {
		t.Errorf("fetched %v, want only the first page", f.fetched)
	}
}

// TestPaginateRerangeable ranges one sequence twice: the second range starts at the start cursor
// again, not where the first one ended.
func TestPaginateRerangeable(t *testing.T) {
	t.Parallel()
	f := &fakePages{pages: map[string]Page[int]{
		"s": {Items: []int{1}, NextCursor: "b"},
		"b": {Items: []int{2}, NextCursor: ""},
	}}
	seq := paginate(context.Background(), "s", f.fetch)
	for run := 1; run <= 2; run++ {
		items, err := collect(seq)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int{1, 2}, items); diff != "" {
			t.Errorf("run %d items (-want +got):\n%s", run, diff)
		}
	}
	if diff := cmp.Diff([]string{"s", "b", "s", "b"}, f.fetched); diff != "" {
		t.Errorf("fetched (-want +got):\n%s", diff)
	}
}
