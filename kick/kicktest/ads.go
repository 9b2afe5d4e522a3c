// Ads: ad breaks and their limits, as the spec infers them (x-kick-inferred: Kick's docs do not
// document them).

package kicktest

import (
	"time"

	"github.com/kick-sdk/kick-go/kick"
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
	duration int64 // seconds
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
func (a *adState) remaining(now time.Time) int {
	n := adBreakMax
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
	var in kick.AdBreakStartParams
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	a := s.st.adsOf(c.userID())
	for _, b := range a.breaks {
		if b.id == in.ID {
			c.ok(envelope{Data: kick.AdBreak{ID: b.id, RemainingAdBreaks: a.remaining(now)}, Message: "Accepted"})
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
	if in.Duration > 0 {
		b.duration = int64(in.Duration / time.Second)
	}
	a.breaks = append(a.breaks, b)
	c.ok(envelope{Data: kick.AdBreak{ID: b.id, RemainingAdBreaks: a.remaining(now)}, Message: "Accepted"})
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
	c.data(kick.AdBreakStatus{
		OptedIn: a.optedIn, RemainingAdBreaks: a.remaining(now), AdBreaks: breaks,
		Limits: kick.AdBreakLimits{Max: adBreakMax, Period: adBreakPeriod},
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
