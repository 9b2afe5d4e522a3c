package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// tokenLedger sits in front of kicktest's OAuth server: it shortens the lifetime of the user
// tokens kicktest issues (so that workers refresh every few seconds), and records each token
// issued, in order, and each refresh grant with its outcome, to tell at the end whether a
// rotation was lost and whether the store ever went back to an older token.
type tokenLedger struct {
	proxy    *httputil.ReverseProxy
	lifetime time.Duration

	mu       sync.Mutex
	index    map[string]int  // access token digest → issue order (1, 2, ...); the seed is 0
	refresh  map[string]int  // refresh token → issue order
	spent    map[string]bool // refresh tokens presented in a successful refresh
	issued   int             // tokens issued by refresh grants
	last     string          // the refresh token issued last
	stale    int             // refresh grants Kick refused: a refresh token already spent
	statuses map[int]int     // answers of refresh grants by status
}

func newTokenLedger(oauthURL string, lifetime time.Duration) *tokenLedger {
	target, _ := url.Parse(oauthURL)
	l := &tokenLedger{lifetime: lifetime, index: map[string]int{}, refresh: map[string]int{},
		spent: map[string]bool{}, statuses: map[int]int{}}
	l.proxy = httputil.NewSingleHostReverseProxy(target)
	l.proxy.ErrorLog = discardLog
	l.proxy.ModifyResponse = l.modify
	return l
}

// seed records the token the store starts with.
func (l *tokenLedger) seed(access, refresh string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.index[digest(access)] = 0
	l.refresh[refresh] = 0
	l.last = refresh
}

type presentedKey struct{}

func (l *tokenLedger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	if form.Get("grant_type") == "refresh_token" {
		r = r.WithContext(context.WithValue(r.Context(), presentedKey{}, form.Get("refresh_token")))
	}
	l.proxy.ServeHTTP(w, r)
}

// modify records a refresh grant's outcome and shortens the lifetime of the token it issued.
func (l *tokenLedger) modify(rsp *http.Response) error {
	presented, ok := rsp.Request.Context().Value(presentedKey{}).(string)
	if !ok {
		return nil
	}
	body, err := io.ReadAll(rsp.Body)
	_ = rsp.Body.Close()
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[rsp.StatusCode]++
	var tok map[string]any
	if rsp.StatusCode == http.StatusOK && json.Unmarshal(body, &tok) == nil {
		access, _ := tok["access_token"].(string)
		refresh, _ := tok["refresh_token"].(string)
		l.issued++
		l.index[digest(access)] = l.issued
		l.refresh[refresh] = l.issued
		l.spent[presented] = true
		l.last = refresh
		tok["expires_in"] = int(l.lifetime.Seconds())
		body, _ = json.Marshal(tok)
	} else if bytes.Contains(body, []byte("invalid_grant")) {
		l.stale++
	}
	rsp.Body = io.NopCloser(bytes.NewReader(body))
	rsp.ContentLength = int64(len(body))
	rsp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// lostRotations counts the refresh tokens issued, but the last, that no later refresh presented:
// rotations whose result never reached the store before the next refresh.
func (l *tokenLedger) lostRotations() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for rt := range l.refresh {
		if rt != l.last && !l.spent[rt] {
			n++
		}
	}
	return n
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// storeWatcher reads the token hash in Redis every few milliseconds, straight (not through the
// latency proxy), and counts every time it holds a token issued before the one it held last: a
// token overwritten by an older one. An empty hash (Redis restarted empty) is not a token.
type storeWatcher struct {
	l   *tokenLedger
	rdb *redis.Client
	key string

	mu          sync.Mutex
	lastIndex   int
	lastAccess  string
	regressions []string
	reads       int
}

func (w *storeWatcher) run(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
		rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		access, err := w.rdb.HGet(rctx, w.key, "access_token").Result()
		cancel()
		if err != nil || access == "" {
			continue
		}
		w.l.mu.Lock()
		i, known := w.l.index[digest(access)]
		w.l.mu.Unlock()
		w.mu.Lock()
		w.reads++
		if access != w.lastAccess { // each change of the stored token counts once
			w.lastAccess = access
			switch {
			case !known:
				w.regressions = append(w.regressions, "a token the ledger never saw issued")
			case i < w.lastIndex:
				w.regressions = append(w.regressions, "token "+strconv.Itoa(i)+" after token "+strconv.Itoa(w.lastIndex))
			}
			if known {
				w.lastIndex = i
			}
		}
		w.mu.Unlock()
	}
}
