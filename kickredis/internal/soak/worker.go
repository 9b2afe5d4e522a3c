package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kickredis"
)

// workerConfig is what a token worker reads on stdin.
type workerConfig struct {
	Index                                int
	Redis                                string // the latency proxy's address
	Prefix, Key                          string
	ClientID, ClientSecret, OAuthBaseURL string
	ReportURL                            string
}

// workerEvent is what a worker reports: a token it was handed ("token", with the access token's
// digest), or an error ("error", with its kind).
type workerEvent struct {
	Worker int    `json:"worker"`
	Kind   string `json:"kind"`
	Digest string `json:"digest,omitempty"`
	Error  string `json:"error,omitempty"`
}

// runWorker asks a UserSource on the Redis token store for the token every 50 to 150 ms, as a
// program calling Kick would, and now and then reports the token as rejected (Invalidate, as
// after a 401), so that the workers refresh often and at once. It reports every new token and
// every error.
func runWorker(cfg workerConfig) error {
	redis.SetLogger(quietLogger{})
	rdb := redis.NewClient(&redis.Options{Addr: cfg.Redis})
	store, err := kickredis.NewTokenStore(rdb, kickredis.WithPrefix(cfg.Prefix))
	if err != nil {
		return err
	}
	oc := kickauth.NewConfig(cfg.ClientID, cfg.ClientSecret, "http://localhost:8976/callback")
	oc.Endpoint = kickauth.EndpointAt(cfg.OAuthBaseURL)
	ctx := context.Background()
	src, err := kickauth.UserTokenSource(ctx, oc, store, cfg.Key)
	if err != nil {
		return err
	}
	report := &http.Client{Timeout: 10 * time.Second}
	send := func(ev workerEvent) {
		ev.Worker = cfg.Index
		b, _ := json.Marshal(ev)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.ReportURL, bytes.NewReader(b))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		if rsp, err := report.Do(req); err == nil {
			_ = rsp.Body.Close()
		}
	}
	fmt.Println("ready")
	last := ""
	for {
		time.Sleep(time.Duration(50+randN(100)) * time.Millisecond)
		tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		tok, err := src.TokenContext(tctx)
		cancel()
		if err != nil {
			send(workerEvent{Kind: "error", Error: errorKind(err)})
			continue
		}
		sum := sha256.Sum256([]byte(tok.AccessToken))
		digest := hex.EncodeToString(sum[:8])
		if digest != last {
			last = digest
			send(workerEvent{Kind: "token", Digest: digest})
		}
		if randN(100) == 0 {
			src.Invalidate(tok.AccessToken)
		}
	}
}

// errorKind sorts a worker's error for the report; the message never holds a token.
func errorKind(err error) string {
	switch {
	case errors.Is(err, kickauth.ErrNoToken), errors.Is(err, kickauth.ErrReauthorize) && strings.Contains(err.Error(), "no token in the store"):
		// After Redis restarted empty: the source holds no token Kick accepts, another worker
		// holds the newer one and saves it at its next refresh.
		return "reauthorize with no token in the store: " + err.Error()
	case errors.Is(err, kickauth.ErrReauthorize):
		return "reauthorize: " + err.Error()
	case errors.Is(err, kickredis.ErrUnavailable):
		return "redis unavailable"
	case errors.Is(err, kickauth.ErrLeaseLost):
		return "lease lost"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case strings.Contains(err.Error(), "token endpoint answered"):
		return "token endpoint failed: " + err.Error()
	}
	return "other: " + err.Error()
}
