package kickauth_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// No log line, error message or printed value of this package contains a token, a code, a
// verifier or the client secret — whichever fmt verb or slog handler prints it, and even when the
// server or a store echoes secrets in its errors.
func TestNoTokenLeaks(t *testing.T) {
	t.Parallel()
	f := newFakeKick(t)
	f.echoSecrets = true
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	textLogger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := kickauth.WithLogger(logger)
	ctx := t.Context()
	var errs []error
	var printed []any
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	// App token.
	app := kickauth.AppTokenSource(ctx, f.config(), opt)
	appTok, err := app.Token()
	if err != nil {
		t.Fatal(err)
	}
	bad := f.config()
	bad.ClientSecret = "client-secret-wrong"
	_, err = kickauth.AppTokenSource(ctx, bad, opt).Token()
	keep(err)

	// Authorization, with a used code and a wrong state.
	cfg := f.config(kick.ScopeUserRead)
	req := kickauth.NewAuthRequest(cfg)
	q := authorizeAtFake(t, req.URL)
	userTok, err := kickauth.Exchange(ctx, cfg, req, q)
	if err != nil {
		t.Fatal(err)
	}
	_, err = kickauth.Exchange(ctx, cfg, req, q)
	keep(err)
	q.Set("state", "forged")
	_, err = kickauth.Exchange(ctx, cfg, req, q)
	keep(err)

	// User token: store, refresh, a careless store, invalid_grant, Kick down.
	var clock atomic.Int64
	fs := newFileStore(t)
	rs := newRecordingStore(fs, &clock)
	user, err := kickauth.UserTokenSource(ctx, cfg, rs, testKey, opt)
	if err != nil {
		t.Fatal(err)
	}
	keep(user.SetToken(ctx, userTok))
	user.Invalidate(userTok.AccessToken)
	refreshed, err := user.Token()
	keep(err)
	user.Invalidate(refreshed.AccessToken)
	rs.setFail(true)
	_, err = user.Token()
	keep(err)
	rs.setFail(false)
	refreshed, err = user.Token()
	keep(err)
	f.revokeAll()
	user.Invalidate(refreshed.AccessToken)
	_, err = user.Token()
	keep(err)

	down := newFakeKick(t)
	down.failStatus = 502
	ms := kickauth.NewMemoryStore()
	mustSave(t, ms, down.seedUserToken(time.Now()))
	downSrc, _ := kickauth.UserTokenSource(ctx, down.config(), ms, testKey, opt)
	_, err = downSrc.Token()
	keep(err)

	if len(errs) < 6 {
		t.Fatalf("only %d errors collected", len(errs))
	}
	for _, err := range errs {
		printed = append(printed, err)
	}
	printed = append(printed, app, user, downSrc, ms, fs, req, kickauth.Redact(appTok), kickauth.Redact(refreshed),
		kickauth.NewFileRecord(testKey, refreshed))

	var out strings.Builder
	for _, v := range printed {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		fmt.Fprintln(&out, v)
		logger.Info("value", "v", v)
		textLogger.Info("value", "v", v, slog.Any("any", v))
	}
	for _, err := range errs {
		fmt.Fprintln(&out, err.Error())
	}
	out.WriteString(logs.String())

	secrets := append(f.secrets(), down.secrets()...)
	secrets = append(secrets, req.Verifier, "client-secret-wrong")
	if len(secrets) < 10 {
		t.Fatalf("only %d secrets to look for", len(secrets))
	}
	text := out.String()
	for _, s := range secrets {
		if i := strings.Index(text, s); i >= 0 {
			t.Errorf("output contains a secret: ...%s...", text[max(0, i-200):i])
		}
	}
	for _, want := range []string{"kickauth: refreshed the user token", "kickauth: user token refresh failed", "REDACTED"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q: the test no longer exercises what it should", want)
		}
	}
	if !errors.Is(errs[len(errs)-2], kickauth.ErrReauthorize) {
		t.Errorf("expected invalid_grant, got %v", errs[len(errs)-2])
	}
}
