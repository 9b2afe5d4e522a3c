package webhook_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/benchpair"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// The pairs of `make bench` for the webhook package: impl=raw is the least a hand-written receiver
// does, impl=kick the package, impl=pair both alternately, op by op, reporting the ratio of their
// times (kick/raw; tools/benchratio prints it and its inverse, the throughput ratio).
//
//	go test -run='^$' -bench='^BenchmarkWebhook' -benchmem ./kick/webhook/

// rawVerifyDecode is the raw baseline of a delivery: base64-decode the signature, SHA-256 over
// id.timestamp.body, rsa.VerifyPKCS1v15, json.Unmarshal into a plain struct. No header checks, no
// replay window, no tolerance.
func rawVerifyDecode(pub *rsa.PublicKey, h http.Header, body []byte) (*rawChat, error) {
	sig, err := base64.StdEncoding.DecodeString(h.Get(webhook.HeaderSignature))
	if err != nil {
		return nil, err
	}
	id, ts := h.Get(webhook.HeaderMessageID), h.Get(webhook.HeaderMessageTimestamp)
	msg := make([]byte, 0, len(id)+len(ts)+len(body)+2)
	msg = append(append(append(append(append(msg, id...), '.'), ts...), '.'), body...)
	digest := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return nil, err
	}
	var m rawChat
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// BenchmarkWebhookVerifyDecode pairs Verifier.Verify and Delivery.Event into *ChatMessageSent with
// rawVerifyDecode, on the same chat message, headers and key.
func BenchmarkWebhookVerifyDecode(b *testing.B) {
	body := chatBody(b)
	h := eventHeaders(testMessageID, testTimestamp, body)
	v := newVerifier(b, webhook.WithClock(fixedClock(testTime)))
	pub := testSigner().PublicKey()
	ctx := context.Background()

	raw := func(tb testing.TB) {
		m, err := rawVerifyDecode(pub, h, body)
		if err != nil {
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
	benchWebhookPair(b, int64(len(body)), raw, kick)
}

// BenchmarkWebhookHandler pairs a whole delivery through the Handler (method and header checks,
// the body read with its limit and deadline, verification, the claim and completion of the
// message id, decoding, dispatch to a function) with a hand-written http.HandlerFunc that reads
// the body under http.MaxBytesReader, runs rawVerifyDecode and answers 200. Both serve the same
// signed request, built afresh for every op; the store forgets every id, so that it can be served
// again and again. The ResponseWriter is a recorder that, like net/http's server's, sets read
// deadlines on a connection (a real loopback one): the Handler bounds the body's read with it.
func BenchmarkWebhookHandler(b *testing.B) {
	benchWebhookHandler(b, true)
}

// BenchmarkWebhookHandlerNoDeadline is BenchmarkWebhookHandler behind a ResponseWriter that cannot
// set read deadlines (a middleware's writer without Unwrap): the Handler then bounds the read with
// a goroutine and a timer of its own.
func BenchmarkWebhookHandlerNoDeadline(b *testing.B) {
	benchWebhookHandler(b, false)
}

// deadlineRecorder is an httptest.ResponseRecorder whose read deadlines go to conn, as those of
// net/http's server go to the request's connection.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

func (w deadlineRecorder) SetReadDeadline(t time.Time) error { return w.conn.SetReadDeadline(t) }

// loopbackConn returns the client end of a TCP connection on loopback, closed with b.
func loopbackConn(b *testing.B) net.Conn {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = conn.Close() })
	peer, err := ln.Accept() // the kernel has completed the handshake: Accept does not wait
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = peer.Close() })
	return conn
}

func benchWebhookHandler(b *testing.B, deadlines bool) {
	var conn net.Conn
	if deadlines {
		conn = loopbackConn(b)
	}
	body := chatBody(b)
	v := newVerifier(b, webhook.WithClock(fixedClock(testTime)))
	h, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithStore(forgetfulStore{}))
	if err != nil {
		b.Fatal(err)
	}
	var got int64
	h.OnChatMessageSent(func(_ context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error {
		got = e.Sender.UserID
		return nil
	})
	pub := testSigner().PublicKey()
	rawHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		m, err := rawVerifyDecode(pub, r.Header, b)
		if err != nil {
			http.Error(w, "verify", http.StatusForbidden)
			return
		}
		got = m.Sender.UserID
		w.WriteHeader(http.StatusOK)
	})
	d := webhooktest.NewDelivery(kick.EventChatMessageSent, body)
	d.Timestamp = testTime
	header := testSigner().Headers(d)
	serve := func(tb testing.TB, handler http.Handler) {
		got = 0
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header = header
		w := httptest.NewRecorder()
		if conn != nil {
			handler.ServeHTTP(deadlineRecorder{w, conn}, req)
		} else {
			handler.ServeHTTP(w, req)
		}
		if w.Code != http.StatusOK || got == 0 {
			tb.Fatalf("status %d, sender %d", w.Code, got)
		}
	}
	benchWebhookPair(b, int64(len(body)),
		func(tb testing.TB) { serve(tb, rawHandler) },
		func(tb testing.TB) { serve(tb, h) })
}

// benchWebhookPair runs raw and kick as impl=raw, impl=kick and impl=pair (benchpair.Run).
func benchWebhookPair(b *testing.B, size int64, raw, kick func(testing.TB)) {
	benchpair.Run(b, raw, kick, func(b *testing.B) { b.SetBytes(size) })
}
