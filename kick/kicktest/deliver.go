package kicktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Delivery is one webhook delivery the server made or is making, for assertions (Deliveries).
type Delivery struct {
	// MessageID is the delivery's Kick-Event-Message-Id (a ULID) and SubscriptionID its
	// Kick-Event-Subscription-Id.
	MessageID, SubscriptionID string
	// Type is the event type.
	Type kick.EventType
	// BroadcasterUserID is the channel the event happened in.
	BroadcasterUserID int64
	// URL is the webhook URL it went to.
	URL string
	// Timestamp is its Kick-Event-Message-Timestamp: the real time (time.Now) it was made, not the
	// server's clock, because the receiver checks it against its own clock to refuse replays, as
	// it must check Kick's. A test of a stale or replayed delivery signs one with
	// package webhooktest at the time it wants.
	Timestamp time.Time
	// Body is the payload, exactly as signed and sent.
	Body []byte
	// StatusCode is the webhook's answer; 0 while the delivery is in flight or when it failed.
	StatusCode int
	// Err is why the delivery failed (no webhook URL, a connection error); nil otherwise. A non-2xx
	// answer is not an error: see StatusCode.
	Err error
	// Done reports that the delivery has finished.
	Done bool
}

// ErrNoWebhookURL is the Err of a delivery made while the app has no webhook URL.
var ErrNoWebhookURL = errors.New("kicktest: the app has no webhook URL")

// Deliveries returns every delivery so far, oldest first. Call Flush first to see their outcomes.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	for i, d := range s.deliveries {
		out[i] = *d
		out[i].Body = slices.Clone(d.Body)
	}
	return out
}

// Flush waits until every delivery started so far has finished, or ctx ends.
func (s *Server) Flush(ctx context.Context) error {
	s.mu.Lock()
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("kicktest: Flush: %w", ctx.Err())
	}
}

// Emit delivers an event with a raw payload, unchecked, to every subscription of the app to the
// event type for the channel of broadcasterUserID: to test how a handler copes with any payload, or
// a type Kick may add. It returns an error when the payload is not JSON or no subscription
// matches, so that nothing is delivered.
func (s *Server) Emit(eventType kick.EventType, broadcasterUserID int64, payload []byte) error {
	if !json.Valid(payload) {
		return fmt.Errorf("kicktest: Emit %s: the payload is not JSON", eventType)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.deliverLocked(eventType, broadcasterUserID, payload, false); n == 0 {
		return fmt.Errorf("kicktest: Emit %s: the app has no subscription to it for broadcaster %d", eventType, broadcasterUserID)
	}
	return nil
}

// emitLocked delivers a payload kicktest built, checked against the spec, to the subscribers of
// the event; s.mu is held.
func (s *Server) emitLocked(typ kick.EventType, broadcasterUserID int64, payload any) {
	body, err := json.Marshal(payload)
	if err == nil {
		body, err = ReshapePayload(typ, body, s.cfg.shape)
	}
	if err != nil {
		panic(fmt.Sprintf("kicktest: encode %s: %v", typ, err))
	}
	s.deliverLocked(typ, broadcasterUserID, body, true)
}

// deliverLocked starts one delivery per matching subscription (Kick does not de-duplicate them)
// and returns how many; s.mu is held.
func (s *Server) deliverLocked(typ kick.EventType, broadcasterUserID int64, body []byte, check bool) int {
	if s.closed {
		return 0
	}
	n := 0
	for _, id := range s.st.subOrder {
		sub := s.st.subs[id]
		if sub == nil || sub.event != typ || sub.broadcaster != broadcasterUserID {
			continue
		}
		d := &Delivery{
			MessageID:         newULID(s.cfg.now()),
			SubscriptionID:    sub.id,
			Type:              typ,
			BroadcasterUserID: broadcasterUserID,
			URL:               s.app.WebhookURL,
			Timestamp:         time.Now().UTC(),
			Body:              body,
		}
		s.deliveries = append(s.deliveries, d)
		n++
		if d.URL == "" {
			d.Err, d.Done = ErrNoWebhookURL, true
			continue
		}
		headers := s.signerLocked().Headers(webhook.Delivery{
			MessageID: d.MessageID, SubscriptionID: d.SubscriptionID, Type: typ,
			Version: sub.version, Timestamp: d.Timestamp, Body: body,
		})
		if s.pending == 0 {
			s.idle = make(chan struct{})
		}
		s.pending++
		go s.post(d, headers, check)
	}
	return n
}

// post sends one delivery and records its outcome.
func (s *Server) post(d *Delivery, headers http.Header, check bool) {
	defer func() {
		s.mu.Lock()
		d.Done = true
		s.pending--
		if s.pending == 0 {
			close(s.idle)
		}
		s.mu.Unlock()
	}()
	if check {
		if err := s.spec.validateDelivery(s.ctx, d.Type, headers, d.Body); err != nil && s.ctx.Err() == nil {
			s.report(&SpecViolation{Kind: DeliveryViolation, Operation: string(d.Type), Message: describe(err), Err: err})
		}
	}
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		s.finish(d, 0, err)
		return
	}
	req.Header = headers
	req.Header.Set("User-Agent", "kicktest (Kick webhook delivery)")
	rsp, err := s.deliveryClient().Do(req)
	if err != nil {
		s.finish(d, 0, err)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(rsp.Body, 64<<10))
	_ = rsp.Body.Close()
	s.finish(d, rsp.StatusCode, nil)
}

func (s *Server) finish(d *Delivery, status int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d.StatusCode, d.Err = status, err
	s.countDeliveryLocked(d)
}
