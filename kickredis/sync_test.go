package kickredis_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kickredis"
)

func newSyncStore(t testing.TB, c redis.UniversalClient, opts ...kickredis.Option) *kickredis.SyncStore {
	t.Helper()
	s, err := kickredis.NewSyncStore(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Three replicas, each with its own Redis client and SyncStore on one Redis, sync an app's
// events at once, seven times, while Kick's listing never shows a new subscription (the issue's
// case: 7 subscriptions per event after 7 syncs of two replicas): one subscription per event,
// the whole time.
func TestSyncReplicasOnRedis(t *testing.T) {
	t.Parallel()
	srv := server(t)
	prefix := newPrefix()
	s := kicktest.New(t, kicktest.WithWebhookURL("http://127.0.0.1:9/kick/webhook"))
	s.SetListingLag(-1)
	const replicas = 3
	clients := make([]*kick.Client, replicas)
	for i := range clients {
		c, _ := newClient(t, srv.Addr)
		clients[i] = s.MustClient(kicktest.Streamer.UserID, kick.WithSyncStore(newSyncStore(t, c, kickredis.WithPrefix(prefix))))
	}
	p := kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, ConfirmAttempts: -1,
		Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}}}
	for run := range 7 {
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Go(func() {
				if _, err := c.Events.Sync(t.Context(), p); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := len(s.EventSubscriptions(0)); n != 2 {
			t.Fatalf("after run %d: %d subscriptions for 2 events", run, n)
		}
	}
}

// The store's semantics: Get of nothing is "", CompareAndSwap sets only over the expected value,
// with its TTL, and deletes with an empty value.
func TestSyncStore(t *testing.T) {
	t.Parallel()
	srv := server(t)
	c, _ := newClient(t, srv.Addr)
	prefix := newPrefix()
	s := newSyncStore(t, c, kickredis.WithPrefix(prefix))
	ctx := t.Context()
	step := func(old, value string, want bool) {
		t.Helper()
		if ok, err := s.CompareAndSwap(ctx, "k", old, value, time.Minute); err != nil || ok != want {
			t.Errorf("CompareAndSwap(%q → %q) = %v, %v; want %v", old, value, ok, err, want)
		}
	}
	get := func(want string) {
		t.Helper()
		if v, err := s.Get(ctx, "k"); err != nil || v != want {
			t.Errorf("Get = %q, %v; want %q", v, err, want)
		}
	}
	get("")
	step("x", "a", false)
	step("", "a", true)
	get("a")
	step("", "b", false)
	step("a", "b", true)
	if ttl, _ := c.PTTL(ctx, prefix+"k").Result(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("PTTL %v", ttl)
	}
	step("b", "", true)
	get("")
	if n, _ := c.Exists(ctx, prefix+"k").Result(); n != 0 {
		t.Error("the key is still there")
	}
	if got, want := s.String(), "kickredis.SyncStore{Prefix: \""+prefix+"\"}"; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Get(canceled, "k"); !errors.Is(err, kickredis.ErrUnavailable) {
		t.Errorf("Get with a canceled context: %v", err)
	}
	if _, err := s.CompareAndSwap(canceled, "k", "", "a", time.Minute); !errors.Is(err, kickredis.ErrUnavailable) {
		t.Errorf("CompareAndSwap with a canceled context: %v", err)
	}
	if _, err := kickredis.NewSyncStore(nil); err == nil {
		t.Error("NewSyncStore(nil) succeeded")
	}
	if _, err := kickredis.NewSyncStore(c, nil); err == nil {
		t.Error("NewSyncStore with a nil option succeeded")
	}
}
