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

// leaderboardDefaultTop is the entries per board Kick sends when top is not given: the spec's
// default of top.
const leaderboardDefaultTop = 10

// Leaderboard returns the top KICKs gifters of the token owner's channel, for its lifetime, this
// month and this week: top entries per period, 1 to 100, or 0 for Kick's default of 10.
//
// Token: a user token with ScopeKicksRead. Operation getKicksLeaderboard.
//
// Kick API docs: https://docs.kick.com/apis/kicks
func (s *KicksService) Leaderboard(ctx context.Context, top int, opts ...RequestOption) (*KicksLeaderboard, error) {
	op := gen.GetKicksLeaderboard
	if top < 0 || top > gen.LimitGetKicksLeaderboardTopMaximum {
		return nil, invalid(op.ID, "top", "%d is not between %d and %d (or 0 for Kick's default)", top, gen.LimitGetKicksLeaderboardTopMinimum, gen.LimitGetKicksLeaderboardTopMaximum)
	}
	// One array for the three boards, each with room for n entries, so that none grows while it
	// is decoded; a board longer than n still decodes, into an array of its own.
	n := top
	if n == 0 {
		n = leaderboardDefaultTop
	}
	entries := make([]KicksLeaderboardEntry, 0, 3*n)
	env := data[KicksLeaderboard]{Data: KicksLeaderboard{
		Lifetime: entries[0:0:n], Month: entries[n : n : 2*n], Week: entries[2*n : 2*n : 3*n],
	}}
	if err := s.client.fetch(ctx, op.Request(int64(top)), opts, &env); err != nil {
		return nil, err
	}
	b := &env.Data
	b.Lifetime, b.Month, b.Week = list(b.Lifetime), list(b.Month), list(b.Week)
	return b, nil
}
