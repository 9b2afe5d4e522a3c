// Channel rewards (https://docs.kick.com/apis/channel-rewards): the rewards of a channel and their
// redemptions.

package kicktest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"

	"github.com/kick-sdk/kick-go/kick"
)

// maxRewards is the most rewards a channel may have, disabled ones included (third-party notes;
// the spec repeats them).
const maxRewards = 15

// redemptionsPerPage is the page size of listRewardRedemptions, which has no limit parameter.
const redemptionsPerPage = 25

func (r *reward) json() kick.Reward {
	return kick.Reward{
		ID: r.id, Title: r.title, Cost: r.cost, Description: r.description, BackgroundColor: r.color,
		IsEnabled: r.enabled, IsPaused: r.paused, IsUserInputRequired: r.inputRequired, ShouldRedemptionsSkipRequestQueue: r.skipQueue,
	}
}

func (s *Server) listChannelRewards(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []kick.Reward{}
	for _, id := range s.st.rewardOrder {
		if r := s.st.rewards[id]; r.broadcaster == c.userID() && !r.deleted {
			out = append(out, r.json())
		}
	}
	c.data(out)
}

// createChannelReward creates a reward; the fields the request leaves out take the defaults of
// the spec's ChannelRewardCreateInput.
func (s *Server) createChannelReward(c *call) {
	var in kick.RewardCreateParams
	if !c.decode(&in) {
		return
	}
	if err := s.spec.withDefaults(&in, "ChannelRewardCreateInput"); err != nil {
		c.fail(http.StatusInternalServerError, "kicktest: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.st.rewards {
		if r.broadcaster == c.userID() && !r.deleted {
			n++
		}
	}
	if n >= maxRewards {
		c.badRequest("The channel already has the maximum of %d rewards", maxRewards)
		return
	}
	r := &reward{
		id: newULID(s.cfg.now()), broadcaster: c.userID(), title: in.Title, description: in.Description, cost: in.Cost,
		color: in.BackgroundColor, enabled: deref(in.IsEnabled), inputRequired: in.IsUserInputRequired,
		skipQueue: in.ShouldRedemptionsSkipRequestQueue, createdBy: s.app.ClientID,
	}
	s.st.rewards[r.id] = r
	s.st.rewardOrder = append(s.st.rewardOrder, r.id)
	c.data(r.json())
}

// manageable finds a reward of the token owner's channel that this app may change: 404 for an
// unknown, deleted or foreign reward, 403 for one another app (or kick.com) created.
func (s *Server) manageable(c *call) *reward {
	r := s.st.rewards[c.r.PathValue("id")]
	if r == nil || r.deleted || r.broadcaster != c.userID() {
		c.fail(http.StatusNotFound, "Not Found")
		return nil
	}
	if r.createdBy != s.app.ClientID {
		c.fail(http.StatusForbidden, "Forbidden: the reward was not created by this app")
		return nil
	}
	return r
}

func (s *Server) updateChannelReward(c *call) {
	var in kick.RewardUpdateParams
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.manageable(c)
	if r == nil {
		return
	}
	set(&r.title, in.Title)
	set(&r.cost, in.Cost)
	set(&r.description, in.Description)
	set(&r.color, in.BackgroundColor)
	set(&r.enabled, in.IsEnabled)
	set(&r.paused, in.IsPaused)
	set(&r.inputRequired, in.IsUserInputRequired)
	set(&r.skipQueue, in.ShouldRedemptionsSkipRequestQueue)
	c.data(r.json())
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (s *Server) deleteChannelReward(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.manageable(c); r != nil {
		r.deleted = true // its redemptions remain, under a reward marked is_deleted
		c.noContent()
	}
}

// listRewardRedemptions pages through the token owner's redemptions, 25 at a time, grouped by
// reward: by ids, or by reward and status (pending when absent). The cursor is the base64 of the
// page's last redemption id.
func (s *Server) listRewardRedemptions(c *call) {
	q := c.r.URL.Query()
	ids, rewardID, status := q["id"], q.Get("reward_id"), kick.RedemptionStatus(q.Get("status"))
	if len(ids) > 0 && (rewardID != "" || status != "") {
		c.badRequest("Invalid parameters: id cannot be combined with reward_id or status")
		return
	}
	if status == "" {
		status = kick.RedemptionPending
	}
	after := ""
	if cur := q.Get("cursor"); cur != "" {
		b, err := base64.RawURLEncoding.DecodeString(cur)
		if err != nil || !ulidPattern.Match(b) {
			c.badRequest("Invalid cursor")
			return
		}
		after = string(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	start := 0
	if after != "" {
		// The cursor is a position in the channel's redemptions, which stays valid when
		// redemptions change status between pages.
		i := slices.Index(s.st.redeemOrder, after)
		if i < 0 {
			c.badRequest("Invalid cursor")
			return
		}
		start = i + 1
	}
	var match []*redemption
	for _, id := range s.st.redeemOrder[start:] {
		r := s.st.redemptions[id]
		if r.broadcaster != c.userID() {
			continue
		}
		if len(ids) > 0 {
			if slices.Contains(ids, r.id) {
				match = append(match, r)
			}
			continue
		}
		if (rewardID == "" || r.rewardID == rewardID) && r.status == status {
			match = append(match, r)
		}
	}
	next := ""
	if len(match) > redemptionsPerPage {
		match = match[:redemptionsPerPage]
		next = base64.RawURLEncoding.EncodeToString([]byte(match[len(match)-1].id))
	}
	groups := []kick.RedemptionGroup{}
	index := map[string]int{}
	for _, r := range match {
		i, ok := index[r.rewardID]
		if !ok {
			rw := s.st.rewards[r.rewardID]
			i = len(groups)
			index[r.rewardID] = i
			groups = append(groups, kick.RedemptionGroup{Reward: kick.RedemptionReward{
				ID: rw.id, Title: rw.title, Cost: rw.cost, Description: rw.description,
				CanManage: rw.createdBy == s.app.ClientID, IsDeleted: rw.deleted,
			}, Redemptions: []kick.Redemption{}})
		}
		groups[i].Redemptions = append(groups[i].Redemptions, kick.Redemption{
			ID: r.id, RedeemedAt: seconds(r.redeemedAt), Redeemer: kick.RedemptionUser{UserID: r.userID},
			Status: r.status, UserInput: r.input,
		})
	}
	c.page(groups, next)
}

func (s *Server) acceptRewardRedemptions(c *call) { s.settleRedemptions(c, kick.RedemptionAccepted) }
func (s *Server) rejectRewardRedemptions(c *call) { s.settleRedemptions(c, kick.RedemptionRejected) }

// settleRedemptions accepts or rejects pending redemptions of rewards this app created, sends
// channel.reward.redemption.updated for each, and answers the ones that failed.
func (s *Server) settleRedemptions(c *call, to kick.RedemptionStatus) {
	var in struct {
		IDs []string `json:"ids"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	failed := []kick.FailedRedemption{}
	for _, id := range in.IDs {
		r := s.st.redemptions[id]
		switch {
		case r == nil || r.broadcaster != c.userID():
			failed = append(failed, kick.FailedRedemption{ID: id, Reason: "redemption not found"})
		case s.st.rewards[r.rewardID].createdBy != s.app.ClientID:
			failed = append(failed, kick.FailedRedemption{ID: id, Reason: "reward is not managed by this app"})
		case r.status != kick.RedemptionPending:
			failed = append(failed, kick.FailedRedemption{ID: id, Reason: fmt.Sprintf("redemption is not pending (%s)", r.status)})
		default:
			r.status = to
			s.emitRedemptionLocked(r)
		}
	}
	c.data(failed)
}

// emitRedemptionLocked sends channel.reward.redemption.updated for r; s.mu is held.
func (s *Server) emitRedemptionLocked(r *redemption) {
	s.emitLocked(kick.EventChannelRewardRedemptionUpdated, r.broadcaster, s.st.redemptionEvent(r))
}
