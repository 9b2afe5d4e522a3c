package relaytest_test

import (
	"context"
	"flag"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/relay/relaytest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// newRelay is a relay on bbolt behind an httptest server, trusting signer, with a token of
// broadcaster 1001.
func newRelay(t testing.TB, signer *webhooktest.Signer) (*relay.Server, *httptest.Server, string) {
	t.Helper()
	l, err := relay.OpenBolt(filepath.Join(t.TempDir(), "relay.db"), relay.BoltOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithPublicKey(signer.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	tokens := relay.NewMemoryTokens()
	tok, _, err := relay.CreateToken(context.Background(), tokens, relay.Grant{Broadcasters: []int64{1001}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := relay.NewServer(l, tokens, relay.WithWebhookOptions(webhook.WithVerifier(v)), relay.WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		_ = srv.Close()
		_ = l.Close()
	})
	return srv, hs, tok
}

// A load run delivers every delivery to every consumer and measures it: a rate and latencies
// that add up.
func TestLoadRun(t *testing.T) {
	t.Parallel()
	signer, err := webhooktest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	srv, hs, tok := newRelay(t, signer)
	l := &relaytest.Load{Webhooks: []string{hs.URL + relay.DefaultWebhookPath}, Events: []string{hs.URL + relay.DefaultEventsPath},
		Token: tok, Broadcaster: 1001, Signer: signer, Consumers: 3, Rate: 500, PayloadBytes: 1000}
	res, err := l.Run(context.Background(), l.Sign(41))
	if err != nil {
		t.Fatal(err)
	}
	if res.Deliveries != 40 || res.PerSecond <= 0 || res.P50 <= 0 || res.P50 > res.P99 || res.P99 > res.Max || res.Max > res.Elapsed+time.Second || res.CPUPerDelivery <= 0 {
		t.Errorf("result %+v", res)
	}
	if st := srv.Stats(); st.Appended != 41 {
		t.Errorf("the relay appended %d", st.Appended)
	}
	if _, err := l.Run(context.Background(), nil); err == nil {
		t.Error("Run of nothing succeeded")
	}

	// Run's consumers are gone once the relay notices their connections closed.
	for deadline := time.Now().Add(time.Minute); srv.Stats().Consumers != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Run's consumers are still connected: %+v", srv.Stats())
		}
	}
	closeIdle, err := relaytest.OpenIdle(context.Background(), l.Events, tok, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Stats().Consumers; got != 5 {
		t.Errorf("%d consumers, want the 5 idle ones", got)
	}
	closeIdle()
	// The bytes are the whole process's, which the parallel tests move either way: only the
	// benchmark reads them. A stream costs the relay at least its handler's goroutine.
	idle, err := relaytest.MeasureIdle(context.Background(), l.Events, tok, 20)
	if err != nil || idle.Consumers != 20 || idle.GoroutinesPerConsumer < 1 {
		t.Errorf("MeasureIdle = %+v, %v", idle, err)
	}
	if _, err := relaytest.OpenIdle(context.Background(), l.Events, "nope", 1); err == nil {
		t.Error("OpenIdle with a bad token succeeded")
	}
	if _, err := relaytest.OpenIdle(context.Background(), []string{"http://127.0.0.1:1/events"}, tok, 1); err == nil {
		t.Error("OpenIdle without a relay succeeded")
	}
}

// A delivery the relay refuses fails the run: a Signer the relay does not trust.
func TestLoadRunFailsOnRefusal(t *testing.T) {
	t.Parallel()
	trusted, _ := webhooktest.NewSigner()
	other, _ := webhooktest.NewSigner()
	_, hs, tok := newRelay(t, trusted)
	l := &relaytest.Load{Webhooks: []string{hs.URL + relay.DefaultWebhookPath}, Events: []string{hs.URL + relay.DefaultEventsPath},
		Token: tok, Broadcaster: 1001, Signer: other, Consumers: 1}
	if _, err := l.Run(context.Background(), l.Sign(3)); err == nil || !strings.Contains(err.Error(), "status 403") {
		t.Errorf("Run = %v, want the relay's 403", err)
	}
}

// The benchmark drivers report their metrics (run once each: -test.benchtime=1x).
func TestBenchmarkDrivers(t *testing.T) {
	if err := flag.Set("test.benchtime", "1x"); err != nil {
		t.Fatal(err)
	}
	signer, _ := webhooktest.NewSigner()
	_, hs, tok := newRelay(t, signer)
	l := &relaytest.Load{Webhooks: []string{hs.URL + relay.DefaultWebhookPath}, Events: []string{hs.URL + relay.DefaultEventsPath},
		Token: tok, Broadcaster: 1001, Signer: signer, Consumers: 2}
	res := testing.Benchmark(l.Benchmark)
	for _, m := range []string{"deliveries/s", "p50-ms", "p99-ms", "cpu-µs/delivery", "idle-2-core-deliveries/s"} {
		if _, ok := res.Extra[m]; !ok {
			t.Errorf("Benchmark did not report %s: %v", m, res.Extra)
		}
	}
	res = testing.Benchmark(func(b *testing.B) { relaytest.BenchmarkIdle(b, l.Events, tok, 3) })
	if res.Extra["goroutines/consumer"] < 1 || res.Extra["bytes/consumer"] <= 0 {
		t.Errorf("BenchmarkIdle reported %v", res.Extra)
	}
}
