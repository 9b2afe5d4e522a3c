// Package webhooktest signs webhook deliveries the way Kick does, so that tests can post them to a
// webhook.Handler or a webhook.Verifier that trusts the signer's key instead of Kick's:
//
//	signer, err := webhooktest.NewSigner()
//	...
//	v, err := webhook.NewVerifier(webhook.WithPublicKey(signer.PublicKey()))
//	h, err := webhook.NewHandler(webhook.WithVerifier(v))
//	...
//	d := webhooktest.NewDelivery(kick.EventChatMessageSent, body) // or kicktypes.EventChatMessageSent
//	h.ServeHTTP(recorder, signer.NewRequest("/kick/webhook", d))
//
// A Signer's key is generated for the test; Kick's private key is, of course, not here.
package webhooktest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Signer signs deliveries with an RSA private key, as Kick signs them with its own. It is safe for
// concurrent use.
type Signer struct {
	key *rsa.PrivateKey
}

// NewSigner returns a Signer with a new 2048-bit RSA key, the size of Kick's. Generating one takes
// tens of milliseconds: share a Signer between tests.
func NewSigner() (*Signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("webhooktest: %w", err)
	}
	return &Signer{key: key}, nil
}

// NewSignerFromKey returns a Signer that signs with key, such as a fixed key that signed the
// files of a fuzz corpus.
func NewSignerFromKey(key *rsa.PrivateKey) *Signer {
	return &Signer{key: key}
}

// ParseSigner returns a Signer with the RSA private key of a PEM block, PKCS #8 ("PRIVATE KEY")
// or PKCS #1 ("RSA PRIVATE KEY"): a fixed key kept in a file, such as kicktest.SigningKeyPEM or
// the key of `kick event trigger --key`. The one parser of signing keys in the module.
func ParseSigner(data []byte) (*Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("webhooktest: no PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("webhooktest: a %q PEM block, want \"PRIVATE KEY\" or \"RSA PRIVATE KEY\"", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("webhooktest: %w", err)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("webhooktest: a %T, not an RSA key", key)
	}
	return NewSignerFromKey(rk), nil
}

// PublicKey returns the key that verifies the signer's signatures, for webhook.WithPublicKey or
// webhook.StaticKey.
func (s *Signer) PublicKey() *rsa.PublicKey {
	return &s.key.PublicKey
}

// PublicKeyPEM returns the public key as a PEM "PUBLIC KEY" block, as Kick serves its own from
// GET /public/v1/public-key: what a webhook.FetchFunc of a test returns.
func (s *Signer) PublicKeyPEM() string {
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		panic("webhooktest: " + err.Error()) // cannot happen for an RSA key
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// Sign returns the base64 signature of messageID + "." + timestamp + "." + body
// (RSASSA-PKCS1-v1_5, SHA-256): the value of the Kick-Event-Signature header.
func (s *Signer) Sign(messageID, timestamp string, body []byte) string {
	msg := make([]byte, 0, len(messageID)+len(timestamp)+len(body)+2)
	msg = append(append(append(append(append(msg, messageID...), '.'), timestamp...), '.'), body...)
	digest := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, digest[:])
	if err != nil {
		panic("webhooktest: " + err.Error()) // cannot happen for a valid key
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// NewDelivery returns a delivery of an event to sign: a new message id and subscription id,
// version 1 and the current time. For webhook.EventDropsClaim it has no subscription id and no
// version, like Kick's Drops claim webhook. Change its fields before signing it.
func NewDelivery(typ kicktypes.EventType, body []byte) webhook.Delivery {
	d := webhook.Delivery{
		MessageID:      NewMessageID(),
		SubscriptionID: NewMessageID(),
		Type:           typ,
		Version:        1,
		Timestamp:      time.Now().UTC(),
		Body:           body,
	}
	if typ == webhook.EventDropsClaim {
		d.SubscriptionID, d.Version = "", 0
	}
	return d
}

// FormatTimestamp formats a delivery timestamp as the signer sends it: RFC 3339 with the
// fractional seconds the time has, and its offset.
func FormatTimestamp(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}

// Headers returns the signed headers of d. An event delivery gets all six of Kick's headers (the
// subscription id only when set); a delivery of type webhook.EventDropsClaim gets the Drops claim
// webhook's three: Kick-Event-Signature, Kick-Event-Message-ID and Kick-Event-Timestamp. The
// timestamp is FormatTimestamp(d.Timestamp).
func (s *Signer) Headers(d webhook.Delivery) http.Header {
	ts := FormatTimestamp(d.Timestamp)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(webhook.HeaderMessageID, d.MessageID)
	h.Set(webhook.HeaderSignature, s.Sign(d.MessageID, ts, d.Body))
	if d.Type == webhook.EventDropsClaim {
		h.Set(webhook.HeaderDropsTimestamp, ts)
		return h
	}
	h.Set(webhook.HeaderMessageTimestamp, ts)
	h.Set(webhook.HeaderEventType, string(d.Type))
	h.Set(webhook.HeaderEventVersion, strconv.Itoa(d.Version))
	if d.SubscriptionID != "" {
		h.Set(webhook.HeaderSubscriptionID, d.SubscriptionID)
	}
	return h
}

// NewRequest returns a signed incoming POST request of d to target, for calling a handler's
// ServeHTTP directly, as httptest.NewRequest does.
func (s *Signer) NewRequest(target string, d webhook.Delivery) *http.Request {
	r := httptest.NewRequestWithContext(context.Background(), http.MethodPost, target, bytes.NewReader(d.Body))
	for k, v := range s.Headers(d) {
		r.Header[k] = v
	}
	return r
}

// Post sends d, signed, to url with client (http.DefaultClient if nil), as Kick posts to a
// webhook URL. The caller closes the response body.
func (s *Signer) Post(ctx context.Context, client *http.Client, url string, d webhook.Delivery) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return nil, fmt.Errorf("webhooktest: %w", err)
	}
	req.Header = s.Headers(d)
	return client.Do(req)
}

// crockford is the ULID alphabet.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewMessageID returns a new ULID, the form of Kick's message and subscription ids: 48 bits of
// milliseconds and 80 random bits in Crockford base32.
func NewMessageID() string { return NewULID(time.Now()) }

// NewULID returns a ULID for time t (48 bits of its Unix milliseconds) with 80 random bits, in
// Crockford base32: the form of Kick's message, subscription, reward and redemption ids.
func NewULID(t time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixMilli())<<16) //nolint:gosec // times before 1970 do not occur
	_, _ = rand.Read(b[6:])
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	var out [26]byte
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}
