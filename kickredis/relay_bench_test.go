package kickredis_test

import (
	"context"
	"testing"

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

// BenchmarkRelayIngest3 is relay's BenchmarkIngest on three relays sharing one Redis stream:
// b.N deliveries posted by 64 senders to the three in turn, 20 consumers spread over them, each
// receiving every delivery. Run it with -benchtime=4000x.
func BenchmarkRelayIngest3(b *testing.B) {
	l := benchReplicas(b)
	l.Consumers, l.Senders = 20, 64
	l.Benchmark(b)
}

// BenchmarkRelayLatency500x3 is relay's BenchmarkLatency500 on three relays sharing one Redis
// stream: 500 deliveries a second, 20 consumers. Run it with -benchtime=5000x.
func BenchmarkRelayLatency500x3(b *testing.B) {
	l := benchReplicas(b)
	l.Consumers, l.Rate = 20, 500
	l.Benchmark(b)
}

// BenchmarkRelayIdle1000x3 opens 1,000 idle streams spread over three relays on Redis.
func BenchmarkRelayIdle1000x3(b *testing.B) {
	l := benchReplicas(b)
	relaytest.BenchmarkIdle(b, l.Events, l.Token, 1000)
}
