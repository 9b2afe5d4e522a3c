// KICKs (https://docs.kick.com/apis/kicks): the leaderboard, from the gifts of the state.

package kicktest

import (
	"cmp"
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// getKicksLeaderboard ranks the gifters of the token owner's channel over its lifetime, the
// current calendar month and the current week (from Monday), in UTC of the server's clock.
func (s *Server) getKicksLeaderboard(c *call) {
	top := intParam(c, "top")
	now := s.cfg.now()
	week, month := leaderboardPeriods(now)
	s.mu.Lock()
	defer s.mu.Unlock()
	board := func(since time.Time) []kick.KicksLeaderboardEntry {
		sums := map[int64]int64{}
		for _, g := range s.st.gifts {
			if g.broadcaster == c.userID() && !g.at.Before(since) && !g.at.After(now) {
				sums[g.sender] += g.amount
			}
		}
		out := []kick.KicksLeaderboardEntry{}
		for id, sum := range sums {
			out = append(out, kick.KicksLeaderboardEntry{UserID: id, Username: s.st.users[id].username, GiftedAmount: sum})
		}
		slices.SortFunc(out, func(a, b kick.KicksLeaderboardEntry) int {
			return cmp.Or(cmp.Compare(b.GiftedAmount, a.GiftedAmount), cmp.Compare(a.UserID, b.UserID))
		})
		out = out[:min(len(out), top)]
		for i := range out {
			out[i].Rank = i + 1
		}
		return out
	}
	c.data(kick.KicksLeaderboard{Lifetime: board(time.Time{}), Month: board(month), Week: board(week)})
}

// leaderboardPeriods returns the starts of the KICKs leaderboard's week (Monday 00:00) and month
// (the 1st, 00:00) that hold now, in UTC.
func leaderboardPeriods(now time.Time) (week, month time.Time) {
	now = now.UTC()
	month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)), month
}

// later returns the later of a and b, earlier the earlier.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
