package kickauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"

	"golang.org/x/oauth2"
)

// ErrNoToken is matched by errors.Is when a TokenStore holds no token under a key.
var ErrNoToken = errors.New("kickauth: no token stored")

// TokenStore keeps user tokens between runs, one per key (see StoreKey). UserSource saves every
// token it gets from Kick before handing it out, because Kick rotates refresh tokens: the new one
// replaces the old, and losing it means the user must authorize again.
//
// Back it with a database or Redis by implementing these two methods; implement Locker too if
// several processes share the store. Implementations must be safe for concurrent use.
type TokenStore interface {
	// Load returns the token saved under key, or an error matching ErrNoToken if there is none.
	Load(ctx context.Context, key string) (*oauth2.Token, error)
	// Save stores tok under key, replacing any token there. It must be durable when it
	// returns: tok.RefreshToken may be the only valid one. Keep at least AccessToken,
	// TokenType, RefreshToken, Expiry and the "scope" extra (tok.Extra("scope")).
	Save(ctx context.Context, key string, tok *oauth2.Token) error
}

// Locker is implemented by a TokenStore that several processes share: UserSource holds the lock
// of a key while it reloads the token, refreshes it and saves the result, so that processes
// sharing the store refresh a user's token once between them, and none uses a refresh token
// another has already spent.
type Locker interface {
	// Lock blocks until it holds the exclusive lock of key or ctx is done. unlock releases it.
	Lock(ctx context.Context, key string) (unlock func() error, err error)
}

// StoreKey returns the store key of the token of one Kick account for one app: a token belongs to
// both. account is whatever identifies the user to the program, such as the Kick user id or
// "default" for a bot with one account. The parts are path-escaped and joined with "/", so
// different pairs give different keys.
func StoreKey(clientID, account string) string {
	return url.PathEscape(clientID) + "/" + url.PathEscape(account)
}

// MemoryStore is a TokenStore in memory, for tests and for programs that get a new authorization
// on every start. It implements Locker within the process. The zero value is not usable; call
// NewMemoryStore.
type MemoryStore struct {
	mu    sync.Mutex
	toks  map[string]*oauth2.Token
	locks keyLocks
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{toks: map[string]*oauth2.Token{}}
}

// Load returns a copy of the token under key.
func (s *MemoryStore) Load(_ context.Context, key string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.toks[key]
	if !ok {
		return nil, fmt.Errorf("%w under key %q", ErrNoToken, key)
	}
	return cloneToken(tok), nil
}

// Save stores a copy of tok under key.
func (s *MemoryStore) Save(_ context.Context, key string, tok *oauth2.Token) error {
	if err := checkSave(tok); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.toks[key] = cloneToken(tok)
	return nil
}

// Delete removes the token under key, if any.
func (s *MemoryStore) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.toks, key)
	return nil
}

// Lock holds the lock of key within this process.
func (s *MemoryStore) Lock(ctx context.Context, key string) (func() error, error) {
	unlock, err := s.locks.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	return func() error { unlock(); return nil }, nil
}

// String tells how many tokens the store holds, not what they are.
func (s *MemoryStore) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("kickauth.MemoryStore{%d tokens}", len(s.toks))
}

// GoString is String.
func (s *MemoryStore) GoString() string { return s.String() }

// Format prints String for every verb.
func (s *MemoryStore) Format(f fmt.State, verb rune) { writeRedacted(f, verb, s.String()) }

// LogValue logs the number of tokens.
func (s *MemoryStore) LogValue() slog.Value {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slog.GroupValue(slog.Int("tokens", len(s.toks)))
}

func checkSave(tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return errors.New("kickauth: refusing to save a token without an access token")
	}
	return nil
}

// keyLocks is a set of per-key mutexes that a waiter can give up on.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

func (l *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]chan struct{}{}
	}
	ch := l.m[key]
	if ch == nil {
		ch = make(chan struct{}, 1)
		l.m[key] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-ch }) }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("kickauth: waiting for the lock of key %q: %w", key, context.Cause(ctx))
	}
}
