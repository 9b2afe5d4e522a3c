// Command replicas runs a Kick app the way it runs in production, on one machine: three webhook
// receivers behind a round-robin load balancer and four API workers, all sharing one Redis,
// against the embedded fake Kick (package kicktest). Each receiver and worker has a Redis client
// of its own, as separate processes would.
//
//	go run ./examples/replicas                          # starts a redis-server of its own on loopback
//	go run ./examples/replicas -redis 127.0.0.1:6379    # uses yours (keys under a fresh prefix)
//
// (from the kickredis directory.) The fake delivers 100 chat messages and delivers 30 of them a
// second time, as Kick's retries: each is processed once, whichever receiver gets it. The
// streamer's token has expired on every worker at once: one refresh between them, and every worker
// ends with the rotated token; they share one app token too. It prints what happened and exits 0.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kickredis"
	"github.com/kick-sdk/kick-go/kickredis/internal/redisserver"
)

const (
	receivers  = 3
	workers    = 4
	events     = 100
	duplicates = 30
)

func main() {
	addr := flag.String("redis", "", "address of a Redis server (default: start a redis-server on loopback)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "replicas:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, addr string) error {
	if addr == "" {
		srv, err := redisserver.Start() //nolint:contextcheck // the server lives until run returns
		if err != nil {
			return fmt.Errorf("%w; or pass -redis host:port", err)
		}
		defer func() { _ = srv.Close() }() //nolint:contextcheck // stopping it must not depend on ctx
		addr = srv.Addr
	}
	prefix := fmt.Sprintf("replicas-demo:%d:", time.Now().UnixNano())
	newClient := func() *redis.Client { return redis.NewClient(&redis.Options{Addr: addr}) }
	fake, err := kicktest.NewServer() //nolint:contextcheck // the fake runs until Close
	if err != nil {
		return err
	}
	defer fake.Close()
	fmt.Fprintf(out, "Redis %s, fake Kick %s, key prefix %s\n", addr, fake.APIBaseURL, prefix)
	if err := webhooks(ctx, out, fake, newClient, prefix); err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	if err := tokens(ctx, out, fake, newClient, prefix); err != nil {
		return fmt.Errorf("tokens: %w", err)
	}
	return nil
}

// webhooks runs the receivers behind a round-robin balancer and has the fake deliver to it.
func webhooks(ctx context.Context, out io.Writer, fake *kicktest.Server, newClient func() *redis.Client, prefix string) error {
	key, err := webhook.ParsePublicKeyPEM([]byte(kicktest.PublicKeyPEM()))
	if err != nil {
		return err
	}
	verifier, err := webhook.NewVerifier(webhook.WithPublicKey(key))
	if err != nil {
		return err
	}
	var processed [receivers]atomic.Int64
	var backends []http.Handler
	for i := range receivers {
		rdb := newClient()
		defer func() { _ = rdb.Close() }()
		dedup, err := kickredis.NewWebhookStore(rdb, kickredis.WithPrefix(prefix))
		if err != nil {
			return err
		}
		h, err := webhook.NewHandler(webhook.WithVerifier(verifier), webhook.WithStore(dedup))
		if err != nil {
			return err
		}
		h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error {
			processed[i].Add(1)
			return nil
		})
		srv := httptest.NewServer(h)
		defer srv.Close()
		u, _ := url.Parse(srv.URL)
		backends = append(backends, httputil.NewSingleHostReverseProxy(u))
	}
	var next atomic.Uint64
	balancer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		backends[next.Add(1)%receivers].ServeHTTP(w, r)
	}))
	defer balancer.Close()
	fake.SetWebhookURL(balancer.URL + "/kick/webhook")

	app, err := fake.Client(kicktest.Streamer.UserID)
	if err != nil {
		return err
	}
	if _, err := app.Events.SubscribeTo(ctx, kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
		return err
	}
	for i := range events {
		fake.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, fmt.Sprintf("message %d", i))
	}
	if err := fake.Flush(ctx); err != nil {
		return err
	}
	// Kick's retries: the same deliveries again, signed alike, to whichever receiver is next.
	var wg sync.WaitGroup
	errs := make([]error, duplicates)
	for i, d := range fake.Deliveries()[:duplicates] {
		wg.Go(func() { errs[i] = redeliver(ctx, balancer.URL+"/kick/webhook", d) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	total := int64(0)
	fmt.Fprintf(out, "webhooks: %d events, %d deliveries to %d receivers; processed", events, events+duplicates, receivers)
	for i := range processed {
		n := processed[i].Load()
		total += n
		fmt.Fprintf(out, " %d", n)
	}
	fmt.Fprintf(out, " = %d: each event once\n", total)
	if total != events {
		return fmt.Errorf("%d events processed, want %d", total, events)
	}
	return nil
}

func redeliver(ctx context.Context, url string, d kicktest.Delivery) error {
	headers := kicktest.Signer().Headers(webhook.Delivery{MessageID: d.MessageID, SubscriptionID: d.SubscriptionID,
		Type: d.Type, Version: 1, Timestamp: d.Timestamp, Body: d.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return err
	}
	req.Header = headers
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = rsp.Body.Close() }()
	if rsp.StatusCode != http.StatusOK {
		return fmt.Errorf("a retried delivery was answered %s", rsp.Status)
	}
	return nil
}

// tokens has the workers, with an expired user token in the shared store, ask for it at once.
func tokens(ctx context.Context, out io.Writer, fake *kicktest.Server, newClient func() *redis.Client, prefix string) error {
	cfg := fake.OAuthConfig("http://localhost:8976/callback")
	key := kickauth.StoreKey(cfg.ClientID, "streamer")
	tok := fake.UserToken(kicktest.Streamer.UserID)
	tok.Expiry = time.Now().Add(-time.Second) // expired on every worker at once
	seed := newClient()
	defer func() { _ = seed.Close() }()
	store, err := kickredis.NewTokenStore(seed, kickredis.WithPrefix(prefix))
	if err != nil {
		return err
	}
	if err := store.Save(ctx, key, tok); err != nil {
		return err
	}
	var wg sync.WaitGroup
	users, apps := make([]string, workers), make([]string, workers)
	errs := make([]error, workers)
	for i := range workers {
		rdb := newClient()
		defer func() { _ = rdb.Close() }()
		wg.Go(func() {
			store, err := kickredis.NewTokenStore(rdb, kickredis.WithPrefix(prefix))
			if err != nil {
				errs[i] = err
				return
			}
			src, err := kickauth.UserTokenSource(ctx, cfg, store, key)
			if err != nil {
				errs[i] = err
				return
			}
			client, err := kick.NewClient(kick.WithAPIBaseURL(fake.APIBaseURL), kick.WithOAuthBaseURL(fake.OAuthBaseURL),
				kick.WithUserTokenSource(src))
			if err != nil {
				errs[i] = err
				return
			}
			me, err := client.Users.Me(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			u, err := src.Token()
			if err != nil {
				errs[i] = err
				return
			}
			a, err := kickauth.AppTokenSource(ctx, cfg, kickauth.WithAppTokenStore(store, "")).Token()
			if err != nil {
				errs[i] = err
				return
			}
			users[i], apps[i] = me.Username+" "+u.AccessToken, a.AccessToken
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	stored, err := store.Load(ctx, key)
	if err != nil {
		return err
	}
	for i, u := range users {
		if u != "kickgo_streamer "+stored.AccessToken {
			return fmt.Errorf("worker %d does not have the rotated token", i)
		}
	}
	for i, a := range apps {
		if a != apps[0] {
			return fmt.Errorf("worker %d has an app token of its own", i)
		}
	}
	n := fake.Requests("POST /oauth/token")
	fmt.Fprintf(out, "tokens: %d workers, %d token requests (one refresh, one app token); every worker has the rotated user token and the one app token\n",
		workers, n)
	if n != 2 {
		return fmt.Errorf("%d token requests, want 2", n)
	}
	return nil
}
