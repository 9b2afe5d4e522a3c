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
