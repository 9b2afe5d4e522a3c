package kick

import (
	"context"

	"github.com/kick-sdk/kick-go/gen"
)

// KicksService reads KICKs (Kick's virtual gifts) information. Kick docs: KICKs.
type KicksService service

// KicksLeaderboard is the top KICKs gifters of a channel, per period. Each list is ordered by
// rank and never nil. Kick's schema: KicksLeaderboard.
type KicksLeaderboard struct {
	// Lifetime covers the channel's whole life, Month the current month and Week the current week.
	Lifetime []KicksLeaderboardEntry `json:"lifetime"`
	Month    []KicksLeaderboardEntry `json:"month"`
	Week     []KicksLeaderboardEntry `json:"week"`
}

func kicksLeaderboardFromGen(l gen.KicksLeaderboard) KicksLeaderboard {
	return KicksLeaderboard{
		Lifetime: convertAll(l.Lifetime, kicksLeaderboardEntryFromGen),
		Month:    convertAll(l.Month, kicksLeaderboardEntryFromGen),
		Week:     convertAll(l.Week, kicksLeaderboardEntryFromGen),
	}
}

// KicksLeaderboardEntry is a gifter's place on a leaderboard. Kick's schema: KicksLeaderboardEntry.
type KicksLeaderboardEntry struct {
	// Rank is the place, from 1.
	Rank int `json:"rank"`
	// UserID and Username identify the gifter.
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	// GiftedAmount is the KICKs the user gifted in the period.
	GiftedAmount int64 `json:"gifted_amount"`
}

func kicksLeaderboardEntryFromGen(e gen.KicksLeaderboardEntry) KicksLeaderboardEntry {
	return KicksLeaderboardEntry{Rank: int(e.Rank), UserID: e.UserID, Username: e.Username, GiftedAmount: e.GiftedAmount}
}

// Leaderboard returns the top KICKs gifters of the token owner's channel, for its lifetime, this
// month and this week: top entries per period, 1 to 100, or 0 for Kick's default of 10.
//
// Token: a user token with ScopeKicksRead. Operation getKicksLeaderboard.
//
// Kick API docs: https://docs.kick.com/apis/kicks
func (s *KicksService) Leaderboard(ctx context.Context, top int, opts ...RequestOption) (*KicksLeaderboard, error) {
	ep := epGetKicksLeaderboard
	if top < 0 || top > limitGetKicksLeaderboardTopMaximum {
		return nil, invalid(ep.id, "top", "%d is not between %d and %d (or 0 for Kick's default)", top, limitGetKicksLeaderboardTopMinimum, limitGetKicksLeaderboardTopMaximum)
	}
	env := gen.KicksLeaderboardEnvelope{Data: gen.KicksLeaderboard{
		Lifetime: scratchLeaderboard.get(), Month: scratchLeaderboard.get(), Week: scratchLeaderboard.get(),
	}}
	o := &outgoing{into: &env}
	if top > 0 {
		o.query.addInt(paramGetKicksLeaderboardTop, int64(top))
	}
	if err := s.client.fetch(ctx, ep, opts, o); err != nil {
		return nil, err
	}
	board := kicksLeaderboardFromGen(env.Data)
	for _, l := range [][]gen.KicksLeaderboardEntry{env.Data.Lifetime, env.Data.Month, env.Data.Week} {
		scratchLeaderboard.put(l)
	}
	return &board, nil
}
