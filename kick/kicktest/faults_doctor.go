package kicktest

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// The faults of the webhook path: what makes deliveries stop arriving or stop verifying, which
// `kick doctor` (package doctor) diagnoses. Server.mu guards doctorFaults.

// DefaultDeliveryTimeout is how long a delivery waits for the webhook's answer unless
// SetDeliveryTimeout says otherwise. Kick documents no timeout of its own.
const DefaultDeliveryTimeout = 10 * time.Second

// CloudflareBlockBody is the JSON body with which Kick's Cloudflare edge answers 403 to a client
// it blocks (KickDevDocs#216, #281), for Fault{StatusCode: 403, Body: CloudflareBlockBody}; with
// FaultEvery it blocks every request, as the edge does. Fault{HTML: true} is its other answer,
// the challenge page.
const CloudflareBlockBody = `{"error":"Request blocked by security policy.","reference":"8f3c2a1b9d4e5f60"}`

// doctorFaults are the faults of this file.
type doctorFaults struct {
	dropAfter int                 // SetUnsubscribeAfterFailures; 0: never
	failures  map[string]int      // subscription id → deliveries failed in a row
	timeout   time.Duration       // SetDeliveryTimeout; 0: DefaultDeliveryTimeout
	signer    *webhooktest.Signer // RotateSigningKey; nil: Signer()
	date      time.Duration       // SetDateOffset
}

// SetDateOffset makes Kick's clock, as the Date header of every answer shows it, run d ahead of
// the real one (behind when d is negative): how a test shows a local clock that is off. The
// Date header is on the real clock, as a delivery's timestamp and a token's expiry are, whatever
// WithClock or KICKTEST_NOW set the server's data to: a caller compares it with its own clock.
func (s *Server) SetDateOffset(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doctor.date = d
}

// SetUnsubscribeAfterFailures makes the server delete a subscription once n of its deliveries in
// a row have failed, as Kick unsubscribes an app from an event whose deliveries keep failing for
// over a day. A delivery fails when the webhook cannot be reached, does not answer within the
// delivery timeout, or answers anything but 2xx (a redirect is not followed); a 2xx answer
// resets the count. n <= 0, the default, never deletes one.
func (s *Server) SetUnsubscribeAfterFailures(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doctor.dropAfter = n
}

// SetDeliveryTimeout sets how long a delivery waits for the webhook's answer, headers and body;
// a delivery not answered in time fails, with StatusCode 0 and the timeout as its Err. d <= 0
// restores DefaultDeliveryTimeout.
func (s *Server) SetDeliveryTimeout(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doctor.timeout = d
}

// RotateSigningKey makes the server sign its deliveries with a new RSA-2048 key and serve that
// key at GET /public/v1/public-key, as after a rotation of Kick's key: a verifier that trusts
// SigningKeyPEM's key alone refuses every delivery from now on, and one that fetches the key
// (webhook.NewFetchingKeySource with client.PublicKey.PEM) follows. It returns the new key's
// signer. SaveState does not save the key.
func (s *Server) RotateSigningKey() (*webhooktest.Signer, error) {
	signer, err := webhooktest.NewSigner()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doctor.signer = signer
	return signer, nil
}

// FaultEvery injects f into the answers of every operation of both listeners, as Fault does for
// one route; f's Times counts per route. Kick's Cloudflare edge blocks a client on every request:
//
//	s.FaultEvery(kicktest.Fault{StatusCode: 403, Body: kicktest.CloudflareBlockBody})
func (s *Server) FaultEvery(f Fault) {
	ids := make([]string, 0, len(s.spec.ops))
	for id := range s.spec.ops {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		s.Fault(id, f)
	}
}

// signerLocked is the signer of deliveries; s.mu is held.
func (s *Server) signerLocked() *webhooktest.Signer {
	if s.doctor.signer != nil {
		return s.doctor.signer
	}
	return Signer()
}

// publicKeyPEM is the public key the server serves: that of its signer.
func (s *Server) publicKeyPEM() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.TrimSpace(s.signerLocked().PublicKeyPEM())
}

// stampDate sets an answer's Date header, as Kick's answers carry Kick's: the real time, moved
// by SetDateOffset.
func (s *Server) stampDate(w http.ResponseWriter) {
	s.mu.Lock()
	d := s.doctor.date
	s.mu.Unlock()
	w.Header().Set("Date", time.Now().Add(d).UTC().Format(http.TimeFormat))
}

// deliveryClient is the client of one delivery: the server's, with the delivery timeout.
func (s *Server) deliveryClient() *http.Client {
	s.mu.Lock()
	timeout := s.doctor.timeout
	s.mu.Unlock()
	if timeout <= 0 {
		timeout = DefaultDeliveryTimeout
	}
	c := *s.client
	c.Timeout = timeout
	return &c
}

// refuseRedirect makes the delivery client take a redirect as the webhook's answer, a failure:
// Kick's deliveries are not known to follow redirects.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// countDeliveryLocked counts a finished delivery towards its subscription's failures in a row,
// and deletes the subscription when SetUnsubscribeAfterFailures says so; s.mu is held.
func (s *Server) countDeliveryLocked(d *Delivery) {
	if d.Err == nil && d.StatusCode >= 200 && d.StatusCode < 300 {
		delete(s.doctor.failures, d.SubscriptionID)
		return
	}
	if s.doctor.failures == nil {
		s.doctor.failures = map[string]int{}
	}
	s.doctor.failures[d.SubscriptionID]++
	if n := s.doctor.dropAfter; n <= 0 || s.doctor.failures[d.SubscriptionID] < n {
		return
	}
	delete(s.doctor.failures, d.SubscriptionID)
	delete(s.st.subs, d.SubscriptionID)
	s.st.subOrder = slices.DeleteFunc(s.st.subOrder, func(id string) bool { return id == d.SubscriptionID })
	delete(s.lag.hidden, d.SubscriptionID)
}
