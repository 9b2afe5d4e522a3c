package webhook_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
)

// BenchmarkWebhookVerifyDecode pairs the two halves of BenchmarkVerifyDecode and
// BenchmarkRawBaseline for `make bench`: impl=raw is the raw baseline (base64, SHA-256,
// rsa.VerifyPKCS1v15, json.Unmarshal into a plain struct), impl=kick is Verifier.Verify and
// Delivery.Event into *ChatMessageSent, on the same chat message, headers and key. impl=pair runs
// both alternately, op by op, and reports the ratio of their times (kick/raw): the throughput
// ratio is its inverse. tools/benchratio prints both.
//
//	go test -run='^$' -bench='^BenchmarkWebhookVerifyDecode$' -benchmem ./kick/webhook/
func BenchmarkWebhookVerifyDecode(b *testing.B) {
	body := chatBody(b)
	h := eventHeaders(testMessageID, testTimestamp, body)
	v := newVerifier(b, webhook.WithClock(fixedClock(testTime)))
	pub := testSigner().PublicKey()
	ctx := context.Background()

	raw := func(tb testing.TB) {
		sig, err := base64.StdEncoding.DecodeString(h.Get(webhook.HeaderSignature))
		if err != nil {
			tb.Fatal(err)
		}
		id, ts := h.Get(webhook.HeaderMessageID), h.Get(webhook.HeaderMessageTimestamp)
		msg := make([]byte, 0, len(id)+len(ts)+len(body)+2)
		msg = append(append(append(append(append(msg, id...), '.'), ts...), '.'), body...)
		digest := sha256.Sum256(msg)
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
			tb.Fatal(err)
		}
		var m rawChat
		if err := json.Unmarshal(body, &m); err != nil {
			tb.Fatal(err)
		}
		if m.Sender.UserID == 0 {
			tb.Fatal("not decoded")
		}
	}
	kick := func(tb testing.TB) {
		d, err := v.Verify(ctx, h, body)
		if err != nil {
			tb.Fatal(err)
		}
		e, err := d.Event()
		if err != nil {
			tb.Fatal(err)
		}
		if e.(*webhook.ChatMessageSent).Sender.UserID == 0 {
			tb.Fatal("not decoded")
		}
	}

	for _, impl := range []struct {
		name string
		op   func(testing.TB)
	}{{"impl=raw", raw}, {"impl=kick", kick}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				impl.op(b)
			}
		})
	}
	b.Run("impl=pair", func(b *testing.B) {
		var tRaw, tKick time.Duration
		n := 0
		for b.Loop() {
			first, second := raw, kick
			if n%2 == 1 {
				first, second = kick, raw
			}
			t0 := time.Now()
			first(b)
			t1 := time.Now()
			second(b)
			t2 := time.Now()
			if n%2 == 0 {
				tRaw, tKick = tRaw+t1.Sub(t0), tKick+t2.Sub(t1)
			} else {
				tKick, tRaw = tKick+t1.Sub(t0), tRaw+t2.Sub(t1)
			}
			n++
		}
		b.ReportMetric(float64(tRaw.Nanoseconds())/float64(n), "raw-ns/op")
		b.ReportMetric(float64(tKick.Nanoseconds())/float64(n), "kick-ns/op")
		b.ReportMetric(float64(tKick)/float64(tRaw), "kick/raw")
	})
}
