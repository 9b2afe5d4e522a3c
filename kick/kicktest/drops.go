package kicktest

import (
	"strconv"

	"github.com/kick-sdk/kick-go/gen"
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
	page := gen.DropsClaimsPage{Claims: []gen.DropsClaim{}}
	for _, id := range s.st.claimOrder {
		cl := s.st.claims[id]
		if (cursor != "" && id <= cursor) || (campaign != "" && cl.campaignID != campaign) || (claimID != "" && id != claimID) ||
			(status != "" && cl.status != status) || (userID != 0 && cl.userID != userID) {
			continue
		}
		if len(page.Claims) == limit {
			page.Cursor = ptr(page.Claims[limit-1].ClaimID)
			break
		}
		claim := gen.DropsClaim{
			ClaimID: cl.id, UserID: cl.userID, CampaignID: cl.campaignID, RewardID: cl.rewardID,
			ExternalStatus: ptr(cl.status), CreatedAt: seconds(cl.created), UpdatedAt: seconds(cl.updated),
		}
		if cl.externalID != "" {
			claim.ExternalID = &cl.externalID
		}
		page.Claims = append(page.Claims, claim)
	}
	c.ok(gen.DropsClaimsEnvelope{Data: page, Message: okMessage})
}

// updateDropsClaims sets the external status of claims, all or none: an unknown claim id fails
// the call.
func (s *Server) updateDropsClaims(c *call) {
	var in gen.DropsClaimsUpdateInput
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
