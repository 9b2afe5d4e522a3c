package webhook_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

const (
	testMessageID      = "01KBHE78QE4HZY1617DK5FC7YD"
	testSubscriptionID = "01KCTSYW6C36ZF1PVDRZHG1QSD"
	testTimestamp      = "2025-01-14T16:08:06Z"
)

var testTime = mustTime(testTimestamp)

// eventHeaders returns the headers of a chat.message.sent delivery signed by the test key.
func eventHeaders(id, ts string, body []byte) http.Header {
	h := http.Header{}
	h.Set(webhook.HeaderMessageID, id)
	h.Set(webhook.HeaderSubscriptionID, testSubscriptionID)
	h.Set(webhook.HeaderMessageTimestamp, ts)
	h.Set(webhook.HeaderEventType, string(kick.EventChatMessageSent))
	h.Set(webhook.HeaderEventVersion, "1")
	h.Set(webhook.HeaderSignature, testSigner().Sign(id, ts, body))
	return h
}

func chatBody(t testing.TB) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(fixtureDir, "chat.message.sent.json"))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestVerifyValid(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	v := newVerifier(t, webhook.WithClock(fixedClock(testTime)))
	got, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body)
	if err != nil {
		t.Fatal(err)
	}
	want := &webhook.Delivery{
		MessageID:      testMessageID,
		SubscriptionID: testSubscriptionID,
		Type:           kick.EventChatMessageSent,
		Version:        1,
		Timestamp:      testTime,
		Body:           body,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Each way a delivery can be tampered with or malformed is rejected with its own sentinel.
func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	valid := func() http.Header { return eventHeaders(testMessageID, testTimestamp, body) }
	with := func(name, value string) http.Header {
		h := valid()
		h.Set(name, value)
		return h
	}
	without := func(name string) http.Header {
		h := valid()
		h.Del(name)
		return h
	}
	reordered := reorderKeys(t, body)
	tests := []struct {
		name   string
		header http.Header
		body   []byte
		want   error
	}{
		{"one extra byte in the body", valid(), append(bytes.Clone(body), ' '), webhook.ErrSignatureMismatch},
		{"one byte less", valid(), body[:len(body)-1], webhook.ErrSignatureMismatch},
		{"changed timestamp", with(webhook.HeaderMessageTimestamp, "2025-01-14T16:08:07Z"), body, webhook.ErrSignatureMismatch},
		{"same instant, other offset", with(webhook.HeaderMessageTimestamp, "2025-01-14T17:08:06+01:00"), body, webhook.ErrSignatureMismatch},
		{"changed message id", with(webhook.HeaderMessageID, "01KBHE78QE4HZY1617DK5FC7YE"), body, webhook.ErrSignatureMismatch},
		{"re-serialized body with reordered keys", valid(), reordered, webhook.ErrSignatureMismatch},
		{"signature of another delivery", with(webhook.HeaderSignature, testSigner().Sign("x", testTimestamp, body)), body, webhook.ErrSignatureMismatch},
		{"truncated signature", with(webhook.HeaderSignature, valid().Get(webhook.HeaderSignature)[:100]), body, webhook.ErrSignatureMismatch},
		{"non-base64 signature", with(webhook.HeaderSignature, "not base64!"), body, webhook.ErrInvalidSignatureEncoding},
		{"URL-safe base64 signature", with(webhook.HeaderSignature, "-_-_"), body, webhook.ErrInvalidSignatureEncoding},
		{"huge signature", with(webhook.HeaderSignature, string(bytes.Repeat([]byte("A"), 4096))), body, webhook.ErrInvalidHeader},
		{"missing message id", without(webhook.HeaderMessageID), body, webhook.ErrMissingHeader},
		{"missing timestamp", without(webhook.HeaderMessageTimestamp), body, webhook.ErrMissingHeader},
		{"missing signature", without(webhook.HeaderSignature), body, webhook.ErrMissingHeader},
		{"empty signature", with(webhook.HeaderSignature, ""), body, webhook.ErrMissingHeader},
		{"missing type", without(webhook.HeaderEventType), body, webhook.ErrMissingHeader},
		{"missing version", without(webhook.HeaderEventVersion), body, webhook.ErrMissingHeader},
		{"no headers at all", http.Header{}, body, webhook.ErrMissingHeader},
		{"repeated signature", func() http.Header { h := valid(); h.Add(webhook.HeaderSignature, "AAAA"); return h }(), body, webhook.ErrInvalidHeader},
		{"repeated type", func() http.Header { h := valid(); h.Add(webhook.HeaderEventType, "kicks.gifted"); return h }(), body, webhook.ErrInvalidHeader},
		{"message id with a dot", with(webhook.HeaderMessageID, testMessageID+"."+testTimestamp), body, webhook.ErrInvalidHeader},
		{"message id with a space", with(webhook.HeaderMessageID, "a b"), body, webhook.ErrInvalidHeader},
		{"timestamp not RFC 3339", with(webhook.HeaderMessageTimestamp, "Tue, 14 Jan 2025 16:08:06 GMT"), body, webhook.ErrInvalidTimestamp},
		{"timestamp without offset", with(webhook.HeaderMessageTimestamp, "2025-01-14T16:08:06"), body, webhook.ErrInvalidTimestamp},
		{"timestamp with a body prefix", with(webhook.HeaderMessageTimestamp, testTimestamp+".{"), body, webhook.ErrInvalidTimestamp},
	}
	v := newVerifier(t, webhook.WithClock(fixedClock(testTime)))
	sentinels := []error{
		webhook.ErrSignatureMismatch, webhook.ErrInvalidSignatureEncoding, webhook.ErrMissingHeader,
		webhook.ErrInvalidHeader, webhook.ErrInvalidTimestamp, webhook.ErrTooOld, webhook.ErrTooNew, webhook.ErrNoKey,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := v.Verify(context.Background(), tt.header, tt.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, %v; want %v", d, err, tt.want)
			}
			if d != nil {
				t.Errorf("Verify returned a delivery with the error %v", err)
			}
			for _, s := range sentinels {
				if !errors.Is(s, tt.want) && errors.Is(err, s) {
					t.Errorf("error %v also matches %v", err, s)
				}
			}
		})
	}
}

// reorderKeys decodes body and encodes it again with sorted keys, the way a framework that parses
// JSON before the handler sees it would.
func reorderKeys(t *testing.T, body []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(out, body) {
		t.Fatal("re-serializing did not change the body")
	}
	return out
}

// Kick escapes '&' as \u0026: a body decoded and encoded again no longer verifies, the raw one
// does.
func TestVerifyNeedsTheRawBody(t *testing.T) {
	t.Parallel()
	raw := []byte(`{"message_id":"m","content":"salt \u0026 pepper","emotes":[]}`)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	reencoded := bytes.TrimSpace(buf.Bytes())
	v := newVerifier(t, webhook.WithClock(fixedClock(testTime)))
	h := eventHeaders(testMessageID, testTimestamp, raw)
	if _, err := v.Verify(context.Background(), h, raw); err != nil {
		t.Errorf("raw body: %v", err)
	}
	if _, err := v.Verify(context.Background(), h, reencoded); !errors.Is(err, webhook.ErrSignatureMismatch) {
		t.Errorf("re-encoded body %s: got %v, want ErrSignatureMismatch", reencoded, err)
	}
}

// An old delivery verifies with the clock set to its time, and is too old without.
func TestVerifyOldDelivery(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	h := eventHeaders(testMessageID, testTimestamp, body)

	then := newVerifier(t, webhook.WithClock(fixedClock(testTime.Add(4*time.Minute))))
	if _, err := then.Verify(context.Background(), h, body); err != nil {
		t.Errorf("with the clock at its time: %v", err)
	}
	now := newVerifier(t)
	if _, err := now.Verify(context.Background(), h, body); !errors.Is(err, webhook.ErrTooOld) {
		t.Errorf("with the real clock: got %v, want ErrTooOld", err)
	}
}

func TestVerifyTolerance(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	h := eventHeaders(testMessageID, testTimestamp, body)
	tests := []struct {
		name      string
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"on time", testTime, 0, nil},
		{"5 minutes late", testTime.Add(5 * time.Minute), 0, nil},
		{"5 minutes and 1 ns late", testTime.Add(5*time.Minute + 1), 0, webhook.ErrTooOld},
		{"5 minutes early", testTime.Add(-5 * time.Minute), 0, nil},
		{"5 minutes and 1 ns early", testTime.Add(-5*time.Minute - 1), 0, webhook.ErrTooNew},
		{"1 hour late, 2 hours of tolerance", testTime.Add(time.Hour), 2 * time.Hour, nil},
		{"31 seconds late, 30 s of tolerance", testTime.Add(31 * time.Second), 30 * time.Second, webhook.ErrTooOld},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := []webhook.VerifierOption{webhook.WithClock(fixedClock(tt.now))}
			if tt.tolerance != 0 {
				opts = append(opts, webhook.WithTolerance(tt.tolerance))
			}
			_, err := newVerifier(t, opts...).Verify(context.Background(), h, body)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// A stale timestamp with a bad signature is a signature failure: ErrTooOld only ever describes an
// authentic delivery.
func TestVerifyChecksTheSignatureBeforeTheTime(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	h := eventHeaders(testMessageID, testTimestamp, body)
	h.Set(webhook.HeaderSignature, testSigner().Sign("other", testTimestamp, body))
	_, err := newVerifier(t).Verify(context.Background(), h, body)
	if !errors.Is(err, webhook.ErrSignatureMismatch) {
		t.Errorf("got %v, want ErrSignatureMismatch", err)
	}
}

// Timestamps may carry fractional seconds and offsets; the signature covers them as sent.
func TestVerifyTimestampForms(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	for _, ts := range []string{
		"2025-01-14T16:08:06Z",
		"2025-01-14T16:08:06.5Z",
		"2025-01-14T16:08:06.123456789Z",
		"2025-01-15T03:08:06+11:00",
		"2025-01-14T12:38:06.323-03:30",
	} {
		t.Run(ts, func(t *testing.T) {
			t.Parallel()
			d, err := newVerifier(t, webhook.WithClock(fixedClock(testTime))).Verify(context.Background(), eventHeaders(testMessageID, ts, body), body)
			if err != nil {
				t.Fatal(err)
			}
			if want := mustTime(ts); !d.Timestamp.Equal(want) || d.Timestamp.Format(time.RFC3339Nano) != ts {
				t.Errorf("Timestamp = %v, want %v as sent", d.Timestamp, ts)
			}
		})
	}
}

// UUID and ULID message ids both verify.
func TestVerifyMessageIDForms(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	for _, id := range []string{"01KBHE78QE4HZY1617DK5FC7YD", "6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a", "unique_message_id_123"} {
		v := newVerifier(t, webhook.WithClock(fixedClock(testTime)))
		d, err := v.Verify(context.Background(), eventHeaders(id, testTimestamp, body), body)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if d.MessageID != id {
			t.Errorf("MessageID = %q, want %q", d.MessageID, id)
		}
	}
}

// The Drops claim webhook's reduced header set verifies, with Kick-Event-Message-ID spelled as in
// Kick's Drops guide.
func TestVerifyDropsClaim(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile(filepath.Join(fixtureDir, "extra", "drops.claim.json"))
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("Kick-Event-Message-ID", testMessageID)
	h.Set("Kick-Event-Timestamp", testTimestamp)
	h.Set("Kick-Event-Signature", testSigner().Sign(testMessageID, testTimestamp, body))
	d, err := newVerifier(t, webhook.WithClock(fixedClock(testTime))).Verify(context.Background(), h, body)
	if err != nil {
		t.Fatal(err)
	}
	want := &webhook.Delivery{MessageID: testMessageID, Type: webhook.EventDropsClaim, Timestamp: testTime, Body: body}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// With a type header it is an event delivery, which needs the event timestamp header.
	h.Set(webhook.HeaderEventType, "drops.claim")
	if _, err := newVerifier(t, webhook.WithClock(fixedClock(testTime))).Verify(context.Background(), h, body); !errors.Is(err, webhook.ErrMissingHeader) {
		t.Errorf("with a type header: got %v, want ErrMissingHeader", err)
	}
}

// The default verifier trusts Kick's published key only.
func TestDefaultVerifierTrustsKicksKey(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	v, err := webhook.NewVerifier(webhook.WithClock(fixedClock(testTime)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body); !errors.Is(err, webhook.ErrSignatureMismatch) {
		t.Errorf("a delivery signed by another key: got %v, want ErrSignatureMismatch", err)
	}
}

func TestNewVerifierOptions(t *testing.T) {
	t.Parallel()
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for name, opt := range map[string]webhook.VerifierOption{
		"nil option":     nil,
		"nil key source": webhook.WithKeySource(nil),
		"nil key":        webhook.WithPublicKey(nil),
		"1024-bit key":   webhook.WithPublicKey(&weak.PublicKey),
		"zero tolerance": webhook.WithTolerance(0),
		"negative":       webhook.WithTolerance(-time.Second),
		"nil clock":      webhook.WithClock(nil),
	} {
		if _, err := webhook.NewVerifier(opt); err == nil {
			t.Errorf("%s: NewVerifier succeeded", name)
		}
	}
	// A key source that hands out a weak key is refused at use.
	v, err := webhook.NewVerifier(webhook.WithKeySource(webhook.StaticKey(&weak.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	body := chatBody(t)
	if _, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body); !errors.Is(err, webhook.ErrNoKey) {
		t.Errorf("weak key: got %v, want ErrNoKey", err)
	}
}

func TestCheckSignature(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	s := testSigner()
	sig := s.Sign(testMessageID, testTimestamp, body)
	if err := webhook.CheckSignature(s.PublicKey(), testMessageID, testTimestamp, body, sig); err != nil {
		t.Errorf("valid: %v", err)
	}
	if err := webhook.CheckSignature(s.PublicKey(), testMessageID, testTimestamp, body[1:], sig); !errors.Is(err, webhook.ErrSignatureMismatch) {
		t.Errorf("changed body: got %v", err)
	}
	if err := webhook.CheckSignature(s.PublicKey(), testMessageID, testTimestamp, body, "%%%"); !errors.Is(err, webhook.ErrInvalidSignatureEncoding) {
		t.Errorf("bad encoding: got %v", err)
	}
	if err := webhook.CheckSignature(nil, testMessageID, testTimestamp, body, sig); !errors.Is(err, webhook.ErrNoKey) {
		t.Errorf("nil key: got %v", err)
	}
}

// Kick-Event-Version is read as a number, the type Version has in every package; a header that
// is not a decimal number is not refused (Kick would retry and then unsubscribe) but gives
// version 0, which no payload type has, so the delivery goes to the catch-all.
func TestVerifyVersionForms(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	v := newVerifier(t, webhook.WithClock(fixedClock(testTime)))
	for header, want := range map[string]int{
		"1": 1, "2": 2, "10": 10, "999999999": 999999999,
		"0": 0, "01": 0, "+1": 0, "-1": 0, "1.0": 0, "v2": 0, " 1": 0, "1000000000": 0,
	} {
		h := eventHeaders(testMessageID, testTimestamp, body)
		h.Set(webhook.HeaderEventVersion, header)
		d, err := v.Verify(context.Background(), h, body)
		if err != nil {
			t.Errorf("%q: %v", header, err)
			continue
		}
		if d.Version != want {
			t.Errorf("%q: Version = %d, want %d", header, d.Version, want)
		}
		e, err := d.Event()
		if _, unknown := e.(*webhook.UnknownEvent); err != nil || unknown != (want != 1) {
			t.Errorf("%q: Event() = %T, %v", header, e, err)
		}
	}
}
