package relay_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

func openBolt(t *testing.T, path string, o relay.BoltOptions) *relay.BoltLog {
	t.Helper()
	l, err := relay.OpenBolt(path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func rec(id string, broadcaster int64) *relay.Record {
	return &relay.Record{BroadcasterUserID: broadcaster, Delivery: webhook.Delivery{MessageID: id, SubscriptionID: "s-" + id,
		Type: kicktypes.EventChatMessageSent, Version: 1, Timestamp: time.Date(2025, 1, 14, 16, 8, 6, 320e6, time.FixedZone("", 11*3600)),
		Body: []byte(`{"id":"` + id + `"}`)}}
}

func mustAppend(t *testing.T, l relay.Log, r *relay.Record) bool {
	t.Helper()
	ok, err := l.Append(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func readAll(t *testing.T, l relay.Log, after relay.ID) []relay.Record {
	t.Helper()
	recs, err := l.Read(context.Background(), after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func messageIDs(recs []relay.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Delivery.MessageID)
	}
	return out
}

// Retention by age deletes the records older than MaxAge, from the front, with the next append;
// what follows them keeps its Prev, so a reader sees the hole.
func TestBoltRetentionByAge(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := openBolt(t, filepath.Join(t.TempDir(), "log.db"), relay.BoltOptions{MaxAge: 30 * time.Second, Now: c.Now})
	for _, id := range []string{"a", "b", "c"} {
		mustAppend(t, l, rec(id, 1))
	}
	c.Advance(time.Minute)
	d := rec("d", 1)
	mustAppend(t, l, d)
	got := readAll(t, l, relay.ID{})
	if diff := cmp.Diff([]string{"d"}, messageIDs(got)); diff != "" {
		t.Fatalf("after retention (-want +got):\n%s", diff)
	}
	if n, _ := l.Len(); n != 1 {
		t.Errorf("Len = %d", n)
	}
}

// A record appended twice (Kick's retry) is stored once; the second Append says so and gives the
// first's id. A relabelled copy has a key of its own.
func TestBoltDedupAndReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log.db")
	l, err := relay.OpenBolt(path, relay.BoltOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, again := rec("a", 1), rec("a", 1)
	if !mustAppend(t, l, a) || mustAppend(t, l, again) || again.ID != a.ID {
		t.Fatalf("dedup: a=%v again=%v", a.ID, again.ID)
	}
	relabelled := rec("a", 1)
	relabelled.Delivery.Type = kicktypes.EventChannelFollowed
	b := rec("b", 2)
	if !mustAppend(t, l, relabelled) || !mustAppend(t, l, b) || b.Prev != relabelled.ID || relabelled.Prev != a.ID || !a.Prev.IsZero() {
		t.Fatalf("ids: a=%+v relabelled=%+v b=%+v", a, relabelled, b)
	}
	if _, err := relay.OpenBolt(path, relay.BoltOptions{}); err == nil {
		t.Fatal("a second OpenBolt of an open file succeeded")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(context.Background(), rec("c", 1)); err == nil {
		t.Error("Append after Close succeeded")
	}
	l2 := openBolt(t, path, relay.BoltOptions{})
	got := readAll(t, l2, relay.ID{})
	want := []relay.Record{*a, *relabelled, *b}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after reopening (-want +got):\n%s", diff)
	}
	if last, _ := l2.Last(context.Background()); last != b.ID {
		t.Errorf("Last = %v, want %v", last, b.ID)
	}
	c := rec("c", 1)
	mustAppend(t, l2, c)
	if c.Prev != b.ID || c.ID.Compare(b.ID) <= 0 {
		t.Errorf("c = %+v after b %v", c.ID, b.ID)
	}
	if got := readAll(t, l2, b.ID); len(got) != 1 || got[0].Delivery.MessageID != "c" {
		t.Errorf("Read after b: %v", messageIDs(got))
	}
}

// Retention by count keeps the newest MaxRecords; the dedup key of a deleted record is deleted
// with it.
func TestBoltRetentionByCount(t *testing.T) {
	t.Parallel()
	l := openBolt(t, filepath.Join(t.TempDir(), "log.db"), relay.BoltOptions{MaxRecords: 3})
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		mustAppend(t, l, rec(id, 1))
	}
	if diff := cmp.Diff([]string{"c", "d", "e"}, messageIDs(readAll(t, l, relay.ID{}))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !mustAppend(t, l, rec("a", 1)) {
		t.Error("a deleted record's key still deduplicates")
	}
	if n, _ := l.Len(); n != 3 {
		t.Errorf("Len = %d", n)
	}
}

// Wait returns as soon as a record follows, and when the context ends or the log closes.
func TestBoltWait(t *testing.T) {
	t.Parallel()
	l, err := relay.OpenBolt(filepath.Join(t.TempDir(), "log.db"), relay.BoltOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []relay.Record, 1)
	go func() {
		recs, _ := l.Wait(context.Background(), relay.ID{}, 10)
		got <- recs
	}()
	mustAppend(t, l, rec("a", 1))
	if recs := <-got; len(recs) != 1 || recs[0].Delivery.MessageID != "a" {
		t.Errorf("Wait = %v", messageIDs(recs))
	}
	last, _ := l.Last(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := l.Wait(ctx, last, 10); err == nil {
		t.Error("Wait without a record returned no error")
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.Wait(context.Background(), last, 10)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	_ = l.Close()
	if err := <-done; err == nil {
		t.Error("Wait after Close returned no error")
	}
}

// Ids parse back from their text, order as records do, and refuse what is not one.
func TestID(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0-0", "1733540000000-0", "1733540000000-17", "18446744073709551615-18446744073709551615"} {
		id, err := relay.ParseID(s)
		if err != nil || id.String() != s {
			t.Errorf("ParseID(%q) = %v, %v", s, id, err)
		}
	}
	if id, err := relay.ParseID("5"); err != nil || id != (relay.ID{Ms: 5}) {
		t.Errorf("ParseID(5) = %v, %v", id, err)
	}
	for _, s := range []string{"", "-", "1-", "-1", "a-1", "1-a", "+1-0", " 1-0", "1-0-0", "18446744073709551616-0"} {
		if _, err := relay.ParseID(s); err == nil {
			t.Errorf("ParseID(%q) succeeded", s)
		}
	}
	a, b := relay.ID{Ms: 1, Seq: 5}, relay.ID{Ms: 2}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 || (relay.ID{Ms: 1, Seq: 6}).Compare(a) != 1 {
		t.Error("Compare")
	}
	if got := (relay.ID{Ms: 1733540000000}).Time(); !got.Equal(time.UnixMilli(1733540000000)) {
		t.Errorf("Time = %v", got)
	}
	var id relay.ID
	if err := id.UnmarshalText([]byte("7-8")); err != nil || id != (relay.ID{Ms: 7, Seq: 8}) {
		t.Errorf("UnmarshalText = %v, %v", id, err)
	}
	if err := id.UnmarshalText([]byte("x")); err == nil {
		t.Error("UnmarshalText(x) succeeded")
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"0-0", "1733540000000-17", "5", "1-", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := relay.ParseID(s)
		if err != nil {
			return
		}
		back, err := relay.ParseID(id.String())
		if err != nil || back != id {
			t.Fatalf("%q → %v → %v, %v", s, id, back, err)
		}
	})
}
