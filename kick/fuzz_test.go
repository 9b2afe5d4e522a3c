package kick_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
)

// FuzzResponses feeds every operation's handling of Kick's answer (the transports, the checks of
// Client.answer, the identifying checks and the decoder into kick's models of Client.decode) an
// arbitrary answer: status, Content-Type, Location, Retry-After and body, through a RoundTripper,
// without a network. No call panics; a call that fails fails with a typed error (an *APIError,
// one matching ErrUnexpectedResponse or ErrRedirect, or the *url.Error of a transport failure;
// for Events.Subscribe also a *SubscribeError, with the results it reports) that holds no token;
// a call that succeeds returns a value.
func FuzzResponses(f *testing.F) {
	for i, op := range operations {
		body, ok := responseBody(f, op.id)
		switch {
		case ok:
			f.Add(uint8(i), uint16(200), "application/json", "", "", body)
		case op.id == "revokeToken":
			f.Add(uint8(i), uint16(200), "text/plain", "", "", []byte("OK"))
			// An echo of the token it revokes, and of a user token it never sent.
			f.Add(uint8(i), uint16(400), "text/plain", "", "", []byte("cannot revoke token-to-revoke"))
			f.Add(uint8(i), uint16(480), "", "", "", []byte(userToken))
		default:
			f.Add(uint8(i), uint16(204), "", "", "", []byte(nil))
		}
		f.Add(uint8(i), uint16(200), "application/json", "", "", []byte(`{"data":null,"message":"OK"}`))
	}
	f.Add(uint8(0), uint16(401), "application/json", "", "", []byte(`{"data":null,"message":"Bearer `+userToken+`"}`))
	f.Add(uint8(1), uint16(429), "application/json", "", "9300000000", []byte(`{"message":"slow down"}`))
	f.Add(uint8(2), uint16(403), "text/html", "", "", []byte(`<html><title>Just a moment...</title>cloudflare</html>`))
	f.Add(uint8(3), uint16(302), "", "/elsewhere?token=x", "", []byte(nil))
	f.Add(uint8(4), uint16(307), "", "http://other.invalid/", "", []byte(nil))
	f.Add(uint8(5), uint16(200), "application/json", "", "", []byte(`{"DATA":{"\u0064ata":1},"data":null}`))
	f.Fuzz(func(t *testing.T, opIndex uint8, status uint16, contentType, location, retryAfterValue string, body []byte) {
		op := operations[int(opIndex)%len(operations)]
		code := 100 + int(status)%500
		h := http.Header{}
		for k, v := range map[string]string{"Content-Type": contentType, "Location": location, "Retry-After": retryAfterValue} {
			if v != "" {
				h.Set(k, v)
			}
		}
		rec := &sentRecorder{next: stubAnswer{status: code, header: h, body: body}}
		c := stubClient(t, rec, kick.WithMaxResponseBytes(64<<10))
		got, err := op.call(context.Background(), c)
		if err == nil {
			if v := reflect.ValueOf(got); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
				t.Fatalf("%s: %d answer: no error and no value", op.name, code)
			}
			return
		}
		var (
			ae *kick.APIError
			ue *url.Error
			se *kick.SubscribeError
		)
		// A 2xx answer that lacks some requested events fails those events, not the call: the
		// results Kick did give are returned with the error.
		if op.id == "createEventSubscriptions" && errors.As(err, &se) {
			if rs, ok := got.([]kick.SubscriptionResult); !ok || len(rs) < len(se.Failed) || !errors.Is(err, kick.ErrSubscriptionFailed) {
				t.Fatalf("%s: %d answer: %v with results %#v", op.name, code, err, got)
			}
		} else if !errors.As(err, &ae) && !errors.Is(err, kick.ErrUnexpectedResponse) && !errors.Is(err, kick.ErrRedirect) && !errors.As(err, &ue) {
			t.Fatalf("%s: %d answer: untyped error %T: %v", op.name, code, err, err)
		}
		if ae != nil && (ae.StatusCode != code || ae.Operation != op.id || len(ae.Body) > 4<<10) {
			t.Fatalf("%s: %d answer: %#v", op.name, code, ae)
		}
		// What the call sent: the bearer token, and the token a revocation names. (A server may
		// "echo" a credential the call never sent, such as the user token to Tokens.Revoke, which
		// sends none: that is no leak.)
		for _, tok := range rec.sent() {
			if strings.Contains(err.Error(), tok) || (ae != nil && (strings.Contains(string(ae.Body), tok) || strings.Contains(ae.Message, tok))) {
				t.Fatalf("%s: %d answer: the error holds the token: %v", op.name, code, err)
			}
		}
	})
}

// sentRecorder passes requests to next and records the credentials they carried.
type sentRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (r *sentRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if bearer, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		r.seen = append(r.seen, bearer)
	}
	if tok := req.URL.Query().Get("token"); tok != "" {
		r.seen = append(r.seen, tok)
	}
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *sentRecorder) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}
