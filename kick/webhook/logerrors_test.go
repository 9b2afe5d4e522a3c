package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// syncWriter is a buffer for a logger written from the handler and read by the test.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) lines() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Split(strings.TrimSuffix(w.buf.String(), "\n"), "\n")
}

func textLogger(w *syncWriter) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

// A handler without an error hook logs to slog.Default(): a delivery signed with another key than
// the verifier trusts (kicktest's, say, where NewHandler() trusts Kick's) is a 403 with a
// reason in the log, not a silent one. Not parallel: it sets the default logger.
func TestHandlerLogsByDefault(t *testing.T) {
	var w syncWriter
	old := slog.Default()
	slog.SetDefault(textLogger(&w))
	t.Cleanup(func() { slog.SetDefault(old) })

	h, err := webhook.NewHandler() // Kick's key: testSigner's deliveries do not verify
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := testSigner().NewRequest("/kick/webhook", chatDelivery(t))
	req.RemoteAddr = "192.0.2.7:4711"
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	lines := w.lines()
	if len(lines) != 1 || !strings.Contains(lines[0], `level=WARN msg="webhook: request rejected" remote=192.0.2.7:4711 error=`) ||
		!strings.Contains(lines[0], "signature") {
		t.Errorf("log %q, want one warning naming the signature", lines)
	}
	if sig := req.Header.Get("Kick-Event-Signature"); strings.Contains(w.buf.String(), sig) || strings.Contains(w.buf.String(), "pixelpanda") {
		t.Error("the log holds the signature or the payload")
	}
}

// Errors of authentic deliveries are logged at level Error with the delivery's id and type, all
// of them; rejected requests a burst of 10, then one a second, the next line counting what was
// suppressed.
func TestLogErrors(t *testing.T) {
	t.Parallel()
	var w syncWriter
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	log := webhook.LogErrorsAt(textLogger(&w), func() time.Time { return now })
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/kick/webhook", nil)
	req.RemoteAddr = "192.0.2.7:4711"
	d := &webhook.Delivery{MessageID: "01KBHE78QE4HZY1617DK5FC7YD", Type: "chat.message.sent"}
	for range 25 {
		log(req, d, errors.New("bot down"))
	}
	for range 15 {
		log(req, nil, webhook.ErrSignatureMismatch)
	}
	now = now.Add(1500 * time.Millisecond) // one more line's worth
	log(req, nil, webhook.ErrSignatureMismatch)
	log(req, nil, webhook.ErrSignatureMismatch)

	lines := w.lines()
	if len(lines) != 25+10+1 {
		t.Fatalf("%d lines, want 36:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	if want := `level=ERROR msg="webhook: delivery failed" remote=192.0.2.7:4711 error="bot down" message_id=01KBHE78QE4HZY1617DK5FC7YD type=chat.message.sent`; lines[0] != want {
		t.Errorf("line\n%s\nwant\n%s", lines[0], want)
	}
	if want := `level=WARN msg="webhook: request rejected" remote=192.0.2.7:4711 error="webhook: signature mismatch"`; lines[25] != want {
		t.Errorf("line\n%s\nwant\n%s", lines[25], want)
	}
	if !strings.HasSuffix(lines[35], " suppressed=5") {
		t.Errorf("last line %q, want suppressed=5", lines[35])
	}
}

// NewHandler(WithErrorHook(f)) replaces the log: a hook that does nothing silences it.
func TestErrorHookReplacesTheLog(t *testing.T) {
	t.Parallel()
	signer, err := webhooktest.NewSigner()
	if err != nil {
		t.Fatal(err)
	}
	var got []error
	h, err := webhook.NewHandler(webhook.WithVerifier(newVerifier(t)), webhook.WithErrorHook(func(_ *http.Request, _ *webhook.Delivery, err error) {
		got = append(got, err)
	}))
	if err != nil {
		t.Fatal(err)
	}
	h.ServeHTTP(httptest.NewRecorder(), signer.NewRequest("/kick/webhook", chatDelivery(t)))
	if len(got) != 1 || !errors.Is(got[0], webhook.ErrSignatureMismatch) {
		t.Errorf("hook got %v", got)
	}
}
