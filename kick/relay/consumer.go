package relay

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Defaults of a consumer.
const (
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait before reconnecting, which doubles
	// with each failure in a row, with jitter.
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
	// DefaultIdleTimeout is how long a consumer waits for a byte (an event or the relay's
	// heartbeat) before it takes the connection for dead and reconnects.
	DefaultIdleTimeout = time.Minute
	// maxEventBytes bounds one event: a delivery body of 1 MiB in base64, and its envelope.
	maxEventBytes = 2 << 20
)

// Errors of a consumer.
var (
	// ErrUnauthorized: the relay refused the token (401): unknown, revoked or expired.
	ErrUnauthorized = errors.New("relay: the relay refused the token")
	// ErrForbidden: the filter asks for a channel or an event type the token does not allow
	// (403).
	ErrForbidden = errors.New("relay: the token does not allow the filter")
	// ErrGap matches a *GapError.
	ErrGap = errors.New("relay: deliveries missed")
)

// GapError says that the relay had deleted records the consumer had not read: retention ran
// out while it was away (or its cursor is not of this relay's log). The deliveries between After
// and ResumeAfter are lost to it. The consumer goes on after ResumeAfter.
type GapError struct {
	// After is the consumer's cursor, and ResumeAfter where it goes on.
	After, ResumeAfter ID
	// Reason is the relay's: "retention" or "unknown cursor".
	Reason string
}

func (e *GapError) Error() string {
	return fmt.Sprintf("relay: deliveries after %s up to %s are lost (%s)", e.After, e.ResumeAfter, e.Reason)
}

// Is makes errors.Is(err, ErrGap) true.
func (e *GapError) Is(target error) bool { return target == ErrGap }

// StatusError is a relay's refusal of a connection: the status and the start of its message.
// It matches ErrUnauthorized for 401 and ErrForbidden for 403.
type StatusError struct {
	StatusCode int
	Message    string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("relay: %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
}

// Is matches ErrUnauthorized and ErrForbidden by status.
func (e *StatusError) Is(target error) bool {
	return (target == ErrUnauthorized && e.StatusCode == http.StatusUnauthorized) ||
		(target == ErrForbidden && e.StatusCode == http.StatusForbidden)
}

// Filter narrows what a consumer reads to some channels and event types, within what its token
// allows. The zero Filter reads everything the token allows.
type Filter struct {
	// Broadcasters are channels' broadcaster user ids; empty means every channel the token
	// allows.
	Broadcasters []int64
	// Types are event types; empty means every type the token allows.
	Types []kicktypes.EventType
}

// ConsumerOption configures Subscribe and Run.
type ConsumerOption func(*consumerConfig) error

type consumerConfig struct {
	urls        []string
	client      *http.Client
	cursors     CursorStore
	cursorKey   string
	start       *ID
	dedup       webhook.Store
	minBackoff  time.Duration
	maxBackoff  time.Duration
	idleTimeout time.Duration
	onError     func(error)
}

// WithCursor makes the consumer resume from the cursor saved in store under key, and save its
// cursor there after each delivery it processed. Without it, the cursor lives in memory: the
// consumer resumes across reconnections, and a new one starts with the next delivery appended.
func WithCursor(store CursorStore, key string) ConsumerOption {
	return func(c *consumerConfig) error {
		if store == nil || key == "" {
			return errors.New("nil cursor store or empty key")
		}
		c.cursors, c.cursorKey = store, key
		return nil
	}
}

// WithStart sets where a consumer without a saved cursor starts: after the record id; the zero
// ID starts with the oldest record the relay holds. Without it, such a consumer starts with the
// next delivery appended.
func WithStart(after ID) ConsumerOption {
	return func(c *consumerConfig) error {
		c.start = &after
		return nil
	}
}

// WithDedupStore sets the Store that Subscribe processes each delivery once with
// (webhook.NewMemoryStore(0) unless set); a Store that outlives the process, such as
// kickredis.WebhookStore, keeps that promise across restarts. Run uses its Handler's Store.
func WithDedupStore(s webhook.Store) ConsumerOption {
	return func(c *consumerConfig) error {
		if s == nil {
			return errors.New("nil dedup store")
		}
		c.dedup = s
		return nil
	}
}

// WithHTTPClient sets the HTTP client (a client without a timeout, as a stream lasts, unless
// set). Its Timeout must be zero.
func WithHTTPClient(hc *http.Client) ConsumerOption {
	return func(c *consumerConfig) error {
		if hc == nil {
			return errors.New("nil HTTP client")
		}
		c.client = hc
		return nil
	}
}

// WithFallbackURLs adds other relays on the same log (on Redis) to connect to, in turn, when the
// current one fails.
func WithFallbackURLs(urls ...string) ConsumerOption {
	return func(c *consumerConfig) error {
		for _, u := range urls {
			if err := checkURL(u); err != nil {
				return err
			}
		}
		c.urls = append(c.urls, urls...)
		return nil
	}
}

// WithBackoff sets the least and the most wait before reconnecting (DefaultMinBackoff,
// DefaultMaxBackoff).
func WithBackoff(minWait, maxWait time.Duration) ConsumerOption {
	return func(c *consumerConfig) error {
		if minWait <= 0 || maxWait < minWait {
			return fmt.Errorf("backoff %v to %v: want 0 < min <= max", minWait, maxWait)
		}
		c.minBackoff, c.maxBackoff = minWait, maxWait
		return nil
	}
}

// WithIdleTimeout sets how long a connection may stay silent (DefaultIdleTimeout); it must be
// longer than the relay's heartbeat.
func WithIdleTimeout(d time.Duration) ConsumerOption {
	return func(c *consumerConfig) error {
		if d <= 0 {
			return fmt.Errorf("idle timeout %v is not positive", d)
		}
		c.idleTimeout = d
		return nil
	}
}

// WithConsumerErrorHook sets a function told about each error the consumer recovers from: a
// connection that failed or broke before it reconnects, and, for Run, each gap (a *GapError).
func WithConsumerErrorHook(fn func(error)) ConsumerOption {
	return func(c *consumerConfig) error {
		if fn == nil {
			return errors.New("nil error hook")
		}
		c.onError = fn
		return nil
	}
}

func checkURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("relay URL %q: want an http or https URL", u)
	}
	return nil
}

func newConsumerConfig(rawURL string, opts []ConsumerOption) (*consumerConfig, error) {
	if err := checkURL(rawURL); err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	c := &consumerConfig{urls: []string{rawURL}, client: &http.Client{}, minBackoff: DefaultMinBackoff,
		maxBackoff: DefaultMaxBackoff, idleTimeout: DefaultIdleTimeout, onError: func(error) {}}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("relay: nil consumer option")
		}
		if err := opt(c); err != nil {
			return nil, fmt.Errorf("relay: %w", err)
		}
	}
	if c.cursors == nil {
		c.cursors, c.cursorKey = NewMemoryCursors(), "cursor"
	}
	if c.dedup == nil {
		c.dedup = webhook.NewMemoryStore(0)
	}
	return c, nil
}

// Subscribe streams the deliveries a relay holds for token, narrowed by f: from the cursor saved
// with WithCursor, or from the next delivery appended. It reconnects with backoff (to the
// fallback URLs in turn) and resumes where it was, so a consumer away for a while misses
// nothing the relay still holds; it yields a *GapError (matching ErrGap) for what it no longer
// does, and goes on if the loop does. Each delivery is yielded once: a copy (a delivery Kick
// sent twice, or one seen again after a crash) is skipped by the dedup Store
// (WithDedupStore). A delivery counts as processed, and the cursor is saved past it, when the
// loop's body for it is over, break included.
//
// The sequence ends when ctx ends (without an error), or with the error that ends it: the
// relay refused the token (ErrUnauthorized) or the filter (ErrForbidden), or the cursor store
// or the dedup store failed.
//
//	for d, err := range relay.Subscribe(ctx, "https://relay.example.com/events", token, relay.Filter{}) {
//		if errors.Is(err, relay.ErrGap) {
//			log.Print(err)
//			continue
//		}
//		if err != nil {
//			return err
//		}
//		e, err := d.Event()
//		...
//	}
func Subscribe(ctx context.Context, rawURL, token string, f Filter, opts ...ConsumerOption) iter.Seq2[*webhook.Delivery, error] {
	return func(yield func(*webhook.Delivery, error) bool) {
		cfg, err := newConsumerConfig(rawURL, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		stopped := false
		h, err := webhook.NewHandler(webhook.WithStore(cfg.dedup), webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}),
			webhook.WithPassthrough(func(_ context.Context, d *webhook.Delivery) error {
				stopped = !yield(d, nil)
				return nil
			}))
		if err != nil {
			yield(nil, err)
			return
		}
		err = cfg.loop(ctx, token, f, func(d *webhook.Delivery) (bool, error) {
			err := dispatch(ctx, cfg, h, d)
			if pe, ok := errors.AsType[*webhook.PanicError](err); ok {
				panic(pe.Value) // the loop body's panic goes on
			}
			return stopped, err
		}, func(g *GapError) bool {
			return !yield(nil, g)
		})
		if err != nil && !stopped && ctx.Err() == nil {
			yield(nil, err)
		}
	}
}

// Run streams the deliveries a relay holds for token, narrowed by f, into h's functions — the
// same OnChatMessageSent, OnDefault... as a webhook server's — until ctx ends (it then returns
// nil) or a function fails. Each delivery goes through h.Dispatch: deduplicated by h's Store,
// decoded, given to its function. Run reconnects and resumes as Subscribe does, saving the cursor
// after each delivery processed; gaps go to the WithConsumerErrorHook function.
//
// A function's error (or panic, as a *webhook.PanicError) ends Run with that error, the
// delivery's claim released and the cursor before it: the next Run starts with it, as Kick's
// retry of a failed webhook delivery would.
func Run(ctx context.Context, rawURL, token string, f Filter, h *webhook.Handler, opts ...ConsumerOption) error {
	if h == nil {
		return errors.New("relay: Run: nil handler")
	}
	cfg, err := newConsumerConfig(rawURL, opts)
	if err != nil {
		return err
	}
	err = cfg.loop(ctx, token, f, func(d *webhook.Delivery) (bool, error) {
		return false, dispatch(ctx, cfg, h, d)
	}, func(g *GapError) bool {
		cfg.onError(g)
		return false
	})
	if ctx.Err() != nil {
		return nil //nolint:nilerr // ctx ended: Run was told to stop
	}
	return err
}

// dispatch runs h.Dispatch on d, waiting while another consumer sharing the dedup Store holds
// the delivery: then it is either processed there (a duplicate here) or released (processed
// here).
func dispatch(ctx context.Context, cfg *consumerConfig, h *webhook.Handler, d *webhook.Delivery) error {
	for attempt := 0; ; attempt++ {
		err := h.Dispatch(ctx, d)
		if !errors.Is(err, webhook.ErrInFlight) {
			return err
		}
		if err := sleep(ctx, cfg.backoff(attempt)); err != nil {
			return err
		}
	}
}

func (c *consumerConfig) backoff(attempt int) time.Duration {
	d := c.minBackoff << min(attempt, 20)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	return d/2 + rand.N(d/2+1) //nolint:gosec // jitter
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// loop connects, streams and reconnects. handle processes a delivery and reports whether to
// stop; gap reports a gap and whether to stop. It returns when ctx ends, handle or gap stops it,
// or on an error it does not recover from.
func (c *consumerConfig) loop(ctx context.Context, token string, f Filter, handle func(*webhook.Delivery) (bool, error), gap func(*GapError) bool) error {
	cursor, ok, err := c.cursors.Load(ctx, c.cursorKey)
	if err != nil {
		return err
	}
	hasCursor := ok
	if !ok && c.start != nil {
		cursor, hasCursor = *c.start, true
	}
	failures := 0
	for i := 0; ctx.Err() == nil; i++ {
		progressed := false
		err := c.connect(ctx, c.urls[i%len(c.urls)], token, f, cursor, hasCursor, func(ev *sseEvent) (bool, error) {
			switch ev.name {
			case EventDelivery:
				// A relay that sends what does not decode would send it again: not a reason to
				// reconnect.
				id, err := ParseID(ev.id)
				if err != nil {
					return true, &handleError{fmt.Errorf("relay: event id %.48q: %w", ev.id, err)}
				}
				d, err := decodeDelivery(ev.data)
				if err != nil {
					return true, &handleError{err}
				}
				stop, err := handle(d)
				if err != nil {
					return true, &handleError{err}
				}
				cursor, hasCursor, progressed = id, true, true
				if err := c.cursors.Save(ctx, c.cursorKey, id); err != nil {
					return true, &handleError{err}
				}
				return stop, nil
			case EventGap:
				g, err := decodeGap(ev.data)
				if err != nil {
					return true, &handleError{err}
				}
				cursor, hasCursor, progressed = g.ResumeAfter, true, true
				stop := gap(g)
				if err := c.cursors.Save(ctx, c.cursorKey, g.ResumeAfter); err != nil {
					return true, &handleError{err}
				}
				return stop, nil
			}
			return false, nil
		})
		if he, ok := errors.AsType[*handleError](err); ok {
			return he.err
		}
		if err == errStop { //nolint:errorlint // a sentinel of this file, never wrapped
			return nil
		}
		if se, ok := errors.AsType[*StatusError](err); ok && se.fatal() {
			return err
		}
		if ctx.Err() != nil {
			return nil //nolint:nilerr // ctx ended: the consumer was told to stop
		}
		c.onError(err)
		if progressed {
			failures = 0
		}
		if err := sleep(ctx, c.backoff(failures)); err != nil {
			return nil //nolint:nilerr // ctx ended while waiting: the consumer was told to stop
		}
		failures++
	}
	return nil
}

// handleError carries an error of the consumer's own processing out of connect.
type handleError struct{ err error }

func (e *handleError) Error() string { return e.err.Error() }

var errStop = errors.New("stop")

// fatal reports a refusal that reconnecting cannot cure: any 4xx but 408 and 429.
func (e *StatusError) fatal() bool {
	return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout && e.StatusCode != http.StatusTooManyRequests
}

// connect opens one stream and reads its events into fn until it ends; fn reports whether to
// stop.
func (c *consumerConfig) connect(ctx context.Context, base, token string, f Filter, cursor ID, hasCursor bool, fn func(*sseEvent) (bool, error)) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	q := u.Query()
	for _, b := range f.Broadcasters {
		q.Add(ParamBroadcaster, strconv.FormatInt(b, 10))
	}
	for _, t := range f.Types {
		q.Add(ParamType, string(t))
	}
	u.RawQuery = q.Encode()
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	if hasCursor {
		req.Header.Set("Last-Event-ID", cursor.String())
	}
	idle := time.AfterFunc(c.idleTimeout, cancel)
	defer idle.Stop()
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("relay: connecting to %s: %w", u.Redacted(), err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &StatusError{StatusCode: resp.StatusCode, Message: string(bytes.TrimSpace(msg))}
	}
	sr := &sseReader{r: bufio.NewReaderSize(resp.Body, 64<<10)}
	for {
		ev, err := sr.next(func() { idle.Reset(c.idleTimeout) })
		if err != nil {
			if err == io.EOF { //nolint:errorlint // io.EOF is returned unwrapped
				return errors.New("relay: the stream ended")
			}
			return fmt.Errorf("relay: reading the stream: %w", err)
		}
		stop, err := fn(ev)
		if err != nil {
			return err
		}
		if stop {
			return errStop
		}
	}
}

// sseEvent is one Server-Sent Event.
type sseEvent struct {
	id, name string
	data     []byte
}

// sseReader reads Server-Sent Events: the id, event and data fields of each, lines of at most
// maxEventBytes. Comments and retry are skipped.
type sseReader struct {
	r    *bufio.Reader
	line []byte
}

func (s *sseReader) next(alive func()) (*sseEvent, error) {
	ev := &sseEvent{}
	var data [][]byte
	size := 0
	for {
		line, err := s.readLine()
		if err != nil {
			return nil, err
		}
		alive()
		if len(line) == 0 {
			if data == nil && ev.name == "" {
				continue // a comment or a heartbeat only
			}
			ev.data = bytes.Join(data, []byte{'\n'})
			if ev.name == "" {
				ev.name = "message"
			}
			return ev, nil
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte{':'})
		value = bytes.TrimPrefix(value, []byte{' '})
		switch string(field) {
		case "id":
			ev.id = string(value)
		case "event":
			ev.name = string(value)
		case "data":
			size += len(value)
			if size > maxEventBytes {
				return nil, fmt.Errorf("an event is larger than %d bytes", maxEventBytes)
			}
			data = append(data, bytes.Clone(value))
		}
	}
}

// readLine returns a line without its end (\n, \r\n or \r is not split: the relay ends lines
// with \n).
func (s *sseReader) readLine() ([]byte, error) {
	s.line = s.line[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		s.line = append(s.line, chunk...)
		if len(s.line) > maxEventBytes+64 {
			return nil, fmt.Errorf("a line is longer than %d bytes", maxEventBytes)
		}
		if err == nil {
			return bytes.TrimSuffix(bytes.TrimSuffix(s.line, []byte{'\n'}), []byte{'\r'}), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

// wireDelivery is the data of a delivery event.
type wireDelivery struct {
	MessageID         string              `json:"message_id"`
	SubscriptionID    string              `json:"subscription_id"`
	Type              kicktypes.EventType `json:"type"`
	Version           int                 `json:"version"`
	Timestamp         time.Time           `json:"timestamp"`
	BroadcasterUserID int64               `json:"broadcaster_user_id"`
	Body              jsontext.Value      `json:"body"`
	BodyBase64        []byte              `json:"body_base64"`
}

func decodeDelivery(data []byte) (*webhook.Delivery, error) {
	var w wireDelivery
	// One pass of JSON v2; unknown fields (a later relay's) are ignored.
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("relay: decoding a delivery: %w", err)
	}
	if w.MessageID == "" {
		return nil, errors.New("relay: decoding a delivery: no message_id")
	}
	body := []byte(w.Body)
	if w.Body == nil {
		body = w.BodyBase64
	}
	return &webhook.Delivery{MessageID: w.MessageID, SubscriptionID: w.SubscriptionID, Type: w.Type, Version: w.Version,
		Timestamp: w.Timestamp, Body: body}, nil
}

func decodeGap(data []byte) (*GapError, error) {
	var w struct {
		After       ID     `json:"after"`
		ResumeAfter ID     `json:"resume_after"`
		Reason      string `json:"reason"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("relay: decoding a gap: %w", err)
	}
	return &GapError{After: w.After, ResumeAfter: w.ResumeAfter, Reason: w.Reason}, nil
}
