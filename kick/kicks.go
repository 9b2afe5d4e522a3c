package kick

import (
	"context"
	"net/http"

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
	params := &gen.GetKicksLeaderboardParams{}
	if top > 0 {
		params.Top = Ptr(int32(top))
	}
	env, err := fetch(ctx, s.client, ep, opts, func(ctx context.Context, edit ...gen.RequestEditorFn) (*http.Response, error) {
		return s.client.api.GetKicksLeaderboard(ctx, params, edit...)
	}, gen.ParseGetKicksLeaderboardResponse, func(r *gen.GetKicksLeaderboardResponse) *gen.KicksLeaderboardEnvelope { return r.JSON200 })
	if err != nil {
		return nil, err
	}
	board := kicksLeaderboardFromGen(env.Data)
	return &board, nil
}
