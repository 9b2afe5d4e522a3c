// Command specclient runs a client in another language against kicktest and fails unless the
// fake saw the client's calls and no spec violation. `make spec-client` runs it with the
// TypeScript client of tools/spec/client, generated from the published OpenAPI documents.
//
//	go run ./tools/specclient [-timeout 60s] [-expect op=n,...] -- node tools/spec/out/js/client/main.js
//
// It starts kicktest on loopback and runs the command with the fake's coordinates in its
// environment: KICK_API_URL, KICK_OAUTH_URL, KICK_CLIENT_ID, KICK_CLIENT_SECRET and
// KICK_BROADCASTER_ID (kicktest's streamer, whose chat the client may write to). The command
// must exit 0. Then every response and request kicktest validated against openapi/kick.yaml must
// have passed: a request the fake rejected, a response or a delivery that breaks the spec, each
// fails the run. -expect names the operations the client must have called, with a minimum
// count, so that a client that calls nothing cannot pass.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "specclient:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("specclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", time.Minute, "how long the client may run")
	expect := fs.String("expect", "", "`op=n,...`: operations the client must call at least n times")
	if err := fs.Parse(args); err != nil {
		return err
	}
	command := fs.Args()
	if len(command) == 0 {
		return errors.New("no client command after --")
	}
	want, err := parseExpect(*expect)
	if err != nil {
		return err
	}

	// Violations records every violation; the handler would only print the server's own.
	srv, err := kicktest.NewServer(kicktest.WithSpecViolationHandler(func(error) {})) //nolint:contextcheck // NewServer takes no context; Close stops it
	if err != nil {
		return err
	}
	defer srv.Close()

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, command[0], command[1:]...) //nolint:gosec // the command is the caller's, as with go test -exec
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Env = append(os.Environ(),
		"KICK_API_URL="+srv.APIBaseURL,
		"KICK_OAUTH_URL="+srv.OAuthBaseURL,
		"KICK_CLIENT_ID="+srv.App.ClientID,
		"KICK_CLIENT_SECRET="+srv.App.ClientSecret,
		"KICK_BROADCASTER_ID="+strconv.FormatInt(kicktest.Streamer.UserID, 10),
	)
	runErr := cmd.Run()
	if ctx.Err() != nil {
		runErr = fmt.Errorf("the client did not finish within %v", *timeout)
	}
	return verdict(runErr, srv.Violations(), srv.ResponsesValidated(), want, stdout)
}

// verdict combines the client's exit, the violations the server recorded (requests it rejected
// and its own bad responses and deliveries) and the operations it validated into the result.
func verdict(runErr error, violations []error, validated, want map[string]int, out io.Writer) error {
	var errs []error
	if runErr != nil {
		errs = append(errs, fmt.Errorf("client: %w", runErr))
	}
	for _, v := range violations {
		errs = append(errs, fmt.Errorf("spec violation: %w", v))
	}
	for _, op := range slices.Sorted(maps.Keys(want)) {
		if got := validated[op]; got < want[op] {
			errs = append(errs, fmt.Errorf("%s: %d validated responses, want at least %d", op, got, want[op]))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	var ops []string
	for _, op := range slices.Sorted(maps.Keys(validated)) {
		ops = append(ops, fmt.Sprintf("%s=%d", op, validated[op]))
	}
	fmt.Fprintf(out, "specclient: 0 spec violations; responses validated: %s\n", strings.Join(ops, " "))
	return nil
}

// parseExpect parses "op=n,op=n".
func parseExpect(s string) (map[string]int, error) {
	out := map[string]int{}
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		op, n, ok := strings.Cut(part, "=")
		count, err := strconv.Atoi(n)
		if !ok || op == "" || err != nil || count < 1 {
			return nil, fmt.Errorf("invalid -expect %q: want op=n with n >= 1", part)
		}
		out[op] = count
	}
	return out, nil
}
