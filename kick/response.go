package kick

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/identify"
)

// answer reads the last answer of a call (see do): it stores its metadata where the call wants
// it, turns a non-2xx status into an *APIError (a 429 into a *RateLimitError), hands a bare
// call's 2xx response back with its body bounded, and otherwise reads the body (at most the
// client's limit), checks that it carries what identifies the operation's answer and decodes it.
// cancel, when not nil, ends the call's Timeout: when the body is closed.
func (c *Client) answer(cl *call, rsp *http.Response, cancel context.CancelFunc) (*http.Response, error) {
	if cl.cfg.response != nil || cl.meta != nil {
		r := Response{StatusCode: rsp.StatusCode, Header: redactHeader(rsp.Header, &cl.secrets), Operation: cl.op.ID, Attempts: cl.attempts}
		if cl.cfg.response != nil {
			*cl.cfg.response = r
		}
		if cl.meta != nil {
			*cl.meta = r
		}
	}
	body := rsp.Body
	ok := rsp.StatusCode >= 200 && rsp.StatusCode <= 299
	if cl.bare && ok {
		rsp.Body = &limitedBody{body: body, left: c.cfg.maxResponse, limit: c.cfg.maxResponse, cancel: cancel}
		return rsp, nil
	}
	if cancel != nil {
		defer cancel()
	}
	defer func() { _ = body.Close() }()
	if !ok {
		// The start of the body, and enough more to redact a secret that starts within it.
		b, _ := io.ReadAll(io.LimitReader(body, maxErrorBody+int64(cl.secrets.MaxLen())))
		// Drain a little more so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
		ae := newAPIError(cl.op.ID, rsp.Request, rsp.StatusCode, rsp.Header.Get("Content-Type"), b, &cl.secrets)
		ae.Header = redactHeader(rsp.Header, &cl.secrets)
		var err error = ae
		if rsp.StatusCode == http.StatusTooManyRequests {
			ra, _ := retryAfter(rsp.Header, time.Now())
			err = &RateLimitError{APIError: ae, RetryAfter: ra}
		}
		if cl.bare {
			rsp.Body = http.NoBody
			return rsp, err
		}
		return nil, err
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	buf.Reset()
	if err := readBody(buf, body, rsp.ContentLength, c.cfg.maxResponse); err != nil {
		return nil, fmt.Errorf("kick: %s: read %d response: %w: %w", cl.op.ID, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	if cl.op.Identifying != nil {
		if err := checkIdentifies(cl.op, rsp, buf.Bytes(), cl.userDecode || cl.into != nil); err != nil {
			return nil, err
		}
	}
	switch {
	case cl.userDecode:
		return nil, decodeInto(cl.op, rsp, buf.Bytes(), cl.into)
	case cl.into != nil:
		return nil, c.decode(cl.op, rsp, buf.Bytes(), cl.into)
	}
	return nil, nil
}

// decode reads a service method's success body into into, in one pass of the JSON v2 decoder
// with encoding/json v1's tolerance (c.unmarshal); it keeps no reference to body, whose buffer is
// reused.
func (c *Client) decode(op *gen.Operation, rsp *http.Response, body []byte, into any) error {
	// A JSON answer of a success status is the operation's documented body: Kick answers 200, and
	// 202 has been seen ("Accepted", the Ads API); 204 has no body.
	if ct := rsp.Header.Get("Content-Type"); rsp.StatusCode == http.StatusNoContent || !strings.Contains(ct, "json") {
		return fmt.Errorf("kick: %s: %d response with Content-Type %q: %w", op.ID, rsp.StatusCode, ct, ErrUnexpectedResponse)
	}
	if err := c.unmarshal(body, into); err != nil {
		return fmt.Errorf("kick: %s: decode %d response: %w: %w", op.ID, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	return nil
}

// decodeInto is Do's decoder: body into v, as Do documents.
func decodeInto(op *gen.Operation, rsp *http.Response, body []byte, v any) error {
	switch v := v.(type) {
	case nil:
		return nil
	case io.Writer:
		_, err := v.Write(body)
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("kick: %s: decode %d response: %w: %w", op.ID, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	return nil
}

// checkIdentifies holds a success answer of ep to the one acceptance rule of the spec: it must be
// JSON with every key that identifies it (its data, and within the data an object's id: the
// x-kick-identifying of its schemas), none of them null or "". Every other key may be absent or
// null. A body the call does not decode must also be valid JSON.
func checkIdentifies(op *gen.Operation, rsp *http.Response, body []byte, decoded bool) error {
	if ct := rsp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		return fmt.Errorf("kick: %s: %d response with Content-Type %q: %w", op.ID, rsp.StatusCode, ct, ErrUnexpectedResponse)
	}
	err := identify.Check(body, identifying(op.Identifying))
	if m, ok := errors.AsType[*identify.MissingError](err); ok {
		what := "the documented data"
		if m.Path != "data" {
			what = m.Path + ", which identifies it"
		}
		return fmt.Errorf("kick: %s: %d response without %s: %w", op.ID, rsp.StatusCode, what, ErrUnexpectedResponse)
	}
	if err != nil || (!decoded && !json.Valid(body)) {
		return fmt.Errorf("kick: %s: %d response that is not a JSON object: %w", op.ID, rsp.StatusCode, ErrUnexpectedResponse)
	}
	return nil
}

// readBody reads body into buf: at most limit bytes, else an error wrapping ErrResponseTooLarge.
// A Content-Length over the limit fails before anything is read. It reads into buf's room
// directly (no io.LimitReader per call).
func readBody(buf *bytes.Buffer, body io.Reader, contentLength, limit int64) error {
	if contentLength > limit {
		return fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes", ErrResponseTooLarge, contentLength, limit)
	}
	if contentLength >= 0 {
		// One byte more than announced, so that the end of the body is seen without growing.
		buf.Grow(int(contentLength) + 1)
	} else {
		buf.Grow(bytes.MinRead)
	}
	for {
		if buf.Available() == 0 {
			buf.Grow(min(max(buf.Cap(), bytes.MinRead), maxBodyGrowth))
		}
		room := buf.AvailableBuffer()[:buf.Available()]
		if left := limit + 1 - int64(buf.Len()); int64(len(room)) > left {
			room = room[:left]
		}
		n, err := body.Read(room)
		buf.Write(room[:n])
		if int64(buf.Len()) > limit {
			return fmt.Errorf("%w: over the limit of %d bytes", ErrResponseTooLarge, limit)
		}
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
	}
}

// maxBodyGrowth bounds how much readBody grows its buffer at a time for a body of unknown size.
const maxBodyGrowth = 1 << 20

// bodyBuffers holds the buffers success bodies are read into. Reading into a buffer that already
// has the room spares the allocations and copies of a buffer grown from 512 bytes (io.ReadAll):
// about 8% of the CPU of a 50-user Users.Get, and twice the body in garbage. Nothing decoded
// from a buffer refers to it: the decoders copy what they keep.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer put back into bodyBuffers; a larger one, for a rare large
// answer, is left to the collector.
const maxPooledBody = 1 << 20

func putBodyBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBody {
		buf.Reset()
		bodyBuffers.Put(buf)
	}
}

// limitedBody is the body BareDo hands out: it reads at most limit bytes, and ends the call's
// context when closed.
type limitedBody struct {
	body   io.ReadCloser
	left   int64 // bytes that may still be read
	limit  int64
	cancel context.CancelFunc // nil when the call has no Timeout
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// At the limit: one more byte means the body is too long.
		var one [1]byte
		for {
			n, err := b.body.Read(one[:])
			if n > 0 {
				return 0, fmt.Errorf("%w: over the limit of %d bytes", ErrResponseTooLarge, b.limit)
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.body.Close()
	if b.cancel != nil {
		b.cancel()
	}
	return err
}

// redactError removes secret query values from a *url.Error's URL.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return &url.Error{Op: ue.Op, URL: redactURL(u), Err: ue.Err}
		}
	}
	return err
}

// identifyShapes holds gen's shapes in the form package identify checks, made once: identify is
// shared with package webhook, which must not link gen, so it has its own type, and webhook's
// tables are generated in it.
var identifyShapes = func() map[*gen.Shape]*identify.Shape {
	m := map[*gen.Shape]*identify.Shape{}
	var conv func(*gen.Shape) *identify.Shape
	conv = func(g *gen.Shape) *identify.Shape {
		if s, ok := m[g]; ok {
			return s
		}
		s := &identify.Shape{Name: g.Name, Keys: g.Keys}
		m[g] = s
		if len(g.Props) > 0 {
			s.Props = make(map[string]*identify.Shape, len(g.Props))
			for k, p := range g.Props {
				s.Props[k] = conv(p)
			}
		}
		return s
	}
	for _, op := range gen.Operations {
		if op.Identifying != nil {
			conv(op.Identifying)
		}
	}
	return m
}()

// identifying returns what identifies the objects of a schema, for identify.Check; nil for nil.
func identifying(s *gen.Shape) *identify.Shape {
	if s == nil {
		return nil
	}
	return identifyShapes[s]
}
