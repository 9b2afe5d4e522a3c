// Drops (https://docs.kick.com/drops/public-api): the claims of the app's campaigns.

package kicktest

import (
	"strconv"

	"github.com/kick-sdk/kick-go/kick"
)

// listDropsClaims pages through the organization's claims in claim id order; the cursor is the
// last claim id of the previous page, inside data, and absent on the last page.
func (s *Server) listDropsClaims(c *call) {
	q := c.r.URL.Query()
	limit := intParam(c, "limit")
	cursor, campaign, claimID, status := q.Get("cursor"), q.Get("campaign_id"), q.Get("claim_id"), q.Get("external_status")
	userID, _ := strconv.ParseInt(q.Get("user_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	// The page's data holds the claims and, but on the last page, the cursor.
	var page struct {
		Claims []kick.DropsClaim `json:"claims"`
		Cursor string            `json:"cursor,omitempty"`
	}
	page.Claims = []kick.DropsClaim{}
	for _, id := range s.st.claimOrder {
		cl := s.st.claims[id]
		if (cursor != "" && id <= cursor) || (campaign != "" && cl.campaignID != campaign) || (claimID != "" && id != claimID) ||
			(status != "" && cl.status != status) || (userID != 0 && cl.userID != userID) {
			continue
		}
		if len(page.Claims) == limit {
			page.Cursor = page.Claims[limit-1].ClaimID
			break
		}
		page.Claims = append(page.Claims, kick.DropsClaim{
			ClaimID: cl.id, UserID: cl.userID, CampaignID: cl.campaignID, RewardID: cl.rewardID, ExternalID: cl.externalID,
			ExternalStatus: cl.status, CreatedAt: seconds(cl.created), UpdatedAt: seconds(cl.updated),
		})
	}
	c.data(page)
}

// updateDropsClaims sets the external status of claims, all or none: an unknown claim id fails
// the call.
func (s *Server) updateDropsClaims(c *call) {
	var in struct {
		Claims []kick.DropsClaimUpdateParams `json:"claims"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range in.Claims {
		if s.st.claims[u.ClaimID] == nil {
			c.badRequest("Invalid claim_id: no claim %s", u.ClaimID)
			return
		}
	}
	now := s.cfg.now()
	for _, u := range in.Claims {
		cl := s.st.claims[u.ClaimID]
		cl.status, cl.updated = u.ExternalStatus, now
	}
	c.noContent()
}
