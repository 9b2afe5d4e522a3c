package kickredis_test

import (
	"context"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/relay/relaytest"
	"github.com/kick-sdk/kick-go/kickredis"
)

// benchReplicas is three relays on one Redis log (each with a client of its own, as separate
// processes would have), and a load on them: Kick posting to each in turn, consumers spread
// over them.
func benchReplicas(b *testing.B) *relaytest.Load {
	b.Helper()
	prefix := newPrefix()
	tc, _ := newClient(b, server(b).Addr)
	tokens, err := kickredis.NewRelayTokens(tc, kickredis.WithPrefix(prefix))
	if err != nil {
		b.Fatal(err)
	}
	tok, _, err := relay.CreateToken(context.Background(), tokens, relay.Grant{Broadcasters: []int64{1001}})
	if err != nil {
		b.Fatal(err)
	}
	l := &relaytest.Load{Token: tok, Broadcaster: 1001, Signer: relaySigner(), PayloadBytes: 1000}
	for range 3 {
		c, _ := newClient(b, server(b).Addr)
		rl, err := kickredis.NewRelayLog(c, kickredis.RelayLogOptions{}, kickredis.WithPrefix(prefix))
		if err != nil {
			b.Fatal(err)
		}
		r, _ := newRelayServer(b, rl, tokens)
		l.Webhooks, l.Events = append(l.Webhooks, r.webhook()), append(l.Events, r.events())
	}
	return l
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

// BenchmarkRelayIngest3 is relay's BenchmarkIngest on three relays sharing one Redis stream:
// b.N deliveries posted by 64 senders to the three in turn, 20 consumers spread over them, each
// receiving every delivery. Run it with -benchtime=4000x.
func BenchmarkRelayIngest3(b *testing.B) {
	l := benchReplicas(b)
	l.Consumers, l.Senders = 20, 64
	ds := l.Sign(b.N + 1)
	b.ResetTimer()
	res, err := l.Run(context.Background(), ds)
	if err != nil {
		b.Fatal(err)
	}
	report(b, res)
}

// BenchmarkRelayLatency500x3 is relay's BenchmarkLatency500 on three relays sharing one Redis
// stream: 500 deliveries a second, 20 consumers. Run it with -benchtime=5000x.
func BenchmarkRelayLatency500x3(b *testing.B) {
	l := benchReplicas(b)
	l.Consumers, l.Rate = 20, 500
	ds := l.Sign(b.N + 1)
	b.ResetTimer()
	res, err := l.Run(context.Background(), ds)
	if err != nil {
		b.Fatal(err)
	}
	report(b, res)
}

// BenchmarkRelayIdle1000x3 opens 1,000 idle streams spread over three relays on Redis.
func BenchmarkRelayIdle1000x3(b *testing.B) {
	l := benchReplicas(b)
	for b.Loop() {
		idle, err := relaytest.MeasureIdle(context.Background(), l.Events, l.Token, 1000)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(idle.BytesPerConsumer, "bytes/consumer")
		b.ReportMetric(idle.GoroutinesPerConsumer, "goroutines/consumer")
	}
}
