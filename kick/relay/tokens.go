package relay

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// TokenPrefix starts every consumer token, so that secret scanners and people recognize one.
const TokenPrefix = "kickrelay_"

// ErrUnknownToken is returned for a token, or a token id, that the TokenStore does not hold:
// never issued, revoked, or expired.
var ErrUnknownToken = errors.New("relay: unknown token")

// Grant is what a consumer token allows: the channels and event types it may read. It holds no
// secret: the store keeps it beside the token's SHA-256 digest.
type Grant struct {
	// ID names the token in lists and in Revoke; it is not secret.
	ID string `json:"id"`
	// Name is a label for people, such as "laptop" or "mod-bot".
	Name string `json:"name,omitempty"`
	// Broadcasters are the channels (broadcaster user ids) whose events the token reads.
	Broadcasters []int64 `json:"broadcasters,omitempty"`
	// AllBroadcasters lets the token read every channel's events, and the events of no channel
	// (Drops claims). Broadcasters is then ignored.
	AllBroadcasters bool `json:"all_broadcasters,omitempty"`
	// Types are the event types the token reads; empty means every type.
	Types []kicktypes.EventType `json:"types,omitempty"`
	// CreatedAt is when the token was created.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when the token stops working; the zero time means never.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// Allows reports whether the grant may read a record of the channel and event type.
func (g *Grant) Allows(broadcasterUserID int64, typ kicktypes.EventType) bool {
	if !g.AllBroadcasters && (broadcasterUserID == 0 || !slices.Contains(g.Broadcasters, broadcasterUserID)) {
		return false
	}
	return len(g.Types) == 0 || slices.Contains(g.Types, typ)
}

// Expired reports whether the grant has expired at now.
func (g *Grant) Expired(now time.Time) bool {
	return !g.ExpiresAt.IsZero() && !now.Before(g.ExpiresAt)
}

// check refuses a grant that names nothing to read.
func (g *Grant) check() error {
	if !g.AllBroadcasters && len(g.Broadcasters) == 0 {
		return errors.New("relay: a token needs at least one broadcaster, or AllBroadcasters")
	}
	for _, b := range g.Broadcasters {
		if b <= 0 {
			return fmt.Errorf("relay: broadcaster user id %d is not positive", b)
		}
	}
	for _, t := range g.Types {
		if t == "" || strings.ContainsAny(string(t), " \t\r\n") {
			return fmt.Errorf("relay: invalid event type %q", t)
		}
	}
	return nil
}

// TokenStore holds the consumer tokens: each grant under the SHA-256 digest of its token
// (HashToken), never the token itself. The package has MemoryTokens and FileTokens; package
// kickredis has one on Redis for several relays. Implementations must be safe for concurrent
// use.
type TokenStore interface {
	// Add stores g under the digest of a new token.
	Add(ctx context.Context, digest string, g Grant) error
	// Lookup returns the grant of the token whose digest is given, or an error matching
	// ErrUnknownToken.
	Lookup(ctx context.Context, digest string) (Grant, error)
	// List returns every grant, oldest first.
	List(ctx context.Context) ([]Grant, error)
	// Revoke deletes the token of the grant id, or returns an error matching ErrUnknownToken.
	Revoke(ctx context.Context, id string) error
}

// HashToken returns the digest a TokenStore keeps of token: its SHA-256 in hex. A token is 32
// random bytes, so a digest cannot be turned back into it.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token of 32 random bytes for g, stores its digest in store and returns the
// token, to be shown once, and the grant as stored (with its ID and CreatedAt).
func CreateToken(ctx context.Context, store TokenStore, g Grant) (string, Grant, error) {
	if err := g.check(); err != nil {
		return "", Grant{}, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	id := make([]byte, 6)
	_, _ = rand.Read(id)
	g.ID = "tok_" + hex.EncodeToString(id)
	if g.CreatedAt.IsZero() {
		g.CreatedAt = time.Now().UTC()
	}
	g.Broadcasters = slices.Clone(g.Broadcasters)
	g.Types = slices.Clone(g.Types)
	if err := store.Add(ctx, HashToken(token), g); err != nil {
		return "", Grant{}, err
	}
	return token, g, nil
}

// MemoryTokens is a TokenStore in memory, for tests and for programs that make their tokens at
// start.
type MemoryTokens struct {
	mu     sync.Mutex
	grants map[string]Grant // by digest
}

// NewMemoryTokens returns an empty MemoryTokens.
func NewMemoryTokens() *MemoryTokens { return &MemoryTokens{grants: map[string]Grant{}} }

// Add implements TokenStore.
func (m *MemoryTokens) Add(_ context.Context, digest string, g Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.grants[digest] = g
	return nil
}

// Lookup implements TokenStore.
func (m *MemoryTokens) Lookup(_ context.Context, digest string) (Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[digest]
	if !ok {
		return Grant{}, ErrUnknownToken
	}
	return g, nil
}

// List implements TokenStore.
func (m *MemoryTokens) List(context.Context) ([]Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return sortGrants(m.grants), nil
}

// Revoke implements TokenStore.
func (m *MemoryTokens) Revoke(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for d, g := range m.grants {
		if g.ID == id {
			delete(m.grants, d)
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrUnknownToken, id)
}

// sortGrants returns the grants of a map, oldest first.
func sortGrants(m map[string]Grant) []Grant {
	out := make([]Grant, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, compareGrants)
	return out
}

// compareGrants orders grants oldest first.
func compareGrants(a, b Grant) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
