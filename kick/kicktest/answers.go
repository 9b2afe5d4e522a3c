// Answers: the recorder a handler writes to, Kick's envelopes and error bodies, and the handlers'
// shorthands.

package kicktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// recorder holds a response until it is validated and sent.
type recorder struct {
	status   int
	header   http.Header
	body     bytes.Buffer
	validate bool
}

func newRecorder() *recorder { return &recorder{status: http.StatusOK, header: http.Header{}} }

func (rec *recorder) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("kicktest: encode response: " + err.Error())
	}
	rec.raw(status, "application/json", b)
}

func (rec *recorder) raw(status int, contentType string, body []byte) {
	rec.status = status
	if contentType != "" {
		rec.header.Set("Content-Type", contentType)
	}
	rec.body.Reset()
	rec.body.Write(body)
}

// okMessage is the message of Kick's success envelopes.
const okMessage = "OK"

// envelope is Kick's success envelope; page is a cursor page's, with the next cursor, "" on the
// last page as Kick sends it.
type (
	envelope struct {
		Data    any    `json:"data"`
		Message string `json:"message"`
	}
	page struct {
		Data       any    `json:"data"`
		Message    string `json:"message"`
		Pagination struct {
			NextCursor string `json:"next_cursor"`
		} `json:"pagination"`
	}
)

func (rec *recorder) noContent() { rec.raw(http.StatusNoContent, "", nil) }

// apiError answers Kick's API error envelope, its data null as Kick sends it.
func (rec *recorder) apiError(status int, msg string) {
	rec.json(status, struct {
		Data    *struct{} `json:"data"`
		Message string    `json:"message"`
	}{nil, msg})
}

// oauthError answers the OAuth server's error shape.
func (rec *recorder) oauthError(status int, code, desc string) {
	rec.json(status, struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description,omitempty"`
	}{code, desc})
}

// fail answers an error in the operation's documented shape.
func (rec *recorder) fail(op *operation, status int, msg string) {
	if op.oauthErrors {
		code := "invalid_request"
		if status >= 500 {
			code = "server_error"
		}
		rec.oauthError(status, code, msg)
		return
	}
	rec.apiError(status, msg)
}

func (rec *recorder) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	if rec.body.Len() > 0 || rec.status != http.StatusNoContent {
		h.Set("Content-Length", fmt.Sprint(rec.body.Len()))
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}

// Shorthands of handlers. ok answers 200 with body, the operation's success body; data answers
// it in Kick's envelope, and page a cursor page, with the next cursor. The bodies are the one Go
// model of each schema (package kick's, package webhook's), which marshal with Kick's names.
func (c *call) ok(body any) { c.w.json(http.StatusOK, body) }

func (c *call) data(v any) { c.ok(envelope{Data: v, Message: okMessage}) }

func (c *call) page(items any, next string) {
	p := page{Data: items, Message: okMessage}
	p.Pagination.NextCursor = next
	c.ok(p)
}

func (c *call) noContent() { c.w.noContent() }

func (c *call) fail(status int, format string, args ...any) {
	c.w.fail(c.op, status, fmt.Sprintf(format, args...))
}

func (c *call) badRequest(format string, args ...any) { c.fail(http.StatusBadRequest, format, args...) }

// decode decodes the request's JSON body, which the spec has validated, into v: the model of the
// operation's request schema (package kick's input, which marshals as the body).
func (c *call) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		c.badRequest("invalid JSON body: %v", err)
		return false
	}
	return true
}
