package relay_test

import (
	"testing"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/relay/relaytest"
)

// benchLoad is a load on one relay on bbolt in a temporary directory, with the real clock.
func benchLoad(b *testing.B) *relaytest.Load {
	b.Helper()
	tr := newTestRelay(b, relayConfig{noClock: true})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	return &relaytest.Load{Webhooks: []string{tr.webhookURL()}, Events: []string{tr.eventsURL()}, Token: tok,
		Broadcaster: 1001, Signer: testSigner(), PayloadBytes: 1000}
}

// BenchmarkIngest posts b.N signed deliveries of 1 KB as fast as 64 concurrent senders can (Kick
// posts concurrently) to one relay on the embedded store, which streams each to 20 consumers;
// deliveries/s counts from the first post to the last consumer's receipt of the last delivery.
// Run it with a fixed count: -benchtime=4000x.
func BenchmarkIngest(b *testing.B) {
	l := benchLoad(b)
	l.Consumers, l.Senders = 20, 64
	l.Benchmark(b)
}

// BenchmarkLatency500 posts b.N deliveries at 500 a second to one relay on the embedded store
// streaming to 20 consumers, and reports the latency from the start of each POST to each
// consumer's OnChatMessageSent: p50 and p99. Run it with -benchtime=5000x (10 s).
func BenchmarkLatency500(b *testing.B) {
	l := benchLoad(b)
	l.Consumers, l.Rate = 20, 500
	l.Benchmark(b)
}

// BenchmarkIdle1000 opens 1,000 idle streams on one relay and reports what each costs in memory
// (heap and stacks, both ends of the connection in this process) and goroutines.
func BenchmarkIdle1000(b *testing.B) {
	l := benchLoad(b)
	relaytest.BenchmarkIdle(b, l.Events, l.Token, 1000)
}
