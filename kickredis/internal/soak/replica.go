package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kickredis"
)

// replicaConfig is what a webhook replica reads on stdin.
type replicaConfig struct {
	Index     int
	Listen    string // host:port of its server
	Redis     string // the latency proxy's address
	Prefix    string
	LedgerURL string // where the function records each delivery it processes
}

// runReplica serves webhook deliveries: a webhook.Handler trusting kicktest's key, on a
// kickredis.WebhookStore. Its function records the delivery in the coordinator's ledger (the
// side effect whose count the soak checks), after a few milliseconds of work; the first attempt
// of one delivery in fifty fails, as a database hiccup would, so that releases are exercised.
func runReplica(cfg replicaConfig) error {
	redis.SetLogger(quietLogger{})
	rdb := redis.NewClient(&redis.Options{Addr: cfg.Redis})
	store, err := kickredis.NewWebhookStore(rdb, kickredis.WithPrefix(cfg.Prefix))
	if err != nil {
		return err
	}
	// Every error but a copy answered 409 goes to the replica's log, with its time, for the
	// report's unexplained doubles.
	h, err := kicktest.NewHandler(webhook.WithStore(store), webhook.WithErrorHook(func(_ *http.Request, _ *webhook.Delivery, err error) {
		if !errors.Is(err, webhook.ErrInFlight) {
			fmt.Fprintf(os.Stderr, "%s %v\n", time.Now().Format("15:04:05.000"), err)
		}
	}))
	if err != nil {
		return err
	}
	ledger := &http.Client{Timeout: 10 * time.Second}
	pid := strconv.Itoa(os.Getpid())
	h.OnChatMessageSent(func(ctx context.Context, d *webhook.Delivery, _ *webhook.ChatMessageSent) error {
		start := time.Now()
		time.Sleep(time.Duration(randN(5000)) * time.Microsecond)
		if hiccup(d.MessageID) && randN(2) == 0 {
			return errors.New("database hiccup")
		}
		req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, cfg.LedgerURL,
			bytes.NewReader([]byte(d.MessageID)))
		if err != nil {
			return err
		}
		req.Header.Set("Soak-Replica", strconv.Itoa(cfg.Index))
		req.Header.Set("Soak-Pid", pid)
		req.Header.Set("Soak-Start", start.Format(time.RFC3339Nano))
		rsp, err := ledger.Do(req)
		if err != nil {
			return err
		}
		_ = rsp.Body.Close()
		if rsp.StatusCode != http.StatusNoContent {
			return fmt.Errorf("ledger: %s", rsp.Status)
		}
		return nil
	})
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", cfg.Listen)
	if err != nil {
		return err
	}
	fmt.Println("ready")
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, IdleTimeout: time.Minute}
	return srv.Serve(ln)
}

// hiccup picks one delivery in fifty, the same in every replica.
func hiccup(id string) bool {
	var n uint32
	for i := 0; i < len(id); i++ {
		n = n*31 + uint32(id[i])
	}
	return n%50 == 0
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
