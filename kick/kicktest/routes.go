// Routing: one handler per operation of the spec (handlers_gen.go), each request validated,
// faulted, handled under the lock and its answer validated.

package kicktest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// routes builds the two muxes: every operation of the spec on the listener of its server, and
// the authorize step on the OAuth listener.
func (s *Server) routes() (api, oauth *http.ServeMux) {
	api, oauth = http.NewServeMux(), http.NewServeMux()
	handlers := s.handlers()
	for id, op := range s.spec.ops {
		mux := api
		if op.oauth {
			mux = oauth
		}
		h := handlers[id]
		if h == nil {
			// An operation of the embedded spec that the code generated from it does not know:
			// the spec changed without `make generate`, which then fails the build until the
			// handler is written. Until then, every other operation is served.
			h = func(c *call) {
				c.fail(http.StatusNotImplemented, "kicktest has no handler for %s: run make generate", c.op.id)
			}
		}
		mux.Handle(op.pattern(), s.endpoint(op, h))
	}
	oauth.Handle(authorizeOp.pattern(), s.endpoint(authorizeOp, s.authorize))
	for _, e := range s.cfg.extra {
		api.Handle(e.pattern, e.h)
	}
	api.HandleFunc("/", s.notFound(false))
	oauth.HandleFunc("/", s.notFound(true))
	return api, oauth
}

// notFound answers a request no route matches: 405 for a known path with another method, 404
// otherwise, in the listener's error shape.
func (s *Server) notFound(oauth bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, msg := http.StatusNotFound, "Not Found"
		var allow []string
		for _, op := range s.spec.ops {
			if op.oauth == oauth && matchPath(op.path, r.URL.Path) {
				allow = append(allow, op.method)
			}
		}
		if oauth && r.URL.Path == authorizePath {
			allow = append(allow, http.MethodGet)
		}
		if len(allow) > 0 {
			slices.Sort(allow)
			w.Header().Set("Allow", strings.Join(allow, ", "))
			status, msg = http.StatusMethodNotAllowed, "Method Not Allowed"
		}
		rec := newRecorder()
		if oauth {
			rec.oauthError(status, "invalid_request", msg)
		} else {
			rec.apiError(status, msg)
		}
		rec.writeTo(w)
	}
}

// maxBody bounds the request bodies the server reads.
const maxBody = 1 << 20

// endpoint serves one operation: it counts the request, applies a fault, checks the token and
// validates the request against the spec, runs the handler into a recorder, validates the
// response and sends it.
func (s *Server) endpoint(op *operation, handle func(*call)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.locked(func() { s.requests[op.id]++ })
		s.stampDate(w)
		f := s.nextFault(op.id)
		if f != nil {
			if !s.delay(r.Context(), f.Latency) {
				return
			}
			if f.ResetBefore {
				reset(w)
				return
			}
			if f.answers() {
				f.answer(op).writeTo(w)
				return
			}
		}
		rec := s.run(op, r, handle)
		if rec.validate {
			if err := validateResponse(r.Context(), op, r, rec); err != nil {
				s.report(&SpecViolation{Kind: ResponseViolation, Operation: op.id, Method: r.Method, Path: r.URL.Path, StatusCode: rec.status, Message: describe(err), Err: err})
			}
			s.mu.Lock()
			s.validated[op.id]++
			s.mu.Unlock()
		}
		switch {
		case f != nil && f.ResetAfter:
			reset(w)
		case f != nil && f.Truncate:
			truncate(w, rec)
		default:
			rec.writeTo(w)
		}
	})
}

// run checks the request and runs the handler, returning its recorded answer.
func (s *Server) run(op *operation, r *http.Request, handle func(*call)) *recorder {
	rec := newRecorder()
	rec.validate = op.route != nil
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		rec.fail(op, http.StatusBadRequest, "request body unreadable or over 1 MiB")
		return rec
	}
	c := &call{s: s, op: op, r: r, w: rec, body: body}
	if op.route == nil {
		s.handle(c, handle)
		return rec
	}
	if !s.authenticate(c) {
		return rec
	}
	if err := validateRequest(r.Context(), op, r, body); err != nil {
		msg := describe(err)
		v := &SpecViolation{Kind: RequestViolation, Operation: op.id, Method: r.Method, Path: r.URL.Path, Message: msg, Err: err}
		s.mu.Lock()
		s.violations = append(s.violations, v)
		s.mu.Unlock()
		// An operation that documents no 400 (a path parameter of deleteChannelReward or
		// getCategoryV1) answers a malformed id as the unknown resource it is.
		status := http.StatusBadRequest
		if !op.documents(http.StatusBadRequest) && op.documents(http.StatusNotFound) {
			status = http.StatusNotFound
		}
		rec.fail(op, status, msg)
		return rec
	}
	s.handle(c, handle)
	return rec
}

// locked runs fn holding s.mu, which it releases even when fn panics: a request's handler must
// never leave the server locked. Handlers take s.mu with locked, or with a deferred Unlock.
func (s *Server) locked(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// handle runs the handler of c. A handler that panics (a bug of kicktest, or a state LoadState
// took with references that lead nowhere) is answered 500 with the panic's value, and reported
// as a violation, instead of dropping the connection; every handler releases s.mu on its way
// out, so the server goes on serving.
func (s *Server) handle(c *call, handle func(*call)) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as it is
			panic(p)
		}
		msg := fmt.Sprintf("kicktest: the handler of %s panicked: %v", c.op.id, p)
		c.w.header = http.Header{}
		c.w.validate = false
		if c.op.oauth {
			c.w.oauthError(http.StatusInternalServerError, "server_error", msg)
		} else {
			c.w.apiError(http.StatusInternalServerError, msg)
		}
		s.cfg.violation(errors.New(msg))
	}()
	handle(c)
}

// delay waits d, or until the request or the server ends; it reports whether to go on.
func (s *Server) delay(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.ctx.Done():
	}
	return false
}

// call is one request being handled.
type call struct {
	s    *Server
	op   *operation
	r    *http.Request
	w    *recorder
	body []byte
	tok  *token // the bearer token, for operations with security
}

// mustUser panics unless id is a user; s.mu is held.
func (s *Server) mustUser(fn string, id int64) *user {
	u := s.st.users[id]
	if u == nil {
		panic(fmt.Sprintf("kicktest: %s: user %d is not a user of the server", fn, id))
	}
	return u
}
