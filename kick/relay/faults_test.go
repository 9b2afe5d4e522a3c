package relay_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// A consumer away for 60 seconds of the relay's clock, while 40 deliveries arrive (each signed
// at its own time, so verified against the clock as it moves), finds every one of them when it
// returns, in order and once, from the cursor it saved in a file before it went.
func TestConsumerAway60sMissesNothing(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	cursors := relay.NewFileCursors(t.TempDir())
	opts := []relay.ConsumerOption{relay.WithCursor(cursors, "bot"), relay.WithStart(relay.ID{})}

	c, stop := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, opts...)
	for _, s := range seq("before-", 0, 5) {
		tr.mustPost(tr.delivery(1001, s))
	}
	c.waitFor(t, 5)
	_ = stop()

	for i := range 40 {
		tr.clock.Advance(1500 * time.Millisecond) // 60 s in all
		tr.mustPost(tr.delivery(1001, fmt.Sprintf("away-%d", i)))
	}
	c2, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, opts...)
	got := contents(t, c2.waitFor(t, 40))
	if diff := cmp.Diff(seq("away-", 0, 40), got); diff != "" {
		t.Errorf("after 60 s away (-want +got):\n%s", diff)
	}
	if gaps := c2.gapErrors(); len(gaps) != 0 {
		t.Errorf("gaps: %v", gaps)
	}
}

// A consumer that returns after retention deleted what it had not read gets an explicit gap,
// naming its cursor and where it resumes, and then the deliveries retention kept.
func TestGapAfterRetention(t *testing.T) {
	t.Parallel()
	// A ring of one record: the consumer reads from the log, as one that has been away long does.
	tr := newTestRelay(t, relayConfig{bolt: relay.BoltOptions{MaxAge: 30 * time.Second}, opts: []relay.Option{relay.WithRingSize(1)}})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	cursors := relay.NewMemoryCursors()
	opts := []relay.ConsumerOption{relay.WithCursor(cursors, "bot"), relay.WithStart(relay.ID{})}
	c, stop := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, opts...)
	tr.mustPost(tr.delivery(1001, "seen"))
	c.waitFor(t, 1)
	_ = stop()
	cursor, _, _ := cursors.Load(context.Background(), "bot")

	tr.mustPost(tr.delivery(1001, "lost-0"))
	tr.mustPost(tr.delivery(1001, "lost-1"))
	tr.clock.Advance(time.Minute) // past retention: the next append trims them
	tr.mustPost(tr.delivery(1001, "kept"))

	c2, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, opts...)
	if diff := cmp.Diff([]string{"kept"}, contents(t, c2.waitFor(t, 1))); diff != "" {
		t.Errorf("after the gap (-want +got):\n%s", diff)
	}
	gaps := c2.gapErrors()
	if len(gaps) != 1 || gaps[0].After != cursor || gaps[0].Reason != "retention" || gaps[0].ResumeAfter.Compare(cursor) <= 0 ||
		!errors.Is(gaps[0], relay.ErrGap) {
		t.Fatalf("gaps = %+v, want one from %s", gaps, cursor)
	}
	if got := tr.srv.Stats().Gaps; got != 1 {
		t.Errorf("Stats().Gaps = %d", got)
	}
}

// rawStream opens a stream without reading it: a consumer that stalls.
func rawStream(t *testing.T, base, token, lastEventID string) net.Conn {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	// A small receive buffer: the relay's writes block once its own send buffer is full.
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nLast-Event-ID: %s\r\n\r\n", u.Path, u.Host, token, lastEventID)
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(line, "200") {
		t.Fatalf("stream: %q, %v", line, err)
	}
	return conn
}

// waitUntil polls cond until it holds, failing after a generous time.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// postMany posts n padded deliveries of channel 1001, concurrently.
func postMany(t *testing.T, tr *testRelay, prefix string, n, pad int) {
	t.Helper()
	ds := make([]webhook.Delivery, n)
	for i := range ds {
		ds[i] = webhooktest.NewDelivery(kicktypes.EventChatMessageSent, chatBody(1001, fmt.Sprintf("%s%d", prefix, i), pad))
		ds[i].Timestamp = tr.clock.Now()
	}
	// In order: the consumers check the order.
	for _, d := range ds {
		tr.mustPost(d)
	}
}

// A consumer that stops reading holds up no one: while it is stalled (and not yet cut off, with a
// write timeout of an hour), another consumer receives all of 500 deliveries of 16 KiB, 8 MB, more
// than the stalled one's connection buffers hold.
func TestStalledConsumerNeverSlowsOthers(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{opts: []relay.Option{relay.WithSlowConsumer(4096, time.Hour)}})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	start, _ := tr.log.Last(context.Background())
	rawStream(t, tr.eventsURL(), tok, start.String())
	fast, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, relay.WithStart(start))
	waitUntil(t, "two consumers", func() bool { return tr.srv.Stats().Consumers == 2 })
	postMany(t, tr, "m-", 500, 16<<10)
	if diff := cmp.Diff(seq("m-", 0, 500), contents(t, fast.waitFor(t, 500))); diff != "" {
		t.Errorf("the reading consumer (-want +got):\n%s", diff)
	}
	if st := tr.srv.Stats(); st.Consumers != 2 || st.CutOff != 0 {
		t.Errorf("Stats = %+v: the stalled consumer should still be connected", st)
	}
}

// A consumer that does not take what is sent within the write timeout is cut off, the others are
// not, and with the cursor it had it gets everything when it comes back.
func TestSlowConsumerCutOffKeepsCursor(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{opts: []relay.Option{relay.WithSlowConsumer(4096, 200*time.Millisecond)}})
	tok := tr.token(relay.Grant{Name: "slow", Broadcasters: []int64{1001}})
	start, _ := tr.log.Last(context.Background())
	stalled := rawStream(t, tr.eventsURL(), tok, start.String())
	fast, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, relay.WithStart(start))
	waitUntil(t, "two consumers", func() bool { return tr.srv.Stats().Consumers == 2 })
	postMany(t, tr, "m-", 500, 16<<10)
	waitUntil(t, "the stalled consumer to be cut off", func() bool { return tr.srv.Stats().CutOff == 1 })
	if diff := cmp.Diff(seq("m-", 0, 500), contents(t, fast.waitFor(t, 500))); diff != "" {
		t.Errorf("the reading consumer (-want +got):\n%s", diff)
	}
	if st := tr.srv.Stats(); st.Consumers != 1 {
		t.Errorf("Stats = %+v, want the reading consumer alone", st)
	}
	// The connection is closed once what the relay wrote is read.
	_ = stalled.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := bufio.NewReader(stalled).Discard(1 << 30); err == nil {
		t.Error("the stalled consumer's connection is still open")
	}
	if !strings.Contains(tr.logText(), "reason=slow") {
		t.Errorf("no log line says why:\n%s", tr.logText())
	}
	back, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, relay.WithStart(start))
	if diff := cmp.Diff(seq("m-", 0, 500), contents(t, back.waitFor(t, 500))); diff != "" {
		t.Errorf("the consumer back with its cursor (-want +got):\n%s", diff)
	}
}

// Forged, replayed, oversized, malformed and repeated deliveries: the relay answers as the
// webhook Handler does, and a consumer reading everything from the start gets the one authentic
// delivery once.
func TestOnlyAuthenticDeliveriesReachConsumers(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{hook: []webhook.HandlerOption{webhook.WithMaxBodyBytes(64 << 10)}})
	tok := tr.token(relay.Grant{AllBroadcasters: true})
	other, err := webhooktest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	forged := tr.delivery(1001, "forged")
	old := tr.delivery(1001, "replayed")
	old.Timestamp = tr.clock.Now().Add(-10 * time.Minute)
	big := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, chatBody(1001, "big", 65<<10))
	big.Timestamp = tr.clock.Now()
	tampered := tr.delivery(1001, "tampered")
	good := tr.delivery(1001, "good")
	for _, tc := range []struct {
		name string
		h    http.Header
		body []byte
		want int
	}{
		{"forged", other.Headers(forged), forged.Body, http.StatusForbidden},
		{"replayed", testSigner().Headers(old), old.Body, http.StatusBadRequest},
		{"oversized", testSigner().Headers(big), big.Body, http.StatusRequestEntityTooLarge},
		{"tampered", testSigner().Headers(tampered), bytes.Replace(tampered.Body, []byte("tampered"), []byte("tempered"), 1), http.StatusForbidden},
		{"unsigned", http.Header{webhook.HeaderEventType: {"chat.message.sent"}}, good.Body, http.StatusBadRequest},
		{"good", testSigner().Headers(good), good.Body, http.StatusOK},
		{"good again", testSigner().Headers(good), good.Body, http.StatusOK},
	} {
		if got := postTo(t, tr.webhookURL(), tc.h, tc.body); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
	if n, _ := tr.log.Len(); n != 1 {
		t.Errorf("the log holds %d records, want 1", n)
	}
	c, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, relay.WithStart(relay.ID{}))
	tr.mustPost(tr.delivery(1001, "last"))
	if diff := cmp.Diff([]string{"good", "last"}, contents(t, c.waitFor(t, 2))); diff != "" {
		t.Errorf("consumer (-want +got):\n%s", diff)
	}
	if st := tr.srv.Stats(); st.Appended != 2 || st.Duplicates != 0 {
		t.Errorf("Stats = %+v", st) // the repeat is answered by the handler's dedup Store
	}
}
