package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/relay/relaytest"
)

// benchRelay is a relay on bbolt in a temporary directory, with the real clock.
func benchRelay(b *testing.B) (*testRelay, *relaytest.Load) {
	b.Helper()
	tr := newTestRelay(b, relayConfig{noClock: true})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	return tr, &relaytest.Load{Webhooks: []string{tr.webhookURL()}, Events: []string{tr.eventsURL()}, Token: tok,
		Broadcaster: 1001, Signer: testSigner(), PayloadBytes: 1000}
}

func report(b *testing.B, res relaytest.Result) {
	b.ReportMetric(res.PerSecond, "deliveries/s")
	b.ReportMetric(float64(res.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(res.CPUPerDelivery.Microseconds()), "cpu-µs/delivery")
	if res.CPUPerDelivery > 0 {
		b.ReportMetric(2*float64(time.Second)/float64(res.CPUPerDelivery), "idle-2-core-deliveries/s")
	}
}

// BenchmarkIngest posts b.N signed deliveries of 1 KB as fast as 64 concurrent senders can (Kick
// posts concurrently) to one relay on the embedded store, which streams each to 20 consumers;
// deliveries/s counts from the first post to the last consumer's receipt of the last delivery.
// Run it with a fixed count: -benchtime=4000x.
func BenchmarkIngest(b *testing.B) {
	_, l := benchRelay(b)
	l.Consumers, l.Senders = 20, 64
	ds := l.Sign(b.N + 1)
	b.ResetTimer()
	res, err := l.Run(context.Background(), ds)
	if err != nil {
		b.Fatal(err)
	}
	report(b, res)
}

// BenchmarkLatency500 posts b.N deliveries at 500 a second to one relay on the embedded store
// streaming to 20 consumers, and reports the latency from the start of each POST to each
// consumer's OnChatMessageSent: p50 and p99. Run it with -benchtime=5000x (10 s).
func BenchmarkLatency500(b *testing.B) {
	_, l := benchRelay(b)
	l.Consumers, l.Rate = 20, 500
	ds := l.Sign(b.N + 1)
	b.ResetTimer()
	res, err := l.Run(context.Background(), ds)
	if err != nil {
		b.Fatal(err)
	}
	report(b, res)
}

// BenchmarkIdle1000 opens 1,000 idle streams on one relay and reports what each costs in memory
// (heap and stacks, both ends of the connection in this process) and goroutines.
func BenchmarkIdle1000(b *testing.B) {
	tr, l := benchRelay(b)
	for b.Loop() {
		idle, err := relaytest.MeasureIdle(context.Background(), l.Events, l.Token, 1000)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(idle.BytesPerConsumer, "bytes/consumer")
		b.ReportMetric(idle.GoroutinesPerConsumer, "goroutines/consumer")
	}
	_ = tr
}
