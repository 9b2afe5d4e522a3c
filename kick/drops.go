package kick

import (
	"context"
	"iter"
	"time"

	"github.com/kick-sdk/kick-go/gen"
)

// DropsService lists Drops reward claims and records their fulfillment, for apps that belong to a
// Kick Organization. Kick docs: Drops.
type DropsService service

// DropsClaim is a viewer's claim of a Drops reward, as ListClaims lists it. Kick's schema:
// DropsClaim.
type DropsClaim struct {
	// ClaimID is the claim's id (a ULID).
	ClaimID string `json:"claim_id"`
	// UserID is the id of the viewer who claimed the reward.
	UserID int64 `json:"user_id"`
	// CampaignID and RewardID identify the campaign and the reward (ULIDs).
	CampaignID string `json:"campaign_id"`
	RewardID   string `json:"reward_id"`
	// ExternalID is the reward's external reference, when the organization set one.
	ExternalID string `json:"external_id,omitempty"`
	// ExternalStatus is the organization's fulfillment status, set with UpdateClaims; "initiated"
	// when the claim is created (also when Kick leaves it out, as a proposed change to its docs says
	// it may).
	ExternalStatus string `json:"external_status"`
	// CreatedAt and UpdatedAt are when the claim was made and last changed.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// dropsStatusInitiated is the external status of a claim nobody has updated.
const dropsStatusInitiated = "initiated"

// DropsClaimListParams filters and pages ListClaims and AllClaims. Zero fields are not sent. It
// marshals with the query parameters' names.
type DropsClaimListParams struct {
	// CampaignID lists only the claims of this campaign.
	CampaignID string `json:"campaign_id,omitempty"`
	// UserID lists only the claims of this viewer.
	UserID int64 `json:"user_id,omitempty"`
	// ClaimID lists only this claim.
	ClaimID string `json:"claim_id,omitempty"`
	// ExternalStatus lists only the claims with this external status.
	ExternalStatus string `json:"external_status,omitempty"`
	// Limit is the page size, 1 to 1000; 0 leaves it to Kick (10).
	Limit int `json:"limit,omitempty"`
	// Cursor starts at the page after the one whose NextCursor it is; empty starts at the first page.
	Cursor string `json:"cursor,omitempty"`
}

// check checks p.
func (p DropsClaimListParams) check(op string) error {
	switch {
	case p.UserID < 0:
		return invalid(op, "UserID", "%d is not a positive id", p.UserID)
	case p.Limit < 0 || p.Limit > gen.LimitListDropsClaimsLimitMaximum:
		return invalid(op, "Limit", "%d is out of range %d to %d (0 leaves it to Kick)", p.Limit, gen.LimitListDropsClaimsLimitMinimum, gen.LimitListDropsClaimsLimitMaximum)
	}
	return nil
}

// dropsClaimsPage is the data of a page of claims: Kick's cursor is inside it.
type dropsClaimsPage struct {
	Claims []DropsClaim `json:"claims"`
	Cursor string       `json:"cursor"`
}

// ListClaims returns one page of the organization's Drops claims and the cursor of the next page.
// Unlike Kick's other lists, the cursor is a claim id that Kick sends inside the page's data. An
// empty page has no items, not an error.
//
// Token: an app token of an app associated with a Kick Organization. Operation listDropsClaims.
//
// Kick API docs: https://docs.kick.com/drops/public-api#retrieve-claims
func (s *DropsService) ListClaims(ctx context.Context, p DropsClaimListParams, opts ...RequestOption) (Page[DropsClaim], error) {
	op := gen.ListDropsClaims
	if err := p.check(op.ID); err != nil {
		return Page[DropsClaim]{}, err
	}
	var env data[dropsClaimsPage]
	req := op.Request(p.CampaignID, int64(p.Limit), p.Cursor, p.UserID, p.ClaimID, p.ExternalStatus)
	if err := s.client.fetch(ctx, req, opts, &env); err != nil {
		return Page[DropsClaim]{}, err
	}
	claims := list(env.Data.Claims)
	for i := range claims {
		if claims[i].ExternalStatus == "" {
			claims[i].ExternalStatus = dropsStatusInitiated
		}
	}
	return Page[DropsClaim]{Items: claims, NextCursor: env.Data.Cursor}, nil
}

// AllClaims iterates over the claims matching p, from p.Cursor on, fetching each page only when
// the previous one is consumed. It stops at the first error, which it yields.
//
// Token: an app token of an app associated with a Kick Organization. Operation listDropsClaims.
//
// Kick API docs: https://docs.kick.com/drops/public-api#retrieve-claims
func (s *DropsService) AllClaims(ctx context.Context, p DropsClaimListParams, opts ...RequestOption) iter.Seq2[DropsClaim, error] {
	return paginate(ctx, p.Cursor, func(ctx context.Context, cursor string) (Page[DropsClaim], error) {
		p := p // a copy per page: ranges do not share it
		p.Cursor = cursor
		return s.ListClaims(ctx, p, opts...)
	})
}

// DropsClaimUpdateParams sets the external status of one claim. Kick's schema: DropsClaimUpdate.
type DropsClaimUpdateParams struct {
	// ClaimID is the claim to update.
	ClaimID string `json:"claim_id"`
	// ExternalStatus is the organization's fulfillment status, free-form, such as "processed".
	ExternalStatus string `json:"external_status"`
}

// UpdateClaims sets the external status of 1 to 100 claims, each at most once per call.
//
// Token: an app token of an app associated with a Kick Organization. Operation updateDropsClaims.
//
// Kick API docs: https://docs.kick.com/drops/public-api#update-claims
func (s *DropsService) UpdateClaims(ctx context.Context, updates []DropsClaimUpdateParams, opts ...RequestOption) error {
	op := gen.UpdateDropsClaims.ID
	switch n := len(updates); {
	case n == 0:
		return invalid(op, "updates", "is empty; at least one claim update is required")
	case n > gen.LimitDropsClaimsUpdateInputClaimsMaxItems:
		return invalid(op, "updates", "has %d claims, at most %d allowed per call", n, gen.LimitDropsClaimsUpdateInputClaimsMaxItems)
	}
	for i, u := range updates {
		switch {
		case u.ClaimID == "":
			return invalid(op, elem("updates", i)+".ClaimID", "is empty")
		case u.ExternalStatus == "":
			return invalid(op, elem("updates", i)+".ExternalStatus", "is empty")
		}
	}
	if i, j := firstRepeat(len(updates), func(i int) string { return updates[i].ClaimID }); i >= 0 {
		return invalid(op, elem("updates", i)+".ClaimID", "%q repeats updates[%d]", updates[i].ClaimID, j)
	}
	// The body, the spec's DropsClaimsUpdateInput: its claims are DropsClaimUpdateParams's JSON.
	body, err := encode(gen.UpdateDropsClaims.Operation, struct {
		Claims []DropsClaimUpdateParams `json:"claims"`
	}{updates})
	if err != nil {
		return err
	}
	return s.client.fetch(ctx, gen.UpdateDropsClaims.Request(body), opts, nil)
}
