package webhook

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kick-sdk/kick-go/kick/internal/pemkey"
)

// KickPublicKeyPEM is the public key Kick publishes in its webhook security docs
// (docs.kick.com/events/webhook-security) and serves at GET /public/v1/public-key. It is the
// default key of a Verifier and the initial key of a FetchingKeySource.
const KickPublicKeyPEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/+l1WnlRrGSolDMA+A8
6rAhMbQGmQ2SapVcGM3zq8ANXjnhDWocMqfWcTd95btDydITa10kDvHzw9WQOqp2
MZI7ZyrfzJuz5nhTPCiJwTwnEtWft7nV14BYRDHvlfqPUaZ+1KR4OCaO/wWIk/rQ
L/TjY0M70gse8rlBkbo2a8rKhu69RQTRsoaf4DVhDPEeSeI5jVrRDGAMGL3cGuyY
6CLKGdjVEM78g3JfYOvDU/RvfqD7L89TZ3iN94jrmWdGz34JNlEI5hqK8dd7C5EF
BEbZ5jgB8s8ReQV8H+MkuffjdAj3ajDDX3DOJMIut1lBrUVD1AaSrGCKHooWoL2e
twIDAQAB
-----END PUBLIC KEY-----
`

var defaultKey = sync.OnceValue(func() *rsa.PublicKey {
	k, err := ParsePublicKeyPEM([]byte(KickPublicKeyPEM))
	if err != nil {
		panic("webhook: the embedded Kick public key does not parse: " + err.Error())
	}
	return k
})

// DefaultPublicKey returns Kick's published key, KickPublicKeyPEM, parsed. It is parsed once; each
// call returns a copy, so the caller may keep or change it.
func DefaultPublicKey() *rsa.PublicKey {
	return copyKey(defaultKey())
}

func copyKey(k *rsa.PublicKey) *rsa.PublicKey {
	return &rsa.PublicKey{N: new(big.Int).Set(k.N), E: k.E}
}

// ParsePublicKeyPEM parses a PEM-encoded RSA public key: one "PUBLIC KEY" block (PKIX, what Kick
// serves) or "RSA PUBLIC KEY" block (PKCS #1), without PEM headers, in at most 64 KiB; text around
// the block is ignored, a second block is refused. Keys under 2048 bits are refused. Errors match
// ErrInvalidKey. kick.PublicKey.RSA applies the same rules to the key Kick serves.
func ParsePublicKeyPEM(data []byte) (*rsa.PublicKey, error) {
	key, err := pemkey.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	return key, nil
}

// checkKey reports whether k is a key a Verifier may use (pemkey.Check), as an error matching
// ErrInvalidKey.
func checkKey(k *rsa.PublicKey) error {
	if err := pemkey.Check(k); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	return nil
}

// A KeySource gives a Verifier the public key to verify signatures with. Implementations must be
// safe for concurrent use and cheap to call: Key is called for every delivery, so it returns a
// parsed, cached key.
type KeySource interface {
	// Key returns the current key.
	Key(ctx context.Context) (*rsa.PublicKey, error)
	// Refresh is called when a signature does not verify with stale, a key Key returned: Kick may
	// have rotated its key. It returns the key to retry with, or stale itself (with or without an
	// error) when there is no other key to try; the Verifier then rejects the delivery. Forged
	// deliveries call Refresh too, so an implementation that fetches must limit how often it does.
	Refresh(ctx context.Context, stale *rsa.PublicKey) (*rsa.PublicKey, error)
}

// StaticKey returns a KeySource that always gives key and never refreshes. A Verifier rejects a
// key under 2048 bits.
func StaticKey(key *rsa.PublicKey) KeySource { return staticKey{key} }

type staticKey struct{ k *rsa.PublicKey }

// Key returns the key.
func (s staticKey) Key(context.Context) (*rsa.PublicKey, error) { return s.k, nil }

// Refresh returns the key: there is no other.
func (s staticKey) Refresh(context.Context, *rsa.PublicKey) (*rsa.PublicKey, error) {
	return s.k, nil
}

// FetchFunc fetches Kick's current public key as PEM, such as the "public_key" of
// GET https://api.kick.com/public/v1/public-key. With package kick, the method value
// client.PublicKey.PEM is one: NewFetchingKeySource(client.PublicKey.PEM).
type FetchFunc func(ctx context.Context) (pem string, err error)

// Defaults of a FetchingKeySource.
const (
	// DefaultRefetchInterval is the least time between two fetches of the key.
	DefaultRefetchInterval = time.Minute
	// DefaultFetchTimeout bounds one fetch.
	DefaultFetchTimeout = 10 * time.Second
)

// FetchingKeySource is a KeySource that follows Kick's key rotation. It starts with an initial key
// (Kick's published key unless WithInitialKey says otherwise) and fetches the current key only when
// a signature fails to verify, which is what happens after a rotation. The fetched PEM is parsed
// once and cached; every delivery after that uses the parsed key.
//
// Fetches are limited so that forged deliveries cannot make it hammer Kick: at most one fetch per
// refetch interval (a minute by default), failed fetches included, and concurrent refreshes
// share one fetch. A fetch runs with its own timeout and keeps running when the request that
// started it goes away; the requests waiting on it stop waiting when their context ends.
//
// The zero value is not usable; call NewFetchingKeySource.
type FetchingKeySource struct {
	fetch    FetchFunc
	interval time.Duration
	timeout  time.Duration
	now      func() time.Time

	key atomic.Pointer[rsa.PublicKey] // read by every delivery; written under mu

	mu        sync.Mutex
	lastFetch time.Time // start of the last fetch; zero before the first
	inflight  *fetchCall
}

type fetchCall struct {
	done chan struct{}
	key  *rsa.PublicKey
	err  error
}

// KeySourceOption configures a FetchingKeySource in NewFetchingKeySource.
type KeySourceOption func(*FetchingKeySource) error

// WithInitialKey sets the key used until the first fetch. The default is DefaultPublicKey.
func WithInitialKey(key *rsa.PublicKey) KeySourceOption {
	return func(s *FetchingKeySource) error {
		if err := checkKey(key); err != nil {
			return err
		}
		s.key.Store(key)
		return nil
	}
}

// WithRefetchInterval sets the least time between two fetches (DefaultRefetchInterval unless
// set). It must be positive.
func WithRefetchInterval(d time.Duration) KeySourceOption {
	return func(s *FetchingKeySource) error {
		if d <= 0 {
			return fmt.Errorf("webhook: refetch interval %v is not positive", d)
		}
		s.interval = d
		return nil
	}
}

// WithFetchTimeout bounds one fetch (DefaultFetchTimeout unless set). It must be positive.
func WithFetchTimeout(d time.Duration) KeySourceOption {
	return func(s *FetchingKeySource) error {
		if d <= 0 {
			return fmt.Errorf("webhook: fetch timeout %v is not positive", d)
		}
		s.timeout = d
		return nil
	}
}

// WithKeySourceClock sets the clock that spaces fetches (time.Now unless set), for tests.
func WithKeySourceClock(now func() time.Time) KeySourceOption {
	return func(s *FetchingKeySource) error {
		if now == nil {
			return errors.New("webhook: nil clock")
		}
		s.now = now
		return nil
	}
}

// NewFetchingKeySource returns a FetchingKeySource that fetches with fetch.
func NewFetchingKeySource(fetch FetchFunc, opts ...KeySourceOption) (*FetchingKeySource, error) {
	if fetch == nil {
		return nil, errors.New("webhook: NewFetchingKeySource: nil fetch function")
	}
	s := &FetchingKeySource{fetch: fetch, interval: DefaultRefetchInterval, timeout: DefaultFetchTimeout, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("webhook: NewFetchingKeySource: nil option")
		}
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("webhook: NewFetchingKeySource: %w", err)
		}
	}
	if s.key.Load() == nil {
		s.key.Store(DefaultPublicKey())
	}
	return s, nil
}

// Key returns the current key. It never fetches.
func (s *FetchingKeySource) Key(context.Context) (*rsa.PublicKey, error) {
	return s.key.Load(), nil
}

// Refresh fetches the current key unless another refresh already replaced stale, a fetch is
// running (it then waits for that one), or the last fetch started less than the refetch interval
// ago (it then returns the current key without fetching). A fetch error is returned along with the
// current key.
func (s *FetchingKeySource) Refresh(ctx context.Context, stale *rsa.PublicKey) (*rsa.PublicKey, error) {
	s.mu.Lock()
	if k := s.key.Load(); k != stale {
		s.mu.Unlock()
		return k, nil
	}
	c := s.inflight
	if c == nil {
		now := s.now()
		if !s.lastFetch.IsZero() && now.Sub(s.lastFetch) < s.interval {
			s.mu.Unlock()
			return stale, nil
		}
		s.lastFetch = now
		c = &fetchCall{done: make(chan struct{})}
		s.inflight = c
		go s.run(context.WithoutCancel(ctx), c)
	}
	s.mu.Unlock()
	select {
	case <-c.done:
		return c.key, c.err
	case <-ctx.Done():
		return stale, ctx.Err()
	}
}

// run fetches and parses the key, then publishes the result to every waiter of c.
func (s *FetchingKeySource) run(ctx context.Context, c *fetchCall) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	key, err := s.fetchKey(ctx)
	s.mu.Lock()
	if err == nil && !key.Equal(s.key.Load()) {
		s.key.Store(key)
	}
	c.key, c.err = s.key.Load(), err
	s.inflight = nil
	s.mu.Unlock()
	close(c.done)
}

func (s *FetchingKeySource) fetchKey(ctx context.Context) (key *rsa.PublicKey, err error) {
	defer func() {
		// A panicking fetch function must not take the server down: forged deliveries trigger it.
		if p := recover(); p != nil {
			key, err = nil, fmt.Errorf("webhook: fetching the public key panicked: %v", p)
		}
	}()
	pemText, err := s.fetch(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook: fetching the public key: %w", err)
	}
	key, err = ParsePublicKeyPEM([]byte(pemText))
	if err != nil {
		return nil, fmt.Errorf("webhook: fetched public key: %w", err)
	}
	return key, nil
}
