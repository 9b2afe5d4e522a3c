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
	// BroadcasterID is the channel the event happened in.
	BroadcasterID int64
	// URL is the webhook URL it went to.
	URL string
	// Timestamp is its Kick-Event-Message-Timestamp, in the server's clock.
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
// event type for the channel of broadcasterID: to test how a handler copes with any payload, or
// a type Kick may add. It returns an error when the payload is not JSON or no subscription
// matches, so that nothing is delivered.
func (s *Server) Emit(eventType kick.EventType, broadcasterID int64, payload []byte) error {
	if !json.Valid(payload) {
		return fmt.Errorf("kicktest: Emit %s: the payload is not JSON", eventType)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.deliverLocked(eventType, broadcasterID, payload, false); n == 0 {
		return fmt.Errorf("kicktest: Emit %s: the app has no subscription to it for broadcaster %d", eventType, broadcasterID)
	}
	return nil
}

// emitLocked delivers a payload kicktest built, checked against the spec, to the subscribers of
// the event; s.mu is held.
func (s *Server) emitLocked(typ kick.EventType, broadcasterID int64, payload any) {
	body, err := json.Marshal(payload)
	if err != nil {
		panic(fmt.Sprintf("kicktest: encode %s: %v", typ, err))
	}
	s.deliverLocked(typ, broadcasterID, body, true)
}

// deliverLocked starts one delivery per matching subscription (Kick does not de-duplicate them)
// and returns how many; s.mu is held.
func (s *Server) deliverLocked(typ kick.EventType, broadcasterID int64, body []byte, check bool) int {
	if s.closed {
		return 0
	}
	n := 0
	for _, id := range s.st.subOrder {
		sub := s.st.subs[id]
		if sub == nil || sub.event != typ || sub.broadcaster != broadcasterID {
			continue
		}
		d := &Delivery{
			MessageID:      newULID(s.cfg.now()),
			SubscriptionID: sub.id,
			Type:           typ,
			BroadcasterID:  broadcasterID,
			URL:            s.app.WebhookURL,
			Timestamp:      s.cfg.now().UTC(),
			Body:           body,
		}
		s.deliveries = append(s.deliveries, d)
		n++
		if d.URL == "" {
			d.Err, d.Done = ErrNoWebhookURL, true
			continue
		}
		headers := Signer().Headers(webhook.Delivery{
			MessageID: d.MessageID, SubscriptionID: d.SubscriptionID, Type: typ,
			Version: fmt.Sprint(sub.version), Timestamp: d.Timestamp, Body: body,
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
	rsp, err := s.client.Do(req)
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
}

// ------------------------------------------------------------------- payloads

// evUser is the user of most payloads (the spec's EventUser).
type evUser struct {
	IsAnonymous    bool        `json:"is_anonymous"`
	UserID         int64       `json:"user_id"`
	Username       string      `json:"username"`
	IsVerified     bool        `json:"is_verified"`
	ProfilePicture string      `json:"profile_picture"`
	ChannelSlug    string      `json:"channel_slug"`
	Identity       *evIdentity `json:"identity"`
}

type evIdentity struct {
	UsernameColor string    `json:"username_color"`
	Badges        []evBadge `json:"badges"`
}

type evBadge struct {
	Text  string `json:"text"`
	Type  string `json:"type"`
	Count int    `json:"count,omitempty"`
}

// evGifter is the gifter of channel.subscription.gifts: every field but is_anonymous is null for
// an anonymous gifter.
type evGifter struct {
	IsAnonymous    bool        `json:"is_anonymous"`
	UserID         *int64      `json:"user_id"`
	Username       *string     `json:"username"`
	IsVerified     *bool       `json:"is_verified"`
	ProfilePicture *string     `json:"profile_picture"`
	ChannelSlug    *string     `json:"channel_slug"`
	Identity       *evIdentity `json:"identity"`
}

// evSummary is the compact user of kicks.gifted and channel.reward.redemption.updated.
type evSummary struct {
	UserID         int64  `json:"user_id"`
	Username       string `json:"username"`
	IsVerified     bool   `json:"is_verified"`
	ProfilePicture string `json:"profile_picture"`
	ChannelSlug    string `json:"channel_slug"`
}

type evCategory struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Thumbnail string `json:"thumbnail"`
}

type evEmote struct {
	EmoteID   string       `json:"emote_id"`
	Positions []evPosition `json:"positions"`
}

type evPosition struct {
	S int `json:"s"`
	E int `json:"e"`
}

type evReply struct {
	MessageID string `json:"message_id"`
	Content   string `json:"content"`
	Sender    evUser `json:"sender"`
}

type chatMessageSent struct {
	MessageID   string    `json:"message_id"`
	RepliesTo   *evReply  `json:"replies_to,omitempty"`
	Broadcaster evUser    `json:"broadcaster"`
	Sender      evUser    `json:"sender"`
	Content     string    `json:"content"`
	Emotes      []evEmote `json:"emotes"`
	CreatedAt   string    `json:"created_at"`
}

type channelFollowed struct {
	Broadcaster evUser `json:"broadcaster"`
	Follower    evUser `json:"follower"`
}

type channelSubscription struct {
	Broadcaster evUser `json:"broadcaster"`
	Subscriber  evUser `json:"subscriber"`
	Duration    int    `json:"duration"`
	CreatedAt   string `json:"created_at"`
	ExpiresAt   string `json:"expires_at"`
}

type channelSubscriptionGifts struct {
	Broadcaster evUser   `json:"broadcaster"`
	Gifter      evGifter `json:"gifter"`
	Giftees     []evUser `json:"giftees"`
	CreatedAt   string   `json:"created_at"`
	ExpiresAt   string   `json:"expires_at"`
}

type redemptionUpdated struct {
	ID          string                `json:"id"`
	UserInput   string                `json:"user_input"`
	Status      kick.RedemptionStatus `json:"status"`
	RedeemedAt  string                `json:"redeemed_at"`
	Reward      evRedemptionReward    `json:"reward"`
	Redeemer    evSummary             `json:"redeemer"`
	Broadcaster evSummary             `json:"broadcaster"`
}

type evRedemptionReward struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Cost        int64  `json:"cost"`
	Description string `json:"description"`
}

type livestreamStatus struct {
	Broadcaster evUser  `json:"broadcaster"`
	IsLive      bool    `json:"is_live"`
	Title       string  `json:"title"`
	StartedAt   string  `json:"started_at"`
	EndedAt     *string `json:"ended_at"`
}

type livestreamMetadataUpdated struct {
	Broadcaster evUser     `json:"broadcaster"`
	Metadata    evMetadata `json:"metadata"`
}

type evMetadata struct {
	Title            string     `json:"title"`
	Language         string     `json:"language"`
	HasMatureContent bool       `json:"has_mature_content"`
	Category         evCategory `json:"category"`
}

type moderationBanned struct {
	Broadcaster evUser        `json:"broadcaster"`
	Moderator   evUser        `json:"moderator"`
	BannedUser  evUser        `json:"banned_user"`
	Metadata    evBanMetadata `json:"metadata"`
}

type evBanMetadata struct {
	Reason    string  `json:"reason"`
	CreatedAt string  `json:"created_at"`
	ExpiresAt *string `json:"expires_at"`
}

type kicksGifted struct {
	Broadcaster evSummary `json:"broadcaster"`
	Sender      evSummary `json:"sender"`
	Gift        evGift    `json:"gift"`
	CreatedAt   string    `json:"created_at"`
}

type evGift struct {
	Amount            int64  `json:"amount"`
	Name              string `json:"name"`
	Type              string `json:"type"`
	Tier              string `json:"tier"`
	Message           string `json:"message"`
	PinnedTimeSeconds int64  `json:"pinned_time_seconds"`
}

// evUser returns user id as payloads carry it; with identity, as it appears in the chat of
// broadcaster.
func (st *state) evUser(id int64, broadcaster int64, identity bool) evUser {
	u := st.users[id]
	e := evUser{UserID: u.id, Username: u.username, IsVerified: u.verified, ProfilePicture: u.profilePicture, ChannelSlug: u.slug()}
	if identity {
		e.Identity = st.identity(id, broadcaster)
	}
	return e
}

// identity is how user id appears in the chat of broadcaster: color and badges.
func (st *state) identity(id, broadcaster int64) *evIdentity {
	ch := st.channels[broadcaster]
	idt := &evIdentity{UsernameColor: st.users[id].color, Badges: []evBadge{}}
	if id == broadcaster {
		idt.Badges = append(idt.Badges, evBadge{Text: "Broadcaster", Type: "broadcaster"})
	}
	if ch.mods[id] {
		idt.Badges = append(idt.Badges, evBadge{Text: "Moderator", Type: "moderator"})
	}
	if st.users[id].verified {
		idt.Badges = append(idt.Badges, evBadge{Text: "Verified channel", Type: "verified"})
	}
	if n := ch.gifted[id]; n > 0 {
		idt.Badges = append(idt.Badges, evBadge{Text: "Sub Gifter", Type: "sub_gifter", Count: n})
	}
	if n := ch.subscribers[id]; n > 0 {
		idt.Badges = append(idt.Badges, evBadge{Text: "Subscriber", Type: "subscriber", Count: n})
	}
	return idt
}

func (st *state) evSummary(id int64) evSummary {
	u := st.users[id]
	return evSummary{UserID: u.id, Username: u.username, IsVerified: u.verified, ProfilePicture: u.profilePicture, ChannelSlug: u.slug()}
}

func (st *state) evCategory(id int64) evCategory {
	c := st.categories[id]
	return evCategory{ID: c.id, Name: c.name, Thumbnail: c.thumbnail}
}
