package relay_test

import (
	"bufio"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// helperEnv makes the test binary a relay process (relayMain), for the tests that kill one.
const helperEnv = "RELAY_TEST_HELPER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		if err := relayMain(dir); err != nil {
			fmt.Fprintln(os.Stderr, "relay helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// relayMain serves a relay on the address in dir/addr, with its log in dir/relay.db, its tokens
// in dir/tokens.json, trusting the key in dir/key.pem, until it is killed.
func relayMain(dir string) error {
	addr, err := os.ReadFile(filepath.Join(dir, "addr"))
	if err != nil {
		return err
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, "key.pem"))
	if err != nil {
		return err
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return errors.New("no PEM block")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return err
	}
	v, err := webhook.NewVerifier(webhook.WithPublicKey(key.(*rsa.PublicKey)))
	if err != nil {
		return err
	}
	l, err := relay.OpenBolt(filepath.Join(dir, "relay.db"), relay.BoltOptions{})
	if err != nil {
		return err
	}
	srv, err := relay.NewServer(l, relay.NewFileTokens(filepath.Join(dir, "tokens.json")),
		relay.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), relay.WithWebhookOptions(webhook.WithVerifier(v)))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", strings.TrimSpace(string(addr)))
	if err != nil {
		return err
	}
	fmt.Println("ready")
	return (&http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

// startRelayProcess starts the test binary as a relay on dir, and waits until it serves.
func startRelayProcess(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("relay process: %q, %v", line, err)
	}
	return cmd
}

// The relay killed with SIGKILL while deliveries stream in loses none that Kick got a 2xx for:
// "Kick" (eight senders that retry a delivery until it is answered 2xx, as Kick does) sends 240
// deliveries, the relay process is killed after 80 were acknowledged and started again on the
// same file, and a consumer connected throughout (it reconnects with backoff), with no dedup of
// its own, receives every one of the 240 exactly once.
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts relay processes")
	}
	dir := t.TempDir()
	signer := testSigner()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	for name, content := range map[string]string{"addr": addr, "key.pem": signer.PublicKeyPEM()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tok, _, err := relay.CreateToken(context.Background(), relay.NewFileTokens(filepath.Join(dir, "tokens.json")), relay.Grant{Broadcasters: []int64{1001}})
	if err != nil {
		t.Fatal(err)
	}
	proc := startRelayProcess(t, dir)
	base := "http://" + addr
	// No dedup in the consumer: a delivery the relay logged or streamed twice would show.
	c, _ := subscribe(t, base+relay.DefaultEventsPath, tok, relay.Filter{}, relay.WithStart(relay.ID{}),
		relay.WithCursor(relay.NewFileCursors(t.TempDir()), "bot"), relay.WithDedupStore(noDedup{}))

	const n = 240
	var (
		mu    sync.Mutex
		acked = map[string]bool{}
		ackCh = make(chan struct{}, n)
	)
	ids := make(chan webhook.Delivery, n)
	for i := range n {
		ids <- webhooktest.NewDelivery(kicktypes.EventChatMessageSent, chatBody(1001, fmt.Sprintf("m-%d", i), 0))
	}
	close(ids)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for d := range ids {
				for attempt := 0; ; attempt++ {
					d.Timestamp = time.Now().UTC() // a retry is signed anew, as Kick's are
					if status, err := send(base+relay.DefaultWebhookPath, signer.Headers(d), d.Body); err == nil && status == http.StatusOK {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				mu.Lock()
				acked[d.MessageID] = true
				mu.Unlock()
				ackCh <- struct{}{}
			}
		})
	}
	for range 80 {
		<-ackCh
	}
	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = proc.Wait()
	mu.Lock()
	ackedAtKill := len(acked)
	mu.Unlock()
	startRelayProcess(t, dir)
	wg.Wait()

	c.waitFor(t, n)
	time.Sleep(200 * time.Millisecond) // a duplicate would come right after
	got := c.deliveries()
	seen := map[string]int{}
	for _, d := range got {
		seen[d.MessageID]++
	}
	for id := range acked {
		if seen[id] != 1 {
			t.Errorf("delivery %s, acknowledged, received %d times", id, seen[id])
		}
	}
	if len(got) != n {
		t.Errorf("received %d deliveries, want %d", len(got), n)
	}
	t.Logf("%d deliveries acknowledged when the relay was killed; all %d received once", ackedAtKill, n)
}

func send(url string, h http.Header, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// noDedup lets every delivery through.
type noDedup struct{}

func (noDedup) Claim(context.Context, string, time.Duration) error    { return nil }
func (noDedup) Complete(context.Context, string, time.Duration) error { return nil }
func (noDedup) Release(context.Context, string) error                 { return nil }
