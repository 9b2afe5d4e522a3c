package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// Defaults of a Handler.
const (
	// DefaultMaxBodyBytes caps a delivery's body: 1 MiB, far above any Kick payload.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultBodyReadTimeout bounds how long a delivery's body may take to arrive once the
	// handler starts reading it: 10 seconds, for a payload of a few kilobytes.
	DefaultBodyReadTimeout = 10 * time.Second
	// DefaultDedupTTL is how long a processed message id is remembered.
	DefaultDedupTTL = time.Hour
	// ClaimTTL is how long a message id stays claimed while its delivery is processed, in a
	// Store that is not a ClaimRenewer (such as MemoryStore). A claim outlives its handler only
	// when the process dies; then Kick's retries get 409 Conflict until the claim expires.
	ClaimTTL = 5 * time.Minute
	// RenewedClaimTTL is the claim of a Store that is a ClaimRenewer (such as
	// kickredis.WebhookStore): renewed every third of it while the function runs, so that a claim
	// whose handler died, or that landed after Claim gave up (a slow Redis), holds Kick's retries
	// back for at most this long.
	RenewedClaimTTL = 10 * time.Second
)

// DeliveryFunc receives an authentic, fresh, not yet processed delivery in passthrough mode.
type DeliveryFunc func(ctx context.Context, d *Delivery) error

// ErrorFunc is the Handler's error hook. It is called with every error the handler meets: each
// rejected request (d is nil: nothing of an unverified request is passed on), each payload that
// does not decode, each failure of a user function or of the Store, and each panic of a user
// function (a *PanicError, with the panic's value and stack). It runs before the response is
// written and must not write to it. For a delivery given to Handler.Dispatch, r is nil.
type ErrorFunc func(r *http.Request, d *Delivery, err error)

// Handler is an http.Handler for Kick's webhook deliveries: it verifies each delivery, drops
// replays and duplicates, decodes the payload into its event type and calls the function
// registered for it. The package documentation lists its answers. Register functions before the
// handler serves; it is safe for concurrent use.
type Handler struct {
	verifier    *Verifier
	store       Store
	maxBody     int64
	readTimeout time.Duration
	dedupTTL    time.Duration
	renewedTTL  time.Duration // RenewedClaimTTL; tests shorten it
	onError     ErrorFunc
	passthrough DeliveryFunc

	mu       sync.RWMutex
	handlers map[kicktypes.EventType]func(context.Context, *Delivery, Event) error
	fallback func(context.Context, *Delivery, Event) error

	// completing holds the keys of the deliveries this handler processed whose completion has
	// not reached the store yet (completeLater): a retry of one is a duplicate whatever the
	// store says, which may have lost the claim meanwhile (a Redis paused past its TTL).
	completing sync.Map
}

// HandlerOption configures a Handler in NewHandler.
type HandlerOption func(*Handler) error

// WithVerifier sets the Verifier (NewVerifier() unless set: Kick's published key, five minutes of
// tolerance).
func WithVerifier(v *Verifier) HandlerOption {
	return func(h *Handler) error {
		if v == nil {
			return errors.New("nil verifier")
		}
		h.verifier = v
		return nil
	}
}

// WithStore sets the deduplication store (NewMemoryStore(0) unless set). Servers behind a load
// balancer need a shared store.
func WithStore(s Store) HandlerOption {
	return func(h *Handler) error {
		if s == nil {
			return errors.New("nil store")
		}
		h.store = s
		return nil
	}
}

// WithMaxBodyBytes caps the body (DefaultMaxBodyBytes unless set). A larger body is answered 413
// without being read further.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(h *Handler) error {
		if n <= 0 {
			return fmt.Errorf("body limit %d is not positive", n)
		}
		h.maxBody = n
		return nil
	}
}

// WithBodyReadTimeout bounds how long the body may take to arrive (DefaultBodyReadTimeout unless
// set): the handler sets a read deadline on the connection before it reads the body, so that a
// sender that trickles its body, with a well-formed but forged signature that cannot be checked
// before the body is in, cannot hold the handler's goroutine. A body that misses the deadline is
// answered 408 with ErrBodyReadTimeout, and the server closes the connection. A server's shorter
// ReadTimeout is never extended. The deadline covers the body only: net/http clears it once the
// body is read, so functions may run longer.
//
// Behind a middleware whose ResponseWriter neither supports
// http.ResponseController.SetReadDeadline nor has an Unwrap method, no deadline can be set on the
// connection: the handler then reads the body on a goroutine of its own and stops waiting for it
// at the deadline, with the same 408 and error, and "Connection: close". That goroutine and the
// connection are held until the sender sends its next bytes or the connection ends, which only
// the server's ReadTimeout can force. It also costs every delivery a hand-over to that goroutine
// and back (about 15 µs on 2 cores, BENCHMARKS.md): give such a writer an Unwrap method. Set
// ReadTimeout, ReadHeaderTimeout and IdleTimeout on the server in any case: the handler cannot
// bound the headers, nor the time between requests.
func WithBodyReadTimeout(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("body read timeout %v is not positive", d)
		}
		h.readTimeout = d
		return nil
	}
}

// WithDedupTTL sets how long a processed message id is remembered (DefaultDedupTTL unless set).
// It must be at least twice the verifier's tolerance. The rule: a delivery is accepted only while
// its timestamp is within the tolerance of the clock, so it is accepted no earlier than
// tolerance before its timestamp and completed after that; its id, kept for at least twice the
// tolerance, is therefore remembered until after the timestamp is more than the tolerance old.
// Once the Store forgets the id, the time check refuses the delivery. This holds when the Store
// and the verifier keep the same time (both the real clock, in production) and the Store counts
// an entry as present through the instant it expires, as MemoryStore does.
func WithDedupTTL(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("dedup TTL %v is not positive", d)
		}
		h.dedupTTL = d
		return nil
	}
}

// WithErrorHook sets the function told about every error; see ErrorFunc. Without it, the handler
// logs them with LogErrors(nil), to slog.Default(); a function that does nothing silences it.
func WithErrorHook(fn ErrorFunc) HandlerOption {
	return func(h *Handler) error {
		if fn == nil {
			return errors.New("nil error hook")
		}
		h.onError = fn
		return nil
	}
}

// WithPassthrough puts the handler in passthrough mode: every verified, fresh, not yet processed
// delivery goes to fn undecoded, to be queued and decoded later with Delivery.Event. An error
// from fn answers 500, so that Kick retries. A handler in passthrough mode has no typed functions:
// registering one panics.
func WithPassthrough(fn DeliveryFunc) HandlerOption {
	return func(h *Handler) error {
		if fn == nil {
			return errors.New("nil passthrough function")
		}
		h.passthrough = fn
		return nil
	}
}

// NewHandler returns a Handler configured by opts.
func NewHandler(opts ...HandlerOption) (*Handler, error) {
	h := &Handler{maxBody: DefaultMaxBodyBytes, readTimeout: DefaultBodyReadTimeout, dedupTTL: DefaultDedupTTL, renewedTTL: RenewedClaimTTL, handlers: map[kicktypes.EventType]func(context.Context, *Delivery, Event) error{}}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("webhook: NewHandler: nil option")
		}
		if err := opt(h); err != nil {
			return nil, fmt.Errorf("webhook: NewHandler: %w", err)
		}
	}
	if h.verifier == nil {
		v, err := NewVerifier()
		if err != nil {
			return nil, err
		}
		h.verifier = v
	}
	if h.store == nil {
		h.store = NewMemoryStore(0)
	}
	if h.onError == nil {
		h.onError = LogErrors(nil)
	}
	if floor := 2 * h.verifier.Tolerance(); h.dedupTTL < floor {
		return nil, fmt.Errorf("webhook: NewHandler: dedup TTL %v is under twice the tolerance (%v)", h.dedupTTL, floor)
	}
	return h, nil
}

func register[E Event](h *Handler, typ kicktypes.EventType, fn func(context.Context, *Delivery, E) error) {
	if fn == nil {
		panic(fmt.Sprintf("webhook: nil function for %s", typ))
	}
	if h.passthrough != nil {
		panic(fmt.Sprintf("webhook: function for %s on a handler in passthrough mode", typ))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.handlers[typ]; dup {
		panic(fmt.Sprintf("webhook: second function for %s", typ))
	}
	h.handlers[typ] = func(ctx context.Context, d *Delivery, e Event) error { return fn(ctx, d, e.(E)) }
}

// OnDefault registers the catch-all: fn gets every delivery no typed function took — an
// *UnknownEvent for a type or version this package does not know or a payload that did not
// decode (with the raw body), or the typed event of a type with no function registered.
func (h *Handler) OnDefault(fn func(ctx context.Context, d *Delivery, e Event) error) {
	if fn == nil {
		panic("webhook: nil default function")
	}
	if h.passthrough != nil {
		panic("webhook: default function on a handler in passthrough mode")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fallback != nil {
		panic("webhook: second default function")
	}
	h.fallback = fn
}

// ServeHTTP answers one delivery; the package documentation lists its answers.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, nil, http.StatusMethodNotAllowed, fmt.Errorf("%w: %.16q", ErrMethodNotAllowed, r.Method))
		return
	}
	// The headers first: a request without a well-formed signature is refused before its body is
	// read.
	sh, err := parseHeaders(r.Header)
	if err != nil {
		h.reject(w, r, nil, verifyStatus(err), err)
		return
	}
	body, err := h.readBody(w, r)
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, ErrBodyTooLarge):
			status = http.StatusRequestEntityTooLarge
		case errors.Is(err, ErrBodyReadTimeout):
			status = http.StatusRequestTimeout
			// The rest of the body will not be read: net/http must not wait for it before
			// answering, nor keep the connection.
			w.Header().Set("Connection", "close")
		}
		h.reject(w, r, nil, status, err)
		return
	}
	d, err := h.verifier.verify(r.Context(), sh, body)
	if err != nil {
		h.reject(w, r, nil, verifyStatus(err), err)
		return
	}
	h.process(w, r, d)
}

func verifyStatus(err error) int {
	switch {
	case errors.Is(err, ErrSignatureMismatch), errors.Is(err, ErrInvalidSignatureEncoding):
		return http.StatusForbidden
	case errors.Is(err, ErrNoKey):
		return http.StatusInternalServerError
	default: // ErrMissingHeader, ErrInvalidHeader, ErrInvalidTimestamp, ErrTooOld, ErrTooNew
		return http.StatusBadRequest
	}
}

func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > h.maxBody {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrBodyTooLarge, r.ContentLength, h.maxBody)
	}
	if r.Body == nil {
		return nil, nil
	}
	timeout := h.readTimeout
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.ReadTimeout > 0 && srv.ReadTimeout <= timeout {
		// The server's deadline, set before the headers were read, comes first: keep it.
		timeout = 0
	}
	if timeout > 0 && http.NewResponseController(w).SetReadDeadline(time.Now().Add(timeout)) != nil {
		// No deadline can be set on the connection (a middleware's ResponseWriter without
		// Unwrap): the handler's own timer bounds the read.
		return readBodyWithin(r.Body, h.maxBody, timeout)
	}
	// net/http clears the deadline when the body is done, so it does not cancel the request's
	// context while functions run; after a failed read it stays, and the server closes the
	// connection instead of waiting for the rest of the body.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	return body, bodyError(err, h.maxBody)
}

// bodyError is the error of a body read that failed with err (nil for nil).
func bodyError(err error, limit int64) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%w: %w", ErrBodyReadTimeout, err)
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return fmt.Errorf("%w: limit %d", ErrBodyTooLarge, limit)
	}
	return fmt.Errorf("webhook: reading the body: %w", err)
}

// readBodyWithin reads body, at most limit bytes, on a goroutine of its own, and gives up when
// timeout has passed: the read the goroutine is blocked in then returns whenever the sender
// sends or the connection ends, and the goroutine reads no further. The answer carries
// "Connection: close" (see ServeHTTP), so that net/http does not wait for the rest of the body
// before writing it.
func readBodyWithin(body io.Reader, limit int64, timeout time.Duration) ([]byte, error) {
	var expired atomic.Bool
	done := make(chan struct{})
	var b []byte
	var err error
	go func() {
		defer close(done)
		b, err = io.ReadAll(io.LimitReader(stopReader{body, &expired}, limit+1))
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		expired.Store(true)
		return nil, fmt.Errorf("%w: the body did not arrive within %v", ErrBodyReadTimeout, timeout)
	}
	if err != nil {
		return nil, bodyError(err, limit)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: limit %d", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// stopReader reads from r until stop is set.
type stopReader struct {
	r    io.Reader
	stop *atomic.Bool
}

func (s stopReader) Read(p []byte) (int, error) {
	if s.stop.Load() {
		return 0, ErrBodyReadTimeout
	}
	return s.r.Read(p)
}

// process deduplicates and delivers an authentic delivery, and answers.
func (h *Handler) process(w http.ResponseWriter, r *http.Request, d *Delivery) {
	if status, err := h.run(r.Context(), r, d); err != nil {
		h.reject(w, r, d, status, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// Dispatch processes an authentic delivery as ServeHTTP does once it has verified one: it
// deduplicates d with the handler's Store (claim, then complete or release), decodes it and calls
// the function registered for its type, the catch-all, or the passthrough function. It returns
// nil when the function succeeded or d had been processed already (a duplicate: no function is
// called); an error matching ErrInFlight when another caller is processing d now; otherwise the
// function's error (a *PanicError for a panic) or the Store's. The error hook is told what
// ServeHTTP would tell it, with a nil *http.Request.
//
// Dispatch does not verify d: give it deliveries that were verified, such as those a relay
// (package relay) streams, whose functions are then the same as a webhook server's.
func (h *Handler) Dispatch(ctx context.Context, d *Delivery) error {
	if d == nil {
		return errors.New("webhook: Dispatch: nil delivery")
	}
	_, err := h.run(ctx, nil, d)
	if err != nil {
		h.report(nil, d, err)
	}
	return err
}

// run deduplicates and delivers an authentic delivery. It returns nil for a delivery processed
// now or before, or the status to answer and the error.
func (h *Handler) run(ctx context.Context, r *http.Request, d *Delivery) (int, error) {
	id, typ := d.MessageID, d.Type // user code gets d and may change it
	// Kick does not sign the type: the payload is checked against it before the message id is
	// claimed, so that a relabelled copy cannot take the real delivery's place.
	var e Event
	var decodeErr error
	if h.passthrough != nil {
		decodeErr = checkFields(eventKey{d.Type, d.Version}, d.Body)
	} else {
		e, decodeErr = d.Event()
	}
	key := dedupKey(d, decodeErr == nil && Known(d.Type, d.Version))
	if _, pending := h.completing.Load(key); pending {
		return http.StatusOK, nil
	}
	ttl := ClaimTTL
	renewer, renews := h.store.(ClaimRenewer)
	if renews {
		ttl = h.renewedTTL
	}
	if err := h.store.Claim(ctx, key, ttl); err != nil {
		switch {
		case errors.Is(err, ErrDuplicate):
			return http.StatusOK, nil
		case errors.Is(err, ErrInFlight):
			return http.StatusConflict, fmt.Errorf("webhook: delivery %s: %w", id, err)
		default:
			return http.StatusInternalServerError, fmt.Errorf("webhook: claiming delivery %s: %w", id, err)
		}
	}
	// Whatever happens from here on, the claim is settled even if the request is cancelled.
	bg := context.WithoutCancel(ctx)
	var keeper *claimKeeper
	if renews {
		keeper = keepClaim(bg, renewer, key, ttl)
	}
	settled := false
	defer func() {
		if !settled { // http.ErrAbortHandler: let Kick's retry process the delivery
			_ = keeper.stop()
			_ = h.store.Release(bg, key)
		}
	}()
	err := h.call(ctx, r, d, e, decodeErr)
	settled = true
	if err != nil {
		h.stopRenewing(r, d, id, keeper)
		if rerr := h.store.Release(bg, key); rerr != nil {
			h.report(r, d, fmt.Errorf("webhook: releasing delivery %s: %w", id, rerr))
		}
		return http.StatusInternalServerError, fmt.Errorf("webhook: handling %q delivery %s: %w", typ, id, err)
	}
	cerr := h.store.Complete(bg, key, h.dedupTTL)
	if cerr != nil && keeper != nil {
		// The delivery was processed, and the store does not know it yet: the claim is kept
		// alive while Complete is tried again, so that it does not expire under a retry of Kick's
		// before the completion lands.
		h.completing.Store(key, struct{}{})
		go h.completeLater(bg, keeper, key)
	} else {
		h.stopRenewing(r, d, id, keeper)
	}
	if cerr != nil {
		h.report(r, d, fmt.Errorf("webhook: completing delivery %s: %w", id, cerr))
	}
	return http.StatusOK, nil
}

// stopRenewing stops the renewals of the claim of delivery id and reports the first that failed.
func (h *Handler) stopRenewing(r *http.Request, d *Delivery, id string, keeper *claimKeeper) {
	if err := keeper.stop(); err != nil {
		h.report(r, d, fmt.Errorf("webhook: renewing the claim of delivery %s: %w", id, err))
	}
}

// completeLater tries Complete again, from a quarter of a second apart to a second and a half,
// while keeper renews the claim, until it succeeds or ClaimTTL has passed; then the renewals
// stop. Until then, the handler answers a retry of the delivery as a duplicate (completing). Its
// failures reach no hook: the request has been answered.
func (h *Handler) completeLater(ctx context.Context, keeper *claimKeeper, key string) {
	defer h.completing.Delete(key)
	defer keeper.stop() //nolint:errcheck // nobody to tell
	deadline := time.Now().Add(ClaimTTL)
	for wait := 250 * time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 1500*time.Millisecond) {
		time.Sleep(wait)
		if h.store.Complete(ctx, key, h.dedupTTL) == nil {
			return
		}
	}
}

// claimKeeper renews a claim every third of its TTL until stopped, and remembers the first
// renewal that failed. Its methods accept a nil *claimKeeper (a Store without renewals).
type claimKeeper struct {
	mu      sync.Mutex
	t       *time.Timer
	stopped bool
	err     error
}

// keepClaim starts renewing the claim of id on s.
func keepClaim(ctx context.Context, s ClaimRenewer, id string, ttl time.Duration) *claimKeeper {
	k := &claimKeeper{}
	period := ttl / 3
	k.mu.Lock()
	defer k.mu.Unlock()
	k.t = time.AfterFunc(period, func() {
		err := s.RenewClaim(ctx, id, ttl)
		k.mu.Lock()
		defer k.mu.Unlock()
		if err != nil && k.err == nil {
			k.err = err
		}
		if !k.stopped {
			k.t.Reset(period)
		}
	})
	return k
}

// stop ends the renewals and returns the error of the first that failed. A renewal running at
// that moment may still finish: harmless, since renewing a completed or released id does
// nothing to it.
func (k *claimKeeper) stop() error {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stopped = true
	k.t.Stop()
	return k.err
}

// dedupKey is the Store key of d: its message id, which Kick signs, when its payload fits its
// known type; otherwise the message id and unfitSuffix, whatever the type and version say. Kick
// signs neither: a copy relabelled as another event, or as a type or version this package does
// not know, thus claims a key of its own and never the real delivery's, yet however many labels
// a flood of copies carries, one message id holds at most two keys, and the store's eviction stays
// driven by signed ids. A message id has no '.', so the two forms cannot meet.
func dedupKey(d *Delivery, fits bool) string {
	if fits {
		return d.MessageID
	}
	return d.MessageID + unfitSuffix
}

// unfitSuffix follows the message id in the key of a delivery whose payload does not fit its
// label (see dedupKey).
const unfitSuffix = ".unfit"

// call runs deliver and turns a panic of a user function into a *PanicError. It lets
// http.ErrAbortHandler, net/http's signal to abort the response, go on to the server.
func (h *Handler) call(ctx context.Context, r *http.Request, d *Delivery, e Event, decodeErr error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler { //nolint:errorlint // net/http compares the value itself
				panic(p)
			}
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return h.deliver(ctx, r, d, e, decodeErr)
}

// deliver hands d to the passthrough function, or calls the function registered for its type
// with its decoded event e. A payload that did not decode (decodeErr) goes to the catch-all.
func (h *Handler) deliver(ctx context.Context, r *http.Request, d *Delivery, e Event, decodeErr error) error {
	if h.passthrough != nil {
		return h.passthrough(ctx, d)
	}
	if decodeErr != nil {
		// An authentic delivery that does not decode is not lost: the hook and the catch-all get
		// its raw body. Kick would send the same bytes again, so it is not answered with an error.
		h.report(r, d, decodeErr)
		e = &UnknownEvent{Type: d.Type, Version: d.Version, Raw: d.Body, Err: decodeErr}
	}
	h.mu.RLock()
	fn, fallback := h.handlers[d.Type], h.fallback
	h.mu.RUnlock()
	if _, unknown := e.(*UnknownEvent); !unknown && fn != nil {
		return fn(ctx, d, e)
	}
	if fallback != nil {
		return fallback(ctx, d, e)
	}
	return nil
}

func (h *Handler) report(r *http.Request, d *Delivery, err error) {
	if h.onError != nil {
		h.onError(r, d, err)
	}
}

// reject reports err and answers status with its status text: the error's detail is for the
// hook, never for the sender.
func (h *Handler) reject(w http.ResponseWriter, r *http.Request, d *Delivery, status int, err error) {
	h.report(r, d, err)
	http.Error(w, http.StatusText(status), status)
}
