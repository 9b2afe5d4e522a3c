package kicktest

import (
	"time"

	"github.com/kick-sdk/kick-go/gen"
)

// The Ads API is inferred (see the Ads tag of openapi/kick.yaml): kicktest plays it as the
// clients that call it expect. A channel is enrolled with enrollAds; it may then start
// adBreakMax breaks per adBreakPeriod, each with a client-chosen id that makes the request
// idempotent: the same id again answers the same break and starts none. Ad state is not part of
// SaveState.
const (
	adBreakMax      = 3
	adBreakPeriod   = time.Hour
	adBreakDuration = 60 // seconds, when a request gives none (Kick's default is unknown)
)

// adState is the ads of one channel.
type adState struct {
	optedIn bool
	breaks  []adBreak
}

type adBreak struct {
	id       string
	duration int32 // seconds
	started  time.Time
}

// adsOf returns the ad state of broadcaster, made on first use; s.mu is held.
func (st *state) adsOf(broadcaster int64) *adState {
	if st.ads == nil {
		st.ads = map[int64]*adState{}
	}
	a := st.ads[broadcaster]
	if a == nil {
		a = &adState{}
		st.ads[broadcaster] = a
	}
	return a
}

// remaining is how many breaks may start at now.
func (a *adState) remaining(now time.Time) int32 {
	n := int32(adBreakMax)
	for _, b := range a.breaks {
		if now.Sub(b.started) < adBreakPeriod {
			n--
		}
	}
	return max(n, 0)
}

// startAdBreak starts an ad break in the token owner's channel, or answers the break already
// started with the request's id.
func (s *Server) startAdBreak(c *call) {
	var in gen.AdBreakInput
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	a := s.st.adsOf(c.userID())
	for _, b := range a.breaks {
		if b.id == in.ID {
			c.ok(gen.AdBreakEnvelope{Data: gen.AdBreak{ID: b.id, RemainingAdBreaks: ptr(a.remaining(now))}, Message: ptr("Accepted")})
			return
		}
	}
	switch {
	case !a.optedIn:
		c.badRequest("Invalid parameters: the channel is not enrolled in ads")
		return
	case a.remaining(now) == 0:
		c.badRequest("Invalid parameters: no ad breaks left in this period")
		return
	}
	b := adBreak{id: in.ID, duration: adBreakDuration, started: now}
	if in.BreakDurationSeconds != nil {
		b.duration = *in.BreakDurationSeconds
	}
	a.breaks = append(a.breaks, b)
	c.ok(gen.AdBreakEnvelope{Data: gen.AdBreak{ID: b.id, RemainingAdBreaks: ptr(a.remaining(now))}, Message: ptr("Accepted")})
}

// getAdBreakStatus answers the ad state of the token owner's channel; its breaks are objects of
// id, break_duration_seconds and started_at.
func (s *Server) getAdBreakStatus(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	a := s.st.adsOf(c.userID())
	breaks := []map[string]any{}
	for _, b := range a.breaks {
		breaks = append(breaks, map[string]any{"id": b.id, "break_duration_seconds": b.duration, "started_at": seconds(b.started)})
	}
	c.ok(gen.AdBreakStatusEnvelope{
		Data: gen.AdBreakStatus{
			OptedIn: ptr(a.optedIn), AdsBlocked: ptr(false), AutoAdsActive: ptr(false),
			RemainingAdBreaks: ptr(a.remaining(now)), AdBreaks: breaks,
			Limits: &gen.AdBreakLimits{Max: ptr(int32(adBreakMax)), PeriodSeconds: ptr(int64(adBreakPeriod / time.Second))},
		},
		Message: ptr(okMessage),
	})
}

// enrollAds enrolls the token owner's channel in ads; Kick's answer was not seen, so kicktest
// answers 204.
func (s *Server) enrollAds(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.adsOf(c.userID()).optedIn = true
	c.noContent()
}
