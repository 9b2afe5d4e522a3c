package kick

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/gen"
)

// AdsService starts ad breaks and reads the ad state of the token owner's channel. Kick docs:
// Scopes (ads:read, ads:write).
//
// The Ads API is inferred, not taken from Kick's docs: Kick's changelog of 2026-08-11 (whose text
// this SDK's authors have not seen) came with two new scopes, ScopeAdsRead and ScopeAdsWrite,
// and two independent clients call the same three endpoints alike. The types require nothing of an
// answer but what identifies it and keep the breaks of AdBreakStatus as Kick sends them; for a
// field they do not know, send the request with Client.Do. Expect changes once Kick documents the
// API.
type AdsService service

// AdBreakStartParams says which ad break StartBreak starts. Kick's schema: AdBreakInput. It marshals as
// the body StartBreak sends, Duration in whole seconds.
type AdBreakStartParams struct {
	// ID is the break's id, a UUID, which makes the request idempotent: Kick starts one break per
	// id however often the request is sent. Leave it empty and StartBreak makes one (a random
	// version 4 UUID from crypto/rand) before the first attempt; set it to a UUID you store to send
	// the same break again later, after a crash say, without starting two.
	ID string
	// Duration is how long the break lasts: whole seconds from 7 to 300.
	Duration time.Duration
}

// adBreakInputJSON is AdBreakStartParams as Kick's JSON.
type adBreakInputJSON struct {
	ID       string `json:"id"`
	Duration int64  `json:"break_duration_seconds"`
}

// MarshalJSON writes p with Kick's names, Duration in seconds (rounded down).
func (p AdBreakStartParams) MarshalJSON() ([]byte, error) { return json.Marshal(p.wire()) }

// wire is p as Kick's JSON (see encode).
func (p AdBreakStartParams) wire() any {
	return adBreakInputJSON{p.ID, int64(p.Duration / time.Second)}
}

// UnmarshalJSON reads p from Kick's JSON, the duration in seconds.
func (p *AdBreakStartParams) UnmarshalJSON(b []byte) error {
	var w adBreakInputJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	d, err := durationOf("AdBreakStartParams", "break_duration_seconds", w.Duration, time.Second)
	if err != nil {
		return err
	}
	*p = AdBreakStartParams{ID: w.ID, Duration: d}
	return nil
}

// AdBreak is a started ad break. Kick's schema: AdBreak.
type AdBreak struct {
	// ID is the break's id, the one StartBreak sent.
	ID string `json:"id"`
	// RemainingAdBreaks is how many more breaks the channel may start in the period.
	RemainingAdBreaks int `json:"remaining_ad_breaks"`
}

// AdBreakLimits says how many ad breaks a channel may start per period. Kick's schema:
// AdBreakLimits.
type AdBreakLimits struct {
	// Max is the most breaks per period, such as 3.
	Max int `json:"max"`
	// Period is the period, such as an hour (Kick's period_seconds).
	Period time.Duration `json:"period_seconds"`
}

// adBreakLimitsJSON is AdBreakLimits as Kick's JSON.
type adBreakLimitsJSON struct {
	Max    int   `json:"max"`
	Period int64 `json:"period_seconds"`
}

// MarshalJSON writes l with Kick's names, Period in seconds.
func (l AdBreakLimits) MarshalJSON() ([]byte, error) {
	return json.Marshal(adBreakLimitsJSON{l.Max, int64(l.Period / time.Second)})
}

// UnmarshalJSON reads l from Kick's JSON, period_seconds in seconds.
func (l *AdBreakLimits) UnmarshalJSON(b []byte) error {
	var w adBreakLimitsJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return l.set(w)
}

// UnmarshalJSONFrom reads l from Kick's JSON, period_seconds in seconds, in the decoder's one pass.
// A null leaves l as it is.
func (l *AdBreakLimits) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	var w adBreakLimitsJSON
	if err := jsonv2.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	return l.set(w)
}

// set sets l from its JSON.
func (l *AdBreakLimits) set(w adBreakLimitsJSON) error {
	d, err := durationOf("AdBreakLimits", "period_seconds", w.Period, time.Second)
	if err != nil {
		return err
	}
	*l = AdBreakLimits{Max: w.Max, Period: d}
	return nil
}

// AdBreakStatus is the ad state of a channel. Kick's schema: AdBreakStatus.
type AdBreakStatus struct {
	// OptedIn says whether the channel is enrolled in ads (Enroll).
	OptedIn bool `json:"opted_in"`
	// AdsBlocked says whether ads are blocked for the channel.
	AdsBlocked bool `json:"ads_blocked"`
	// RemainingAdBreaks is how many more breaks the channel may start in the period.
	RemainingAdBreaks int `json:"remaining_ad_breaks"`
	// AdBreaks are the channel's ad breaks, each a JSON object as Kick sent it: their shape has not
	// been seen.
	AdBreaks []map[string]any `json:"ad_breaks"`
	// Limits are how many breaks the channel may start per period.
	Limits AdBreakLimits `json:"limits"`
	// AutoAdsActive says whether Kick runs ads automatically (read by one client only).
	AutoAdsActive bool `json:"auto_ads_active"`
}

// StartBreak starts an ad break of p.Duration in the channel of the token's user and returns it.
// Without p.ID it makes one, so that every attempt of the call sends the same id: the client
// retries the request after a connection failure or a 5xx (with the client's RetryPolicy), which
// it never does for a POST without an idempotency key such as Chat.Send, and Kick starts one break
// however many attempts reach it. Reuse a stored p.ID to make the same guarantee across calls.
//
// Inferred, not from Kick's docs (see AdsService). Token: a user token with ScopeAdsWrite.
// Operation startAdBreak.
//
// Kick API docs: https://docs.kick.com/scopes/scopes
func (s *AdsService) StartBreak(ctx context.Context, p AdBreakStartParams, opts ...RequestOption) (*AdBreak, error) {
	op := gen.StartAdBreak
	if p.ID == "" {
		p.ID = newUUIDv4()
	} else if !chatIsUUID(p.ID) {
		return nil, invalid(op.ID, "ID", "%q is not a UUID", p.ID)
	}
	secs := p.Duration / time.Second
	if p.Duration%time.Second != 0 || secs < gen.LimitAdBreakInputBreakDurationSecondsMinimum || secs > gen.LimitAdBreakInputBreakDurationSecondsMaximum {
		return nil, invalid(op.ID, "Duration", "%s is not a whole number of seconds from %ds to %ds", p.Duration,
			gen.LimitAdBreakInputBreakDurationSecondsMinimum, gen.LimitAdBreakInputBreakDurationSecondsMaximum)
	}
	// AdBreakStartParams marshals as Kick's body, the duration in seconds.
	body, err := encode(op.Operation, p)
	if err != nil {
		return nil, err
	}
	var env data[AdBreak]
	if err := s.client.fetch(ctx, op.Request(body), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Status returns the ad state of the channel of the token's user: enrolment, breaks left and
// limits.
//
// Inferred, not from Kick's docs (see AdsService). Token: a user token with ScopeAdsRead or
// ScopeAdsWrite. Operation getAdBreakStatus.
//
// Kick API docs: https://docs.kick.com/scopes/scopes
func (s *AdsService) Status(ctx context.Context, opts ...RequestOption) (*AdBreakStatus, error) {
	var env data[AdBreakStatus]
	if err := s.client.fetch(ctx, gen.GetAdBreakStatus.Request(), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Enroll enrolls the channel of the token's user in ads.
//
// Inferred, not from Kick's docs (see AdsService). Token: a user token with ScopeAdsWrite.
// Operation enrollAds.
//
// Kick API docs: https://docs.kick.com/scopes/scopes
func (s *AdsService) Enroll(ctx context.Context, opts ...RequestOption) error {
	return s.client.fetch(ctx, gen.EnrollAds.Request(), opts, nil)
}

// newUUIDv4 returns a random version 4 UUID (RFC 9562) from crypto/rand.
func newUUIDv4() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand crashes the program rather than return an error
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
