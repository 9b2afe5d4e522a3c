package relay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Defaults of a Server.
const (
	// DefaultWebhookPath is where Kick posts deliveries: set the app's webhook URL to the
	// relay's origin and this path.
	DefaultWebhookPath = "/kick/webhook"
	// DefaultEventsPath is where consumers read the stream.
	DefaultEventsPath = "/events"
	// DefaultHeartbeat is how often an idle stream gets a comment line, so that proxies and the
	// consumer know the connection is alive.
	DefaultHeartbeat = 15 * time.Second
	// DefaultWriteTimeout is how long a consumer has to take what the relay sends it before it
	// is cut off.
	DefaultWriteTimeout = 10 * time.Second
	// DefaultBufferSize is the bytes the relay holds for one consumer before writing to its
	// connection.
	DefaultBufferSize = 32 << 10
	// DefaultRingSize is how many recent records the relay keeps in memory for the consumers that
	// are up to date; one further behind reads from the Log.
	DefaultRingSize = 4096
)

// readPage is how many records a consumer reads from the log at a time.
const readPage = 256

// Server is the relay: an http.Handler that takes Kick's deliveries on the webhook path,
// appends them to a Log, and streams them to consumers on the events path as Server-Sent
// Events. See the package documentation.
type Server struct {
	log    Log
	tokens TokenStore
	hook   *webhook.Handler

	webhookPath, eventsPath string
	logger                  *slog.Logger
	heartbeat, writeTimeout time.Duration
	bufferSize, ringSize    int
	now                     func() time.Time
	hookOpts                []webhook.HandlerOption
	sync                    *SyncOptions
	syncMu                  sync.Mutex
	synced                  map[int64][]kick.EventType // what the last rounds made, by channel
	lastFull                time.Time

	hub     *hub
	writers sync.Pool       // of *bufio.Writer of bufferSize, for streams with something to write
	ctx     context.Context // canceled by Close
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	closing chan struct{}

	stats struct {
		consumers, cutOff, appended, duplicates, gaps atomic.Int64
	}
}

// Option configures a Server in NewServer.
type Option func(*Server) error

// WithWebhookOptions configures the webhook.Handler that receives Kick's deliveries: its
// verifier (webhook.WithVerifier: Kick's published key unless set; kicktest.Verifier() in front
// of kicktest), its limits, its dedup Store and its error hook. The passthrough function is the
// relay's own: a WithPassthrough given here is replaced.
func WithWebhookOptions(opts ...webhook.HandlerOption) Option {
	return func(s *Server) error {
		s.hookOpts = append(s.hookOpts, opts...)
		return nil
	}
}

// WithPaths sets the webhook path (DefaultWebhookPath) and the events path
// (DefaultEventsPath).
func WithPaths(webhookPath, eventsPath string) Option {
	return func(s *Server) error {
		if !strings.HasPrefix(webhookPath, "/") || !strings.HasPrefix(eventsPath, "/") || webhookPath == eventsPath {
			return fmt.Errorf("paths %q and %q: want two paths starting with /", webhookPath, eventsPath)
		}
		s.webhookPath, s.eventsPath = webhookPath, eventsPath
		return nil
	}
}

// WithLogger sets where the relay logs consumers coming and going and its errors
// (slog.Default() unless set). No line holds a token or a payload.
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) error {
		if l == nil {
			return errors.New("nil logger")
		}
		s.logger = l
		return nil
	}
}

// WithHeartbeat sets how often an idle stream gets a comment (DefaultHeartbeat).
func WithHeartbeat(d time.Duration) Option {
	return func(s *Server) error {
		if d <= 0 {
			return fmt.Errorf("heartbeat %v is not positive", d)
		}
		s.heartbeat = d
		return nil
	}
}

// WithSlowConsumer sets how a consumer that does not keep up is cut off: the relay holds at most
// bufferSize bytes for it (DefaultBufferSize) beyond what its connection takes, and cuts it off
// when a write does not complete within writeTimeout (DefaultWriteTimeout). The consumer keeps
// its cursor: it reconnects and resumes where it was. Others never wait for it.
func WithSlowConsumer(bufferSize int, writeTimeout time.Duration) Option {
	return func(s *Server) error {
		if bufferSize < 4096 || writeTimeout <= 0 {
			return fmt.Errorf("buffer %d, write timeout %v: want at least 4096 bytes and a positive timeout", bufferSize, writeTimeout)
		}
		s.bufferSize, s.writeTimeout = bufferSize, writeTimeout
		return nil
	}
}

// WithRingSize sets how many recent records are kept in memory (DefaultRingSize).
func WithRingSize(n int) Option {
	return func(s *Server) error {
		if n <= 0 {
			return fmt.Errorf("ring size %d is not positive", n)
		}
		s.ringSize = n
		return nil
	}
}

// WithClock sets the clock that token expiry is checked against (time.Now unless set).
func WithClock(now func() time.Time) Option {
	return func(s *Server) error {
		if now == nil {
			return errors.New("nil clock")
		}
		s.now = now
		return nil
	}
}

// NewServer returns a relay on log, whose consumers authenticate with the tokens of tokens. It
// starts following the log; Close stops it.
func NewServer(log Log, tokens TokenStore, opts ...Option) (*Server, error) {
	if log == nil || tokens == nil {
		return nil, errors.New("relay: NewServer: nil log or token store")
	}
	s := &Server{log: log, tokens: tokens, webhookPath: DefaultWebhookPath, eventsPath: DefaultEventsPath,
		heartbeat: DefaultHeartbeat, writeTimeout: DefaultWriteTimeout, bufferSize: DefaultBufferSize,
		ringSize: DefaultRingSize, now: time.Now, closing: make(chan struct{})}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("relay: NewServer: nil option")
		}
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("relay: NewServer: %w", err)
		}
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	hookOpts := append([]webhook.HandlerOption{webhook.WithErrorHook(webhook.LogErrors(s.logger))}, s.hookOpts...)
	hook, err := webhook.NewHandler(append(hookOpts, webhook.WithPassthrough(s.ingest))...)
	if err != nil {
		return nil, fmt.Errorf("relay: NewServer: %w", err)
	}
	s.hook = hook
	s.ctx, s.cancel = context.WithCancel(context.Background())
	last, err := log.Last(s.ctx)
	if err != nil {
		s.cancel()
		return nil, fmt.Errorf("relay: NewServer: reading the log: %w", err)
	}
	s.hub = newHub(s.ringSize, last)
	s.wg.Go(s.follow)
	if s.sync != nil {
		s.wg.Go(s.syncLoop)
	}
	return s, nil
}

// Close stops the server: the streams end (consumers reconnect, to another relay or to this
// one restarted) and the log is no longer followed. It does not close the Log. Deliveries
// arriving after Close are still appended; shut the http.Server down first.
func (s *Server) Close() error {
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	s.cancel()
	s.wg.Wait()
	return nil
}

// Stats are counters of a Server since it started.
type Stats struct {
	// Consumers is how many streams are open now.
	Consumers int64
	// CutOff counts the consumers cut off for not keeping up.
	CutOff int64
	// Appended counts the deliveries appended to the log, and Duplicates those received again
	// and not appended (Kick's retries).
	Appended, Duplicates int64
	// Gaps counts the gap events sent: consumers that asked for records retention had deleted.
	Gaps int64
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	return Stats{Consumers: s.stats.consumers.Load(), CutOff: s.stats.cutOff.Load(), Appended: s.stats.appended.Load(),
		Duplicates: s.stats.duplicates.Load(), Gaps: s.stats.gaps.Load()}
}

// ServeHTTP routes POST on the webhook path to the webhook Handler, GET on the events path to
// the stream, and GET /healthz to a check of the log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case s.webhookPath:
		s.hook.ServeHTTP(w, r)
	case s.eventsPath:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		s.serveEvents(w, r)
	case "/healthz":
		if _, err := s.log.Last(r.Context()); err != nil {
			http.Error(w, "log unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	default:
		http.NotFound(w, r)
	}
}

// ingest is the webhook Handler's passthrough function: it appends an authentic, fresh
// delivery and returns once the append is durable. An error answers Kick 500, so Kick retries.
func (s *Server) ingest(ctx context.Context, d *webhook.Delivery) error {
	rec := &Record{Delivery: *d, BroadcasterUserID: broadcasterOf(d.Body)}
	appended, err := s.log.Append(ctx, rec)
	if err != nil {
		return fmt.Errorf("relay: appending: %w", err)
	}
	if appended {
		s.stats.appended.Add(1)
	} else {
		s.stats.duplicates.Add(1)
	}
	return nil
}

// follow reads the log as it grows into the hub, until Close.
func (s *Server) follow() {
	after := s.hub.headID()
	wait := time.Duration(0)
	for s.ctx.Err() == nil {
		recs, err := s.log.Wait(s.ctx, after, readPage)
		if err != nil {
			if s.ctx.Err() != nil || errors.Is(err, ErrClosed) {
				return // closed: the streams read the log themselves, and fail the same way
			}
			wait = min(max(2*wait, 100*time.Millisecond), 5*time.Second)
			s.logger.LogAttrs(s.ctx, slog.LevelError, "relay: following the log", slog.String("error", err.Error()), slog.Duration("retry_in", wait))
			select {
			case <-time.After(wait):
			case <-s.ctx.Done():
			}
			continue
		}
		wait = 0
		if len(recs) > 0 {
			s.hub.push(recs)
			after = recs[len(recs)-1].ID
		}
	}
}
