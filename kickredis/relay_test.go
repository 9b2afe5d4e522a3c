package kickredis_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
	"github.com/kick-sdk/kick-go/kickredis"
)

var relaySigner = sync.OnceValue(func() *webhooktest.Signer {
	s, err := webhooktest.NewSigner()
	if err != nil {
		panic(err)
	}
	return s
})

func chatDelivery(broadcaster int64, content string) webhook.Delivery {
	body := fmt.Appendf(nil, `{"message_id":"m","replies_to":null,"broadcaster":{"is_anonymous":false,"user_id":%d,"username":"b","is_verified":false,"profile_picture":"","channel_slug":"b","identity":null},"sender":{"is_anonymous":false,"user_id":7,"username":"v","is_verified":false,"profile_picture":"","channel_slug":"v","identity":null},"content":%q,"emotes":[],"created_at":"2025-01-14T16:08:06Z"}`, broadcaster, content)
	return webhooktest.NewDelivery(kicktypes.EventChatMessageSent, body)
}

func relayRecord(id string, broadcaster int64) *relay.Record {
	d := chatDelivery(broadcaster, id)
	d.MessageID = id
	return &relay.Record{Delivery: d, BroadcasterUserID: broadcaster}
}

// The log on a Redis stream: ids in order with each record's Prev, Kick's retry of a delivery
// (the same key) appended once whichever relay gets it, reads after an id, Last, Wait.
func TestRelayLog(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, server(t).Addr)
	prefix := newPrefix()
	l1, err := kickredis.NewRelayLog(c, kickredis.RelayLogOptions{}, kickredis.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	l2, _ := kickredis.NewRelayLog(c, kickredis.RelayLogOptions{}, kickredis.WithPrefix(prefix))
	ctx := context.Background()
	if last, err := l1.Last(ctx); err != nil || !last.IsZero() {
		t.Fatalf("Last of an empty log = %v, %v", last, err)
	}
	a, b, again := relayRecord("a", 1), relayRecord("b", 2), relayRecord("a", 1)
	if ok, err := l1.Append(ctx, a); !ok || err != nil || !a.Prev.IsZero() {
		t.Fatalf("Append a = %v, %v, prev %v", ok, err, a.Prev)
	}
	if ok, err := l2.Append(ctx, again); ok || err != nil || again.ID != a.ID {
		t.Fatalf("Append a again on another relay = %v, %v, id %v", ok, err, again.ID)
	}
	if ok, err := l2.Append(ctx, b); !ok || err != nil || b.Prev != a.ID {
		t.Fatalf("Append b = %v, %v, prev %v", ok, err, b.Prev)
	}
	got, err := l1.Read(ctx, relay.ID{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]relay.Record{*a, *b}, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
	if got, _ := l1.Read(ctx, a.ID, 10); len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("Read after a: %v", got)
	}
	if last, _ := l2.Last(ctx); last != b.ID {
		t.Errorf("Last = %v", last)
	}
	waited := make(chan []relay.Record, 1)
	go func() {
		recs, _ := l2.Wait(ctx, b.ID, 10)
		waited <- recs
	}()
	cr := relayRecord("c", 1)
	if _, err := l1.Append(ctx, cr); err != nil {
		t.Fatal(err)
	}
	if recs := <-waited; len(recs) != 1 || recs[0].Delivery.MessageID != "c" {
		t.Errorf("Wait = %v", recs)
	}
	wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := l2.Wait(wctx, cr.ID, 10); err == nil {
		t.Error("Wait with nothing new returned no error")
	}
}

// Retention by length trims from the front (approximately, as MAXLEN ~ does); a consumer asking
// for what was trimmed gets a gap.
func TestRelayLogRetentionGap(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, server(t).Addr)
	l, err := kickredis.NewRelayLog(c, kickredis.RelayLogOptions{MaxLen: 10}, kickredis.WithPrefix(newPrefix()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 400 {
		if _, err := l.Append(ctx, relayRecord(fmt.Sprintf("r%d", i), 1)); err != nil {
			t.Fatal(err)
		}
	}
	n, _ := l.Len(ctx)
	if n >= 400 || n < 10 {
		t.Fatalf("XLEN = %d after 400 appends with MAXLEN ~ 10", n)
	}
	srv, _ := newRelayServer(t, l, relay.NewMemoryTokens())
	tok, _, _ := relay.CreateToken(ctx, srv.tokens, relay.Grant{Broadcasters: []int64{1}})
	var gap *relay.GapError
	count := 0
	for d, err := range relay.Subscribe(ctx, srv.events(), tok, relay.Filter{}, relay.WithStart(relay.ID{})) {
		if errors.As(err, &gap) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		count++
		if d.MessageID == "r399" {
			break
		}
	}
	if gap == nil || count != int(n) {
		t.Errorf("gap %v, %d deliveries, stream holds %d", gap, count, n)
	}
}

// relayServer is a relay on a RelayLog behind an httptest server.
type relayServer struct {
	srv    *relay.Server
	http   *httptest.Server
	tokens relay.TokenStore
}

func (r *relayServer) events() string  { return r.http.URL + relay.DefaultEventsPath }
func (r *relayServer) webhook() string { return r.http.URL + relay.DefaultWebhookPath }

// kill stops the relay at once: connections cut, nothing drained.
func (r *relayServer) kill() {
	r.http.CloseClientConnections()
	r.http.Close()
	_ = r.srv.Close()
}

func newRelayServer(t testing.TB, l relay.Log, tokens relay.TokenStore, opts ...relay.Option) (*relayServer, error) {
	t.Helper()
	v, err := webhook.NewVerifier(webhook.WithPublicKey(relaySigner().PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]relay.Option{relay.WithWebhookOptions(webhook.WithVerifier(v)),
		relay.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, opts...)
	srv, err := relay.NewServer(l, tokens, opts...)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	r := &relayServer{srv: srv, http: hs, tokens: tokens}
	t.Cleanup(r.kill)
	return r, nil
}

// noDedup lets every delivery through, so that a delivery the relays streamed twice shows.
type noDedup struct{}

func (noDedup) Claim(context.Context, string, time.Duration) error    { return nil }
func (noDedup) Complete(context.Context, string, time.Duration) error { return nil }
func (noDedup) Release(context.Context, string) error                 { return nil }

// Three relays on one real redis-server: Kick's deliveries reach them through a round-robin
// load balancer (a failed post goes to the next relay, as Kick's retry would through one), a
// consumer connected to the first resumes on the second when the first is killed, and it
// receives every delivery exactly once, in the log's order — with no dedup of its own, so a
// delivery streamed twice would show. A token made on one relay works on all.
func TestRelayReplicasKillOne(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, server(t).Addr)
	prefix := newPrefix()
	tokens, err := kickredis.NewRelayTokens(c, kickredis.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	var replicas []*relayServer
	for range 3 {
		l, err := kickredis.NewRelayLog(c, kickredis.RelayLogOptions{}, kickredis.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		r, _ := newRelayServer(t, l, tokens)
		replicas = append(replicas, r)
	}
	ctx := context.Background()
	tok, _, err := relay.CreateToken(ctx, tokens, relay.Grant{Broadcasters: []int64{1001}})
	if err != nil {
		t.Fatal(err)
	}
	received := make(chan *webhook.Delivery, 1000)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var failovers atomic.Int64
	go func() {
		for d, err := range relay.Subscribe(cctx, replicas[0].events(), tok, relay.Filter{}, relay.WithStart(relay.ID{}),
			relay.WithFallbackURLs(replicas[1].events(), replicas[2].events()), relay.WithDedupStore(noDedup{}),
			relay.WithBackoff(10*time.Millisecond, 100*time.Millisecond), relay.WithConsumerErrorHook(func(error) { failovers.Add(1) })) {
			if err != nil {
				continue
			}
			received <- d
		}
	}()

	const n = 150
	var next atomic.Int64
	var dead atomic.Bool
	post := func(d webhook.Delivery) {
		for {
			i := int(next.Add(1)) % 3
			if i == 0 && dead.Load() {
				continue
			}
			d.Timestamp = time.Now().UTC()
			if status, err := sendSigned(replicas[i].webhook(), d); err == nil && status == http.StatusOK {
				return
			}
		}
	}
	var want []string
	var wg sync.WaitGroup
	for i := range n {
		d := chatDelivery(1001, fmt.Sprintf("m-%d", i))
		want = append(want, d.MessageID)
		if i == n/3 {
			wg.Wait()
			dead.Store(true)
			replicas[0].kill()
		}
		wg.Go(func() { post(d) })
		if i%10 == 9 {
			wg.Wait()
		}
	}
	wg.Wait()
	got := map[string]int{}
	deadline := time.After(time.Minute)
	for len(got) < n {
		select {
		case d := <-received:
			got[d.MessageID]++
		case <-deadline:
			t.Fatalf("received %d of %d deliveries", len(got), n)
		}
	}
	select {
	case d := <-received:
		got[d.MessageID]++
	case <-time.After(300 * time.Millisecond):
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("delivery %s received %d times", id, got[id])
		}
	}
	if failovers.Load() == 0 {
		t.Error("the consumer never reconnected: it was not on the killed relay")
	}
}

func sendSigned(url string, d webhook.Delivery) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header = relaySigner().Headers(d)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// Tokens, cursors and the sync lock on Redis.
func TestRelayStores(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, server(t).Addr)
	prefix := newPrefix()
	ctx := context.Background()
	tokens, _ := kickredis.NewRelayTokens(c, kickredis.WithPrefix(prefix))
	tok, g, err := relay.CreateToken(ctx, tokens, relay.Grant{Name: "bot", Broadcasters: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := tokens.Lookup(ctx, relay.HashToken(tok)); err != nil || got.ID != g.ID || got.Name != "bot" {
		t.Errorf("Lookup = %+v, %v", got, err)
	}
	raw, _ := c.HGetAll(ctx, prefix+"relay:tokens").Result()
	for d, v := range raw {
		if d == tok || bytes.Contains([]byte(v), []byte(tok)) {
			t.Error("Redis holds the token")
		}
	}
	_, g2, _ := relay.CreateToken(ctx, tokens, relay.Grant{AllBroadcasters: true})
	if list, err := tokens.List(ctx); err != nil || len(list) != 2 || list[0].ID != g.ID || list[1].ID != g2.ID {
		t.Errorf("List = %+v, %v", list, err)
	}
	if err := tokens.Revoke(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.Lookup(ctx, relay.HashToken(tok)); !errors.Is(err, relay.ErrUnknownToken) {
		t.Errorf("revoked: %v", err)
	}
	if err := tokens.Revoke(ctx, g.ID); !errors.Is(err, relay.ErrUnknownToken) {
		t.Errorf("revoked twice: %v", err)
	}

	cursors, _ := kickredis.NewRelayCursors(c, kickredis.WithPrefix(prefix))
	if _, ok, err := cursors.Load(ctx, "bot"); ok || err != nil {
		t.Errorf("Load of nothing = %v, %v", ok, err)
	}
	if err := cursors.Save(ctx, "bot", relay.ID{Ms: 5, Seq: 6}); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := cursors.Load(ctx, "bot"); !ok || err != nil || id != (relay.ID{Ms: 5, Seq: 6}) {
		t.Errorf("Load = %v, %v, %v", id, ok, err)
	}

	a, _ := kickredis.NewRelayLock(c, "", kickredis.WithPrefix(prefix))
	b, _ := kickredis.NewRelayLock(c, "", kickredis.WithPrefix(prefix))
	for _, step := range []struct {
		l    *kickredis.RelayLock
		want bool
	}{{a, true}, {b, false}, {a, true}} {
		if got, err := step.l.Acquire(ctx, time.Minute); got != step.want || err != nil {
			t.Fatalf("Acquire = %v, %v, want %v", got, err, step.want)
		}
	}
	if err := c.Del(ctx, prefix+"relay:{default}:synclock").Err(); err != nil { // a expired
		t.Fatal(err)
	}
	if got, _ := b.Acquire(ctx, time.Minute); !got {
		t.Error("the lock was not taken over once free")
	}
	var _ redis.UniversalClient = c
}
