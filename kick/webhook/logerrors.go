package webhook

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Limits of LogErrors on rejected requests: a burst of logRejectBurst lines, then one per
// logRejectEvery.
const (
	logRejectBurst = 10
	logRejectEvery = time.Second
)

// LogErrors returns an error hook that logs each error to logger, or to slog.Default() at the time
// of logging when logger is nil: a rejected request at level Warn ("webhook: request rejected",
// with the remote address and the error), any other error at level Error ("webhook: delivery
// failed", with the delivery's message id and type too). It is the hook of a Handler without
// WithErrorHook, so that a delivery refused with 403 — a verifier that trusts another key than
// the sender's, such as Kick's where kicktest signs — does not go unnoticed.
//
// Rejected requests are what anyone can send, so their lines are limited: a burst of 10, then one
// a second; the next line logged says how many were suppressed ("suppressed"). Errors of
// authentic deliveries are never suppressed. No line holds a key, a signature or a payload.
func LogErrors(logger *slog.Logger) ErrorFunc { return logErrors(logger, time.Now) }

func logErrors(logger *slog.Logger, now func() time.Time) ErrorFunc {
	l := &errorLogger{logger: logger, now: now, tokens: logRejectBurst, last: now()}
	return l.log
}

type errorLogger struct {
	logger *slog.Logger
	now    func() time.Time

	mu         sync.Mutex
	tokens     float64 // lines of rejected requests that may be logged now
	last       time.Time
	suppressed int
}

func (l *errorLogger) log(r *http.Request, d *Delivery, err error) {
	logger := l.logger
	if logger == nil {
		logger = slog.Default()
	}
	ctx, remote := context.Background(), "" //nolint:contextcheck // no request: a delivery given to Handler.Dispatch
	if r != nil {
		ctx, remote = context.WithoutCancel(r.Context()), r.RemoteAddr
	}
	attrs := []slog.Attr{slog.String("remote", remote), slog.String("error", err.Error())}
	if d == nil {
		n, ok := l.allow(l.now())
		if !ok {
			return
		}
		if n > 0 {
			attrs = append(attrs, slog.Int("suppressed", n))
		}
		logger.LogAttrs(ctx, slog.LevelWarn, "webhook: request rejected", attrs...)
		return
	}
	attrs = append(attrs, slog.String("message_id", d.MessageID), slog.String("type", string(d.Type)))
	logger.LogAttrs(ctx, slog.LevelError, "webhook: delivery failed", attrs...)
}

// allow takes a token of the bucket if there is one, and returns how many lines were suppressed
// since the last one logged.
func (l *errorLogger) allow(now time.Time) (suppressed int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if elapsed := now.Sub(l.last); elapsed > 0 {
		l.tokens = min(logRejectBurst, l.tokens+float64(elapsed)/float64(logRejectEvery))
	}
	l.last = now
	if l.tokens < 1 {
		l.suppressed++
		return 0, false
	}
	l.tokens--
	n := l.suppressed
	l.suppressed = 0
	return n, true
}
