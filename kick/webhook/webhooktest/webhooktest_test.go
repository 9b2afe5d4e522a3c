package webhooktest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

var signer = sync.OnceValue(func() *webhooktest.Signer {
	s, err := webhooktest.NewSigner()
	if err != nil {
		panic(err)
	}
	return s
})

func TestSignVerifies(t *testing.T) {
	t.Parallel()
	s := signer()
	body := []byte(`{"a":1}`)
	sig := s.Sign("id", "2025-01-14T16:08:06Z", body)
	if err := webhook.CheckSignature(s.PublicKey(), "id", "2025-01-14T16:08:06Z", body, sig); err != nil {
		t.Fatal(err)
	}
	k, err := webhook.ParsePublicKeyPEM([]byte(s.PublicKeyPEM()))
	if err != nil {
		t.Fatal(err)
	}
	if !k.Equal(s.PublicKey()) {
		t.Error("PublicKeyPEM is not PublicKey")
	}
}

func TestNewRequestVerifies(t *testing.T) {
	t.Parallel()
	s := signer()
	v, err := webhook.NewVerifier(webhook.WithPublicKey(s.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []kick.EventType{kick.EventChatMessageSent, webhook.EventDropsClaim} {
		want := webhooktest.NewDelivery(typ, []byte(`{"claim_id":"x"}`))
		r := s.NewRequest("/kick/webhook", want)
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.Verify(context.Background(), r.Header, body)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", typ, diff)
		}
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	s := signer()
	ts := time.Date(2025, 1, 14, 16, 8, 6, 500_000_000, time.FixedZone("", 11*3600))
	d := webhook.Delivery{
		MessageID: "01KBHE78QE4HZY1617DK5FC7YD", SubscriptionID: "01KCTSYW6C36ZF1PVDRZHG1QSD",
		Type: kick.EventKicksGifted, Version: 1, Timestamp: ts, Body: []byte(`{}`),
	}
	h := s.Headers(d)
	want := http.Header{
		"Content-Type":                 {"application/json"},
		"Kick-Event-Message-Id":        {"01KBHE78QE4HZY1617DK5FC7YD"},
		"Kick-Event-Subscription-Id":   {"01KCTSYW6C36ZF1PVDRZHG1QSD"},
		"Kick-Event-Message-Timestamp": {"2025-01-14T16:08:06.5+11:00"},
		"Kick-Event-Type":              {"kicks.gifted"},
		"Kick-Event-Version":           {"1"},
		"Kick-Event-Signature":         {s.Sign(d.MessageID, "2025-01-14T16:08:06.5+11:00", d.Body)},
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("event headers (-want +got):\n%s", diff)
	}

	d.Type = webhook.EventDropsClaim
	h = s.Headers(d)
	want = http.Header{
		"Content-Type":          {"application/json"},
		"Kick-Event-Message-Id": {"01KBHE78QE4HZY1617DK5FC7YD"},
		"Kick-Event-Timestamp":  {"2025-01-14T16:08:06.5+11:00"},
		"Kick-Event-Signature":  {s.Sign(d.MessageID, "2025-01-14T16:08:06.5+11:00", d.Body)},
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("Drops headers (-want +got):\n%s", diff)
	}
}

func TestNewMessageID(t *testing.T) {
	t.Parallel()
	ulid := regexp.MustCompile(`^[0-7][0-9A-HJKMNP-TV-Z]{25}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := webhooktest.NewMessageID()
		if !ulid.MatchString(id) {
			t.Fatalf("%q is not a ULID", id)
		}
		if seen[id] {
			t.Fatalf("%q twice", id)
		}
		seen[id] = true
	}
	// The first ten characters are the time in milliseconds.
	before := time.Now().UnixMilli()
	id := webhooktest.NewMessageID()
	after := time.Now().UnixMilli()
	var ms int64
	for _, c := range id[:10] {
		ms = ms<<5 | int64(strings.IndexRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c))
	}
	if ms < before || ms > after {
		t.Errorf("%s encodes %d ms, want between %d and %d", id, ms, before, after)
	}
}

// TestParseSigner: a PKCS #8 or PKCS #1 RSA key signs as the key does; anything else is refused
// with the reason.
func TestParseSigner(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	for name, block := range map[string]*pem.Block{
		"PKCS #8": {Type: "PRIVATE KEY", Bytes: pkcs8},
		"PKCS #1": {Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)},
	} {
		s, err := webhooktest.ParseSigner(pem.EncodeToMemory(block))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body := []byte(`{"a":1}`)
		if err := webhook.CheckSignature(&key.PublicKey, "id", "ts", body, s.Sign("id", "ts", body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, tt := range map[string]struct{ in, want string }{
		"no PEM":      {"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", "webhooktest: no PEM block"},
		"public key":  {string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}})), `webhooktest: a "PUBLIC KEY" PEM block, want "PRIVATE KEY" or "RSA PRIVATE KEY"`},
		"EC key":      {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})), "webhooktest: a *ecdsa.PrivateKey, not an RSA key"},
		"garbage DER": {string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{1, 2}})), "webhooktest: asn1: "},
	} {
		_, err := webhooktest.ParseSigner([]byte(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", name, err, tt.want)
		}
	}
}
