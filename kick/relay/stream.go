package relay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// The events of the stream (the "event:" field of each Server-Sent Event).
const (
	// EventDelivery carries one delivery; its id is the record's ID.
	EventDelivery = "delivery"
	// EventGap says that records the consumer asked for were deleted by retention; its id is the
	// cursor to go on from, past the hole.
	EventGap = "gap"
)

// Query parameters of the events path.
const (
	// ParamBroadcaster (repeated) narrows the stream to these channels, which the token must
	// allow.
	ParamBroadcaster = "broadcaster_user_id"
	// ParamType (repeated) narrows the stream to these event types, which the token must allow.
	ParamType = "type"
	// ParamAfter is the cursor to start after when there is no Last-Event-ID header: a record
	// ID, or "0" for everything the log holds. Without either, the stream starts with the next
	// record appended.
	ParamAfter = "after"
)

// maxFilterValues bounds the values of each filter parameter.
const maxFilterValues = 100

// consumer is a stream's filter: what the token allows, narrowed by the query.
type consumer struct {
	grant        Grant
	broadcasters []int64 // nil: every channel the grant allows
	types        []kicktypes.EventType
}

func (c *consumer) wants(r *Record) bool {
	if !c.grant.Allows(r.BroadcasterUserID, r.Delivery.Type) {
		return false
	}
	if c.broadcasters != nil && !slices.Contains(c.broadcasters, r.BroadcasterUserID) {
		return false
	}
	return c.types == nil || slices.Contains(c.types, r.Delivery.Type)
}

// authenticate returns the grant of the request's bearer token, and the token's digest.
func (s *Server) authenticate(r *http.Request) (Grant, string, error) {
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 512 {
		return Grant{}, "", ErrUnknownToken
	}
	digest := HashToken(strings.TrimSpace(token))
	g, err := s.lookup(r.Context(), digest)
	return g, digest, err
}

// lookup returns the live grant of a token digest.
func (s *Server) lookup(ctx context.Context, digest string) (Grant, error) {
	g, err := s.tokens.Lookup(ctx, digest)
	if err != nil {
		return Grant{}, err
	}
	if g.Expired(s.now()) {
		return Grant{}, ErrUnknownToken
	}
	return g, nil
}

// stillAllowed reports whether the stream's token is still live: a token revoked or expired
// ends its streams at their next heartbeat. A failing store leaves the stream be.
func (st *stream) stillAllowed(ctx context.Context) bool {
	_, err := st.s.lookup(ctx, st.digest)
	return !errors.Is(err, ErrUnknownToken)
}

// parseConsumer reads the filter parameters; a value the grant does not allow is refused.
func parseConsumer(q map[string][]string, g Grant) (*consumer, error) {
	c := &consumer{grant: g}
	bs, ts := q[ParamBroadcaster], q[ParamType]
	if len(bs) > maxFilterValues || len(ts) > maxFilterValues {
		return nil, fmt.Errorf("more than %d values of %s or %s", maxFilterValues, ParamBroadcaster, ParamType)
	}
	for _, v := range bs {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%s %.32q is not a user id", ParamBroadcaster, v)
		}
		if !g.AllBroadcasters && !slices.Contains(g.Broadcasters, id) {
			return nil, &forbiddenError{fmt.Sprintf("the token does not allow broadcaster %d", id)}
		}
		c.broadcasters = append(c.broadcasters, id)
	}
	for _, v := range ts {
		t := kicktypes.EventType(v)
		if len(g.Types) > 0 && !slices.Contains(g.Types, t) {
			return nil, &forbiddenError{fmt.Sprintf("the token does not allow event type %.64q", v)}
		}
		c.types = append(c.types, t)
	}
	return c, nil
}

type forbiddenError struct{ msg string }

func (e *forbiddenError) Error() string { return e.msg }

// parseCursor returns the cursor of the request: Last-Event-ID, else the after parameter.
func parseCursor(r *http.Request) (ID, bool, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get(ParamAfter)
	}
	if v == "" {
		return ID{}, false, nil
	}
	id, err := ParseID(v)
	return id, err == nil, err
}

// serveEvents streams the records a consumer may read, from its cursor on.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	g, digest, err := s.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="kick relay"`)
		status := http.StatusUnauthorized
		if !errors.Is(err, ErrUnknownToken) {
			s.logger.LogAttrs(r.Context(), slog.LevelError, "relay: looking up a token", slog.String("error", err.Error()))
			status = http.StatusServiceUnavailable
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	c, err := parseConsumer(r.URL.Query(), g)
	if err != nil {
		status := http.StatusBadRequest
		if _, ok := errors.AsType[*forbiddenError](err); ok {
			status = http.StatusForbidden
		}
		http.Error(w, err.Error(), status)
		return
	}
	cursor, hasCursor, err := parseCursor(r)
	if err != nil {
		http.Error(w, "invalid Last-Event-ID or after: want an id such as 1733540000000-0", http.StatusBadRequest)
		return
	}
	last, err := s.log.Last(r.Context())
	if err != nil {
		http.Error(w, "log unavailable", http.StatusServiceUnavailable)
		return
	}
	var gap []byte
	switch {
	case !hasCursor:
		cursor = last
	case cursor.Compare(last) > 0:
		// A cursor this log never gave (another relay's, or from before the log was wiped): say so,
		// and stream everything the log holds.
		gap = gapFrame(cursor, ID{}, "unknown cursor")
		cursor = ID{}
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	st := &stream{s: s, c: c, digest: digest, w: w, rc: http.NewResponseController(w), cursor: cursor}
	defer st.release()
	st.waiter = &waiter{ch: make(chan struct{}, 1), broadcasters: c.broadcasters, all: g.AllBroadcasters && c.broadcasters == nil}
	if !st.waiter.all && st.waiter.broadcasters == nil {
		st.waiter.broadcasters = g.Broadcasters
	}
	s.hub.add(st.waiter)
	defer s.hub.remove(st.waiter)
	s.stats.consumers.Add(1)
	defer s.stats.consumers.Add(-1)
	attrs := []slog.Attr{slog.String("token", g.ID), slog.String("name", g.Name), slog.String("remote", r.RemoteAddr), slog.String("cursor", cursor.String())}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "relay: consumer connected", attrs...)
	if gap != nil {
		s.stats.gaps.Add(1)
		_, _ = st.writer().Write(gap) // a write error shows at the flush
	}
	reason := st.run(r.Context())
	if reason == "slow" {
		s.stats.cutOff.Add(1)
	}
	s.logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelInfo, "relay: consumer disconnected",
		append(attrs[:len(attrs)-1], slog.String("reason", reason), slog.Int64("sent", st.sent), slog.String("cursor", st.cursor.String()))...)
}

// stream is one consumer's connection.
type stream struct {
	s      *Server
	c      *consumer
	digest string // of the token, checked again at each heartbeat
	w      http.ResponseWriter
	rc     *http.ResponseController
	bw     *bufio.Writer
	waiter *waiter
	cursor ID // the last record looked at
	sent   int64
}

// run streams until the consumer goes, is cut off or the server closes; it returns why.
func (st *stream) run(ctx context.Context) string {
	s := st.s
	if err := st.flush(); err != nil {
		return writeReason(err)
	}
	heartbeat := time.NewTicker(s.heartbeat)
	defer heartbeat.Stop()
	for {
		n, err := st.next(ctx)
		if err != nil {
			if errors.Is(err, errWrite) {
				return writeReason(err)
			}
			if ctx.Err() != nil {
				return "gone"
			}
			s.logger.LogAttrs(ctx, slog.LevelError, "relay: reading the log", slog.String("error", err.Error()))
			return "log error"
		}
		if n > 0 {
			continue
		}
		if err := st.flush(); err != nil {
			return writeReason(err)
		}
		select {
		case <-st.waiter.ch:
		case <-heartbeat.C:
			if !st.stillAllowed(ctx) {
				return "token revoked or expired"
			}
			_, _ = st.writer().WriteString(": ping\n\n") // a write error shows at the flush
			if err := st.flush(); err != nil {
				return writeReason(err)
			}
		case <-ctx.Done():
			return "gone"
		case <-s.closing:
			return "relay closing"
		}
	}
}

var errWrite = errors.New("relay: writing to the consumer")

// next sends the consumer what follows its cursor, from the hub or from the log, and returns how
// many records it looked at (0 when it is up to date).
func (st *stream) next(ctx context.Context) (int, error) {
	if entries, ok := st.s.hub.read(st.cursor, readPage); ok {
		for _, e := range entries {
			if st.c.wants(&e.rec) {
				if err := st.write(e.frame); err != nil {
					return 0, err
				}
			}
			st.cursor = e.rec.ID
		}
		return len(entries), nil
	}
	recs, err := st.s.log.Read(ctx, st.cursor, readPage)
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		// Everything after the cursor is gone: retention deleted it all.
		last, err := st.s.log.Last(ctx)
		if err != nil || last.Compare(st.cursor) <= 0 {
			return 0, err
		}
		if err := st.gap(last, "retention"); err != nil {
			return 0, err
		}
		st.cursor = last
		return 1, nil
	}
	if recs[0].Prev.Compare(st.cursor) > 0 {
		if err := st.gap(recs[0].Prev, "retention"); err != nil {
			return 0, err
		}
	}
	for i := range recs {
		if st.c.wants(&recs[i]) {
			if err := st.write(deliveryFrame(&recs[i])); err != nil {
				return 0, err
			}
		}
		st.cursor = recs[i].ID
	}
	return len(recs), nil
}

// gap sends a gap event from the cursor to resume, the last record deleted.
func (st *stream) gap(resume ID, reason string) error {
	st.s.stats.gaps.Add(1)
	err := st.write(gapFrame(st.cursor, resume, reason))
	st.cursor = resume
	return err
}

// writer returns the stream's buffer, taken from the server's pool: an idle stream holds none.
func (st *stream) writer() *bufio.Writer {
	if st.bw == nil {
		if bw, ok := st.s.writers.Get().(*bufio.Writer); ok {
			bw.Reset(st.w)
			st.bw = bw
		} else {
			st.bw = bufio.NewWriterSize(st.w, st.s.bufferSize)
		}
	}
	return st.bw
}

// release gives the buffer back to the pool once it is written out.
func (st *stream) release() {
	if st.bw != nil && st.bw.Buffered() == 0 {
		st.bw.Reset(nil)
		st.s.writers.Put(st.bw)
	}
	st.bw = nil
}

// write buffers a frame, writing the buffer out first when the frame does not fit.
func (st *stream) write(frame []byte) error {
	bw := st.writer()
	if bw.Available() < len(frame) && bw.Buffered() > 0 {
		if err := st.flush(); err != nil {
			return err
		}
		bw = st.writer()
	}
	st.deadline()
	if _, err := bw.Write(frame); err != nil {
		return fmt.Errorf("%w: %w", errWrite, err)
	}
	st.sent++
	return nil
}

// flush writes out the buffer and flushes the connection, within the write timeout, and
// releases the buffer.
func (st *stream) flush() error {
	st.deadline()
	if st.bw != nil {
		if err := st.bw.Flush(); err != nil {
			return fmt.Errorf("%w: %w", errWrite, err)
		}
		st.release()
	}
	if err := st.rc.Flush(); err != nil {
		return fmt.Errorf("%w: %w", errWrite, err)
	}
	return nil
}

// deadline gives the next write the write timeout. A ResponseWriter without deadlines leaves the
// server's WriteTimeout, if any.
func (st *stream) deadline() {
	_ = st.rc.SetWriteDeadline(time.Now().Add(st.s.writeTimeout))
}

// writeReason names why a write failed: "slow" when the consumer did not take the data in time.
func writeReason(err error) string {
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return "slow"
	}
	return "gone"
}

// deliveryFrame encodes a record as a delivery event:
//
//	id: <record id>
//	event: delivery
//	data: {"message_id":...,"subscription_id":...,"type":...,"version":1,"timestamp":...,"broadcaster_user_id":...,"body":{...}}
//
// The body is the delivery's bytes exactly: as JSON when it is JSON on one line (Kick's always
// are), else base64 in "body_base64".
func deliveryFrame(r *Record) []byte {
	d := &r.Delivery
	b := make([]byte, 0, 256+len(d.Body))
	b = append(b, "id: "...)
	b = append(b, r.ID.String()...)
	b = append(b, "\nevent: "+EventDelivery+"\ndata: {\"message_id\":"...)
	b, _ = jsontext.AppendQuote(b, d.MessageID)
	b = append(b, `,"subscription_id":`...)
	b, _ = jsontext.AppendQuote(b, d.SubscriptionID)
	b = append(b, `,"type":`...)
	b, _ = jsontext.AppendQuote(b, string(d.Type))
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(d.Version), 10)
	b = append(b, `,"timestamp":"`...)
	b = d.Timestamp.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","broadcaster_user_id":`...)
	b = strconv.AppendInt(b, r.BroadcasterUserID, 10)
	if oneLineJSON(d.Body) {
		b = append(b, `,"body":`...)
		b = append(b, d.Body...)
	} else {
		b = append(b, `,"body_base64":"`...)
		b = base64.StdEncoding.AppendEncode(b, d.Body)
		b = append(b, '"')
	}
	return append(b, "}\n\n"...)
}

// oneLineJSON reports whether body is one JSON value with no line break, which a data line can
// carry as it is.
func oneLineJSON(body []byte) bool {
	return len(body) > 0 && !bytes.ContainsAny(body, "\r\n") && jsontext.Value(body).IsValid()
}

// gapFrame encodes a gap event: the consumer's cursor, the cursor it resumes from, and why.
func gapFrame(after, resume ID, reason string) []byte {
	b := make([]byte, 0, 160)
	b = append(b, "id: "...)
	b = append(b, resume.String()...)
	b = append(b, "\nevent: "+EventGap+"\ndata: {\"after\":\""...)
	b = append(b, after.String()...)
	b = append(b, `","resume_after":"`...)
	b = append(b, resume.String()...)
	b = append(b, `","reason":`...)
	b, _ = jsontext.AppendQuote(b, reason)
	return append(b, "}\n\n"...)
}
