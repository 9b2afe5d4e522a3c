package kickredis_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kickredis"
)

// helperEnv set in the environment makes the test binary a helper process (TestHelperProcess).
const helperEnv = "KICKREDIS_HELPER"

// helperConfig is what a helper process reads on its stdin, so that the client secret is in
// neither its command line nor its environment.
type helperConfig struct {
	Redis, Prefix, Key                   string
	ClientID, ClientSecret, OAuthBaseURL string
	Lease, Timeout                       time.Duration
	Callers                              int
}

// TestHelperProcess is not a test: startHelper runs it in a child process, a worker of an app
// with a UserSource on the Redis store. It reads its configuration, says "ready", waits for "go",
// calls Token from Callers goroutines at once, and prints "token" and the SHA-256 of the access
// token they all got.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("runs only as a helper process")
	}
	if err := helperMain(os.Stdin, os.Stdout); err != nil {
		fmt.Println("error", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(1)
	}
	os.Exit(0)
}

func helperMain(stdin io.Reader, stdout io.Writer) error {
	in := bufio.NewReader(stdin)
	line, err := in.ReadBytes('\n')
	if err != nil {
		return err
	}
	var cfg helperConfig
	if err := json.Unmarshal(line, &cfg); err != nil {
		return err
	}
	ctx := context.Background()
	client := redis.NewClient(&redis.Options{Addr: cfg.Redis})
	defer func() { _ = client.Close() }()
	store, err := kickredis.NewTokenStore(client, kickredis.WithPrefix(cfg.Prefix), kickredis.WithLease(cfg.Lease),
		kickredis.WithTimeout(cfg.Timeout))
	if err != nil {
		return err
	}
	oc := kickauth.NewConfig(cfg.ClientID, cfg.ClientSecret, "http://localhost:8976/callback")
	oc.Endpoint = kickauth.EndpointAt(cfg.OAuthBaseURL)
	src, err := kickauth.UserTokenSource(ctx, oc, store, cfg.Key)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "ready")
	if cmd, err := in.ReadString('\n'); err != nil || cmd != "go\n" {
		return fmt.Errorf("waiting for go: %q, %w", cmd, err)
	}
	got := make([]string, cfg.Callers)
	errs := make([]error, cfg.Callers)
	var wg sync.WaitGroup
	for i := range cfg.Callers {
		wg.Go(func() {
			tok, err := src.Token()
			if err != nil {
				errs[i] = err
				return
			}
			got[i] = digest(tok.AccessToken)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, g := range got {
		if g != got[0] {
			return errors.New("goroutines of one process got different tokens")
		}
	}
	fmt.Fprintln(stdout, "token", got[0])
	return nil
}

// digest stands for a token in the helpers' output, which must not show it.
func digest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// helper is a running helper process.
type helper struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startHelper(t *testing.T, cfg helperConfig) *helper {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{t: t, cmd: cmd, stdin: stdin, lines: make(chan string, 8)}
	go func() {
		defer close(h.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			h.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	b, _ := json.Marshal(cfg)
	if _, err := stdin.Write(append(b, '\n')); err != nil {
		t.Fatal(err)
	}
	if line := h.line(); line != "ready" {
		t.Fatalf("helper: %q, want ready", line)
	}
	return h
}

// line returns the helper's next line of output ("" when it has ended).
func (h *helper) line() string {
	select {
	case l := <-h.lines:
		return l
	case <-time.After(time.Minute):
		h.t.Fatal("helper: no output for a minute")
		return ""
	}
}

func (h *helper) start() {
	if _, err := io.WriteString(h.stdin, "go\n"); err != nil {
		h.t.Fatal(err)
	}
}

// result waits for the helper's token digest.
func (h *helper) result() string {
	h.t.Helper()
	line := h.line()
	if err := h.cmd.Wait(); err != nil || !strings.HasPrefix(line, "token ") {
		h.t.Fatalf("helper: %q, exit %v", line, err)
	}
	return strings.TrimPrefix(line, "token ")
}

// kill kills the helper with SIGKILL, as kill -9 does.
func (h *helper) kill() {
	if err := h.cmd.Process.Kill(); err != nil {
		h.t.Fatal(err)
	}
	_ = h.cmd.Wait()
}

// record is what the token's hash holds, read directly.
type record struct {
	access, refresh string
	fence           int64
}

func readRecord(ctx context.Context, c redis.UniversalClient, key string) (record, error) {
	v, err := c.HMGet(ctx, key, "access_token", "refresh_token", "fence").Result()
	if err != nil {
		return record{}, err
	}
	var r record
	r.access, _ = v[0].(string)
	r.refresh, _ = v[1].(string)
	if f, ok := v[2].(string); ok {
		_, _ = fmt.Sscan(f, &r.fence)
	}
	return r, nil
}

// watchStore reads the token's record every millisecond until stop is closed, and fails the test
// if it ever goes backwards: a smaller fence, or an access token it held before another.
func watchStore(t *testing.T, c redis.UniversalClient, key string, stop <-chan struct{}) (done <-chan []record) {
	out := make(chan []record, 1)
	var seen []record
	observe := func() {
		r, err := readRecord(context.Background(), c, key)
		if err != nil {
			return
		}
		if n := len(seen); n > 0 && seen[n-1] == r {
			return
		}
		for _, old := range seen {
			if old.access == r.access {
				t.Errorf("the store went back to an earlier token (fence %d after %d)", r.fence, seen[len(seen)-1].fence)
			}
		}
		if n := len(seen); n > 0 && r.fence < seen[n-1].fence {
			t.Errorf("the store's fence went back from %d to %d", seen[n-1].fence, r.fence)
		}
		seen = append(seen, r)
	}
	// The state before the caller starts anything, and the state when it stops, are always seen:
	// a poller on a loaded machine may not run in between.
	observe()
	go func() {
		for {
			select {
			case <-stop:
				observe()
				out <- seen
				return
			case <-time.After(time.Millisecond):
			}
			observe()
		}
	}()
	return out
}

// checkRefreshTokenWorks refreshes once more with the stored refresh token: nothing was lost.
func checkRefreshTokenWorks(t *testing.T, cfg *oauth2.Config, rt string) {
	t.Helper()
	if _, err := cfg.TokenSource(t.Context(), &oauth2.Token{RefreshToken: rt}).Token(); err != nil {
		t.Errorf("the stored refresh token does not work: a rotation was lost: %v", err)
	}
}
