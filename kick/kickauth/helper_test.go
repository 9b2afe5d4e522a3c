package kickauth_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// helperCommand runs this test binary as a helper process in mode (see TestHelperProcess).
func helperCommand(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{"KICKAUTH_HELPER=" + mode}, env...)...)
	return cmd
}

// TestHelperProcess is not a test: helperCommand runs it in a child process.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("KICKAUTH_HELPER")
	if mode == "" {
		t.Skip("runs only as a helper process")
	}
	if err := helperMain(mode); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func helperMain(mode string) error {
	ctx := context.Background()
	s, err := kickauth.NewFileStore(os.Getenv("KICKAUTH_DIR"))
	if err != nil {
		return err
	}
	switch mode {
	case "try-lock": // exit status 4 if the lock stays taken for 100 ms
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		unlock, err := s.Lock(short, os.Getenv("KICKAUTH_KEY"))
		if errors.Is(err, context.DeadlineExceeded) {
			os.Exit(4)
		}
		if err != nil {
			return err
		}
		return unlock()
	case "refresh": // 20 goroutines get the user token after the barrier; prints its hash
		return helperRefresh(ctx, s)
	case "crash-before-rename":
		kickauth.SetBeforeRenameHook(s, func(string) error { os.Exit(3); return nil })
		return s.Save(ctx, os.Getenv("KICKAUTH_KEY"), testToken(2))
	}
	return fmt.Errorf("unknown mode %q", mode)
}

// helperRefresh is one of the processes of TestUserSourceTwoProcesses.
func helperRefresh(ctx context.Context, s *kickauth.FileStore) error {
	base := os.Getenv("KICKAUTH_URL")
	cfg := kickauth.NewConfig(testClientID, testClientSecret, testRedirectURL)
	cfg.Endpoint = kickauth.EndpointAt(base)
	src, err := kickauth.UserTokenSource(ctx, cfg, s, os.Getenv("KICKAUTH_KEY"))
	if err != nil {
		return err
	}
	resp, err := http.Get(base + "/barrier") // wait for the other process
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	got := make([]string, 20)
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			tok, err := src.Token()
			if err == nil {
				got[i] = tok.AccessToken
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, at := range got {
		if at != got[0] {
			return errors.New("goroutines got different tokens")
		}
	}
	fmt.Printf("token-sha256 %x\n", sha256.Sum256([]byte(got[0]))) // never the token itself
	return nil
}
