package kicktest

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Fault is a failure to inject into a route's answers; see Server.Fault. Fields combine: Latency
// delays whatever else happens, a Status (or Body, or HTML) replaces the answer, and the resets
// and Truncate break the connection.
type Fault struct {
	// StatusCode answers this status with Kick's error envelope, {"data":null,"message":"<status
	// text>"} (the OAuth error shape on the token and revoke endpoints), without handling the
	// request: nothing changes.
	StatusCode int
	// Body is a raw body to answer instead of the envelope, with StatusCode (200 when it is 0).
	Body string
	// ContentType is the Content-Type of Body; the default is application/json when Body looks
	// like JSON, text/plain otherwise.
	ContentType string
	// RetryAfter is the value of a Retry-After header on the answer, such as "1" or an HTTP date.
	RetryAfter string
	// Latency delays the answer; the wait ends early when the request's context ends or the server
	// closes, and then nothing is answered or stored.
	Latency time.Duration
	// ResetBefore closes the connection abruptly before handling the request: no answer, nothing
	// stored.
	ResetBefore bool
	// ResetAfter handles the request (its state changes happen) and then closes the connection
	// abruptly without answering: the client cannot know whether it worked.
	ResetAfter bool
	// Truncate answers the real response cut in half: the status and headers, with the full
	// Content-Length, then half the body, then the connection closes.
	Truncate bool
	// HTML answers a Cloudflare-style HTML challenge page, with Status (403 when Status is 0), as
	// Kick's edge sometimes does.
	HTML bool
	// Times is how many requests the fault applies to; 0 means every request, for good.
	Times int
}

// faultState is a queued fault and how many more requests it applies to.
type faultState struct {
	Fault
	left int // < 0: unlimited
}

// answers reports whether the fault replaces the answer without handling the request.
func (f *faultState) answers() bool { return f.StatusCode != 0 || f.Body != "" || f.HTML }

// answer builds the fault's made-up answer.
func (f *faultState) answer(op *operation) *recorder {
	rec := newRecorder()
	switch {
	case f.HTML:
		status := f.StatusCode
		if status == 0 {
			status = http.StatusForbidden
		}
		rec.raw(status, "text/html; charset=UTF-8", []byte(cloudflarePage))
	case f.Body != "":
		status := f.StatusCode
		if status == 0 {
			status = http.StatusOK
		}
		ct := f.ContentType
		if ct == "" {
			ct = "text/plain; charset=utf-8"
			if t := strings.TrimSpace(f.Body); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
				ct = "application/json"
			}
		}
		rec.raw(status, ct, []byte(f.Body))
	default:
		text := http.StatusText(f.StatusCode)
		if f.StatusCode == http.StatusInternalServerError {
			text = "Internal server error"
		}
		rec.fail(op, f.StatusCode, text)
	}
	if f.RetryAfter != "" {
		rec.header.Set("Retry-After", f.RetryAfter)
	}
	return rec
}

// cloudflarePage is the kind of page Kick's Cloudflare edge answers instead of the API.
const cloudflarePage = `<!DOCTYPE html>
<html lang="en-US">
<head>
<title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
</head>
<body>
<div class="main-wrapper" role="main">
<h1>api.kick.com</h1>
<p>Verifying you are human. This may take a few seconds.</p>
<p>api.kick.com needs to review the security of your connection before proceeding.</p>
</div>
<div class="footer">Performance &amp; security by <a href="https://www.cloudflare.com">Cloudflare</a></div>
</body>
</html>
`

// Fault injects f into the answers of route: an operation id ("sendChatMessage"), "METHOD /path"
// with the spec's path template ("POST /public/v1/chat") or a concrete path, or "authorize" for
// the authorize step. Faults queue per route: each request takes the first fault with requests
// left, so Fault(r, Fault{Status: 503, Times: 2}) then Fault(r, Fault{Status: 429, Times: 1})
// answers 503, 503, 429, then normally. A fault with Times 0 never runs out. A fault's made-up
// answer is not validated against the spec. It panics on an unknown route.
func (s *Server) Fault(route string, f Fault) {
	id, err := s.spec.routeOf(route)
	if err != nil {
		panic(err)
	}
	left := f.Times
	if left <= 0 {
		left = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[id] = append(s.faults[id], &faultState{Fault: f, left: left})
}

// ClearFaults removes every fault of every route.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]*faultState{}
}

// nextFault takes the fault the next request of route gets, if any.
func (s *Server) nextFault(id string) *faultState {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[id]
	for len(q) > 0 && q[0].left == 0 {
		q = q[1:]
	}
	s.faults[id] = q
	if len(q) == 0 {
		return nil
	}
	f := q[0]
	if f.left > 0 {
		f.left--
	}
	c := *f
	return &c
}

// reset closes the request's connection abruptly: a TCP RST where the platform allows.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(fmt.Sprintf("kicktest: reset: %v", err))
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// truncate writes rec's status line, headers with the full Content-Length and half its body, then
// closes the connection.
func truncate(w http.ResponseWriter, rec *recorder) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(fmt.Sprintf("kicktest: truncate: %v", err))
	}
	defer func() { _ = conn.Close() }()
	bw := bufio.NewWriter(conn)
	_ = buf // nothing buffered to read matters: the connection ends here
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", rec.status, http.StatusText(rec.status))
	h := rec.header.Clone()
	h.Set("Content-Length", fmt.Sprint(rec.body.Len()))
	h.Set("Connection", "close")
	_ = h.Write(bw)
	fmt.Fprint(bw, "\r\n")
	_, _ = bw.Write(rec.body.Bytes()[:rec.body.Len()/2])
	_ = bw.Flush()
}
