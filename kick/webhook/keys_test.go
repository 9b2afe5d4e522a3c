package webhook_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/openapi"
)

func TestDefaultPublicKey(t *testing.T) {
	t.Parallel()
	k := webhook.DefaultPublicKey()
	if k.N.BitLen() != 2048 || k.E != 65537 {
		t.Errorf("Kick's key: %d bits, e=%d; want 2048 bits, e=65537", k.N.BitLen(), k.E)
	}
	k.N.SetInt64(1) // a caller's copy
	if webhook.DefaultPublicKey().N.BitLen() != 2048 {
		t.Error("changing a returned key changed the default key")
	}
}

// The embedded key is the one the spec's getPublicKey example (Kick's endpoint) serves.
func TestDefaultPublicKeyMatchesTheSpec(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Paths.Find("/public/v1/public-key").Get
	example, err := json.Marshal(op.Responses.Status(200).Value.Content["application/json"].Example)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Data struct {
			PublicKey string `json:"public_key"`
		} `json:"data"`
	}
	if err := json.Unmarshal(example, &env); err != nil {
		t.Fatal(err)
	}
	served, err := webhook.ParsePublicKeyPEM([]byte(env.Data.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if !served.Equal(webhook.DefaultPublicKey()) {
		t.Error("KickPublicKeyPEM differs from the key of the spec's getPublicKey example")
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	t.Parallel()
	pub := testSigner().PublicKey()
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)}))
	for name, in := range map[string]string{
		"PKIX":                  testSigner().PublicKeyPEM(),
		"PKCS #1":               pkcs1,
		"text around the block": "Kick's key:\n" + testSigner().PublicKeyPEM() + "\ntrailing words",
		"Windows line ends":     strings.ReplaceAll(testSigner().PublicKeyPEM(), "\n", "\r\n"),
	} {
		k, err := webhook.ParsePublicKeyPEM([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !k.Equal(pub) {
			t.Errorf("%s: another key", name)
		}
	}

	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weakDER, _ := x509.MarshalPKIXPublicKey(&weak.PublicKey)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	privDER, _ := x509.MarshalPKCS8PrivateKey(weak)
	pubDER, _ := x509.MarshalPKIXPublicKey(pub)
	for name, in := range map[string]string{
		"empty":              "",
		"no PEM":             "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq",
		"garbage in a block": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
		"a 1024-bit key":     string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: weakDER})),
		"an EC key":          string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecDER})),
		"a private key":      string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
		"too large":          strings.Repeat(" ", 70<<10) + testSigner().PublicKeyPEM(),
		// Which of two keys to trust is unclear: refused, not the first taken.
		"the docs' key, then ours": webhook.KickPublicKeyPEM + testSigner().PublicKeyPEM(),
		"headers":                  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: pubDER})),
	} {
		if _, err := webhook.ParsePublicKeyPEM([]byte(in)); !errors.Is(err, webhook.ErrInvalidKey) {
			t.Errorf("%s: got %v, want ErrInvalidKey", name, err)
		}
	}
}

// fakeKick serves the public key like GET /public/v1/public-key and counts fetches.
type fakeKick struct {
	mu      sync.Mutex
	pem     string
	err     error
	fetches atomic.Int32
	gate    chan struct{} // when set, a fetch waits for it to close
}

func (f *fakeKick) fetch(ctx context.Context) (string, error) {
	f.fetches.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pem, f.err
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// rotatedSetup is a verifier whose key source starts with Kick's published key while deliveries
// are signed by the test key: Kick has rotated to the test key.
func rotatedSetup(t *testing.T, kick *fakeKick, opts ...webhook.KeySourceOption) (*webhook.Verifier, *clock) {
	t.Helper()
	clk := &clock{now: testTime}
	src, err := webhook.NewFetchingKeySource(kick.fetch, append([]webhook.KeySourceOption{webhook.WithKeySourceClock(clk.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	v, err := webhook.NewVerifier(webhook.WithKeySource(src), webhook.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	return v, clk
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	kick := &fakeKick{pem: testSigner().PublicKeyPEM()}
	v, _ := rotatedSetup(t, kick)
	body := chatBody(t)
	for i := range 3 {
		if _, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	if n := kick.fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

// Forged signatures make the source fetch at most once per interval.
func TestKeyRefetchIsRateLimited(t *testing.T) {
	t.Parallel()
	kick := &fakeKick{pem: webhook.KickPublicKeyPEM} // Kick has not rotated
	v, clk := rotatedSetup(t, kick)
	body := chatBody(t)
	forge := func() {
		t.Helper()
		for range 100 {
			if _, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body); !errors.Is(err, webhook.ErrSignatureMismatch) {
				t.Fatalf("forged delivery: got %v, want ErrSignatureMismatch", err)
			}
		}
	}
	forge()
	if n := kick.fetches.Load(); n != 1 {
		t.Fatalf("100 forged deliveries: %d fetches, want 1", n)
	}
	clk.Advance(webhook.DefaultRefetchInterval - time.Nanosecond)
	forge()
	if n := kick.fetches.Load(); n != 1 {
		t.Fatalf("within the interval: %d fetches, want 1", n)
	}
	clk.Advance(time.Nanosecond)
	forge()
	if n := kick.fetches.Load(); n != 2 {
		t.Fatalf("after the interval: %d fetches, want 2", n)
	}
}

// Concurrent failures share one fetch.
func TestKeyRefetchCollapsesConcurrentRefreshes(t *testing.T) {
	t.Parallel()
	kick := &fakeKick{pem: testSigner().PublicKeyPEM(), gate: make(chan struct{})}
	v, _ := rotatedSetup(t, kick)
	body := chatBody(t)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body)
			errs <- err
		})
	}
	// Let the requests pile up on the one fetch, then let it finish.
	for kick.fetches.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(kick.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
	if n := kick.fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

func TestKeyRefetchFailures(t *testing.T) {
	t.Parallel()
	body := chatBody(t)
	boom := errors.New("kick is down")
	tests := []struct {
		name string
		kick *fakeKick
		want error // also matched, besides ErrSignatureMismatch
	}{
		{"fetch error", &fakeKick{err: boom}, boom},
		{"not a key", &fakeKick{pem: "<html>Cloudflare</html>"}, webhook.ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, clk := rotatedSetup(t, tt.kick)
			_, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body)
			if !errors.Is(err, webhook.ErrSignatureMismatch) || !errors.Is(err, tt.want) {
				t.Errorf("got %v, want ErrSignatureMismatch and %v", err, tt.want)
			}
			// Failed fetches count against the limit too.
			for range 10 {
				_, _ = v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body)
			}
			if n := tt.kick.fetches.Load(); n != 1 {
				t.Errorf("%d fetches, want 1", n)
			}
			// Kick recovers: the next interval's fetch gets the key.
			tt.kick.mu.Lock()
			tt.kick.pem, tt.kick.err = testSigner().PublicKeyPEM(), nil
			tt.kick.mu.Unlock()
			clk.Advance(webhook.DefaultRefetchInterval)
			if _, err := v.Verify(context.Background(), eventHeaders(testMessageID, testTimestamp, body), body); err != nil {
				t.Errorf("after Kick recovered: %v", err)
			}
		})
	}
}

func TestKeyRefetchPanicIsAnError(t *testing.T) {
	t.Parallel()
	src, err := webhook.NewFetchingKeySource(func(context.Context) (string, error) { panic("oops") })
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := src.Key(context.Background())
	k, err := src.Refresh(context.Background(), stale)
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("Refresh error = %v, want a panic reported", err)
	}
	if k != stale {
		t.Error("Refresh changed the key after a failed fetch")
	}
}

// A request that goes away stops waiting; the fetch it started still completes for the others.
func TestKeyRefetchOutlivesItsRequest(t *testing.T) {
	t.Parallel()
	kick := &fakeKick{pem: testSigner().PublicKeyPEM(), gate: make(chan struct{})}
	src, err := webhook.NewFetchingKeySource(kick.fetch)
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := src.Key(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if k, err := src.Refresh(ctx, stale); !errors.Is(err, context.Canceled) || k != stale {
		t.Errorf("Refresh with a cancelled context = %v, %v", k, err)
	}
	close(kick.gate)
	k, err := src.Refresh(context.Background(), stale) // joins the running fetch or sees its result
	if err != nil {
		t.Fatal(err)
	}
	if !k.Equal(testSigner().PublicKey()) {
		t.Error("the fetched key was not kept")
	}
	if cur, _ := src.Key(context.Background()); cur != k {
		t.Error("Key does not return the fetched key")
	}
	if n := kick.fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

func TestNewFetchingKeySourceOptions(t *testing.T) {
	t.Parallel()
	fetch := func(context.Context) (string, error) { return "", nil }
	if _, err := webhook.NewFetchingKeySource(nil); err == nil {
		t.Error("nil fetch function accepted")
	}
	for name, opt := range map[string]webhook.KeySourceOption{
		"nil option":       nil,
		"nil initial key":  webhook.WithInitialKey(nil),
		"zero interval":    webhook.WithRefetchInterval(0),
		"negative timeout": webhook.WithFetchTimeout(-1),
		"nil clock":        webhook.WithKeySourceClock(nil),
	} {
		if _, err := webhook.NewFetchingKeySource(fetch, opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	src, err := webhook.NewFetchingKeySource(fetch, webhook.WithInitialKey(testSigner().PublicKey()),
		webhook.WithRefetchInterval(time.Hour), webhook.WithFetchTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := src.Key(context.Background()); !k.Equal(testSigner().PublicKey()) {
		t.Error("WithInitialKey ignored")
	}
}

// The fetch timeout bounds a fetch that hangs.
func TestKeyFetchTimeout(t *testing.T) {
	t.Parallel()
	kick := &fakeKick{gate: make(chan struct{})} // never opens
	src, err := webhook.NewFetchingKeySource(kick.fetch, webhook.WithFetchTimeout(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := src.Key(context.Background())
	if _, err := src.Refresh(context.Background(), stale); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a deadline error", err)
	}
}
