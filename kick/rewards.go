package kick

import (
	"context"
	"iter"
	"regexp"
	"time"

	"github.com/kick-sdk/kick-go/gen"
)

// RewardsService manages the channel-point rewards of the token owner's channel and their
// redemptions. Only the app that created a reward can update or delete it, or accept and reject its
// redemptions. Kick docs: Channel Rewards.
type RewardsService service

// Reward is a channel-point reward. Kick's schema: ChannelReward.
type Reward struct {
	// ID is the reward's id (a ULID).
	ID string `json:"id"`
	// Title, Cost (in channel points) and Description are what viewers see.
	Title       string `json:"title"`
	Cost        int64  `json:"cost"`
	Description string `json:"description"`
	// BackgroundColor is a color such as "#00e701".
	BackgroundColor string `json:"background_color"`
	// IsEnabled and IsPaused say whether viewers see the reward and whether they can redeem it now.
	IsEnabled bool `json:"is_enabled"`
	IsPaused  bool `json:"is_paused"`
	// IsUserInputRequired asks the viewer for a text when redeeming.
	IsUserInputRequired bool `json:"is_user_input_required"`
	// ShouldRedemptionsSkipRequestQueue accepts redemptions at once instead of queueing them as
	// pending.
	ShouldRedemptionsSkipRequestQueue bool `json:"should_redemptions_skip_request_queue"`
}

func rewardFromGen(r gen.ChannelReward) Reward {
	return Reward{
		ID:                                r.ID,
		Title:                             r.Title,
		Cost:                              r.Cost,
		Description:                       r.Description,
		BackgroundColor:                   r.BackgroundColor,
		IsEnabled:                         r.IsEnabled,
		IsPaused:                          r.IsPaused,
		IsUserInputRequired:               r.IsUserInputRequired,
		ShouldRedemptionsSkipRequestQueue: r.ShouldRedemptionsSkipRequestQueue,
	}
}

// RewardCreate is a new reward for Create. Zero optional fields take Kick's defaults and are not
// sent. It marshals as the body Create sends. Kick's schema: ChannelRewardCreateInput.
type RewardCreate struct {
	// Title is required, 1 to 50 characters.
	Title string `json:"title"`
	// Cost is the price in channel points, at least 1.
	Cost int64 `json:"cost"`
	// Description is at most 200 characters; "" means none.
	Description string `json:"description,omitempty"`
	// BackgroundColor is "#RRGGBB"; "" means Kick's default, "#00e701".
	BackgroundColor string `json:"background_color,omitempty"`
	// IsEnabled is sent when non-nil; nil means Kick's default, enabled.
	IsEnabled *bool `json:"is_enabled,omitempty"`
	// IsUserInputRequired and ShouldRedemptionsSkipRequestQueue default to false.
	IsUserInputRequired               bool `json:"is_user_input_required,omitempty"`
	ShouldRedemptionsSkipRequestQueue bool `json:"should_redemptions_skip_request_queue,omitempty"`
}

// RewardUpdate holds the fields Update changes; nil fields are left unchanged, and at least one
// must be set. Use Ptr: kick.RewardUpdate{Cost: kick.Ptr(int64(250))}. It marshals as the body
// Update sends. Kick's schema: ChannelRewardUpdateInput.
type RewardUpdate struct {
	// Title is 1 to 50 characters.
	Title *string `json:"title,omitempty"`
	// Cost is at least 1.
	Cost *int64 `json:"cost,omitempty"`
	// Description is at most 200 characters; "" clears it.
	Description *string `json:"description,omitempty"`
	// BackgroundColor is "#RRGGBB".
	BackgroundColor *string `json:"background_color,omitempty"`
	// The flags, as in Reward.
	IsEnabled                         *bool `json:"is_enabled,omitempty"`
	IsPaused                          *bool `json:"is_paused,omitempty"`
	IsUserInputRequired               *bool `json:"is_user_input_required,omitempty"`
	ShouldRedemptionsSkipRequestQueue *bool `json:"should_redemptions_skip_request_queue,omitempty"`
}

// RedemptionGroup is the redemptions of one reward, as Kick groups them. Kick's schema:
// RedemptionGroup.
type RedemptionGroup struct {
	// Reward is the redeemed reward.
	Reward RedemptionReward `json:"reward"`
	// Redemptions are the reward's redemptions on this page; never nil.
	Redemptions []Redemption `json:"redemptions"`
}

func redemptionGroupFromGen(g gen.RedemptionGroup) RedemptionGroup {
	return RedemptionGroup{Reward: redemptionRewardFromGen(g.Reward), Redemptions: convertAll(g.Redemptions, redemptionFromGen)}
}

// RedemptionReward is the reward a group of redemptions belongs to, with what this app may do with
// it. Kick's schema: RedemptionReward.
type RedemptionReward struct {
	// ID, Title, Cost and Description are those of the reward.
	ID          string `json:"id"`
	Title       string `json:"title"`
	Cost        int64  `json:"cost,omitempty"`
	Description string `json:"description,omitempty"`
	// CanManage says whether this app created the reward and so may accept and reject its
	// redemptions.
	CanManage bool `json:"can_manage,omitempty"`
	// IsDeleted says whether the reward was deleted since.
	IsDeleted bool `json:"is_deleted,omitempty"`
}

func redemptionRewardFromGen(r gen.RedemptionReward) RedemptionReward {
	return RedemptionReward{
		ID:          r.ID,
		Title:       r.Title,
		Cost:        deref(r.Cost),
		Description: deref(r.Description),
		CanManage:   deref(r.CanManage),
		IsDeleted:   deref(r.IsDeleted),
	}
}

// Redemption is a viewer's redemption of a reward. Kick's schema: Redemption.
type Redemption struct {
	// ID is the redemption's id (a ULID), for AcceptRedemptions and RejectRedemptions.
	ID string `json:"id"`
	// RedeemedAt is when the viewer redeemed the reward.
	RedeemedAt time.Time `json:"redeemed_at"`
	// Redeemer is the viewer.
	Redeemer RedemptionUser `json:"redeemer"`
	// Status is pending, accepted or rejected.
	Status RedemptionStatus `json:"status"`
	// UserInput is the viewer's text, when the reward asks for one.
	UserInput string `json:"user_input,omitempty"`
}

func redemptionFromGen(r gen.Redemption) Redemption {
	return Redemption{
		ID:         r.ID,
		RedeemedAt: r.RedeemedAt,
		Redeemer:   RedemptionUser{UserID: r.Redeemer.UserID},
		Status:     RedemptionStatus(r.Status),
		UserInput:  deref(r.UserInput),
	}
}

// RedemptionUser is the viewer who redeemed a reward. Kick's schema: RedemptionUser.
type RedemptionUser struct {
	// UserID is the viewer's user id.
	UserID int64 `json:"user_id"`
}

// FailedRedemption is a redemption that AcceptRedemptions or RejectRedemptions could not change.
// Kick's schema: FailedRedemption.
type FailedRedemption struct {
	// ID is the redemption's id.
	ID string `json:"id"`
	// Reason is Kick's explanation, such as "redemption is not pending".
	Reason string `json:"reason"`
}

func failedRedemptionFromGen(f gen.FailedRedemption) FailedRedemption {
	return FailedRedemption{ID: f.ID, Reason: f.Reason}
}

// RedemptionListParams filters ListRedemptions and AllRedemptions. IDs cannot be combined with
// RewardID or Status. It marshals with the query parameters' names.
type RedemptionListParams struct {
	// RewardID keeps the redemptions of one reward.
	RewardID string `json:"reward_id,omitempty"`
	// Status keeps the redemptions in one status; "" means Kick's default, RedemptionPending.
	Status RedemptionStatus `json:"status,omitempty"`
	// IDs asks for these redemptions only.
	IDs []string `json:"id,omitempty"`
	// Cursor is the NextCursor of the previous page; "" starts at the first page.
	Cursor string `json:"cursor,omitempty"`
}

// The background colors createChannelReward and updateChannelReward accept: the spec's patterns.
var (
	rewardCreateColor = regexp.MustCompile(limitChannelRewardCreateInputBackgroundColorPattern)
	rewardUpdateColor = regexp.MustCompile(limitChannelRewardUpdateInputBackgroundColorPattern)
)

// List returns the rewards of the token owner's channel, enabled or not; none gives an empty
// slice.
//
// Token: a user token with ScopeChannelRewardsRead or ScopeChannelRewardsWrite. Operation
// listChannelRewards.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) List(ctx context.Context, opts ...RequestOption) ([]Reward, error) {
	ep := epListChannelRewards
	env := gen.ChannelRewardList{Data: scratchRewards.get()}
	o := &outgoing{into: &env}
	if err := s.client.fetch(ctx, ep, opts, o); err != nil {
		return nil, err
	}
	return convertFrom(&scratchRewards, env.Data, rewardFromGen), nil
}

// Create creates a reward on the token owner's channel and returns it. Third-party notes report
// at most 15 rewards per channel, disabled ones included.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation createChannelReward.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) Create(ctx context.Context, r RewardCreate, opts ...RequestOption) (*Reward, error) {
	ep := epCreateChannelReward
	if err := checkLen(ep.id, "Title", r.Title, true, limitChannelRewardCreateInputTitleMaxLength); err != nil {
		return nil, err
	}
	if r.Cost < limitChannelRewardCreateInputCostMinimum {
		return nil, invalid(ep.id, "Cost", "%d is below %d", r.Cost, limitChannelRewardCreateInputCostMinimum)
	}
	if err := checkLen(ep.id, "Description", r.Description, false, limitChannelRewardCreateInputDescriptionMaxLength); err != nil {
		return nil, err
	}
	if r.BackgroundColor != "" {
		if err := checkRewardColor(ep.id, r.BackgroundColor, rewardCreateColor); err != nil {
			return nil, err
		}
	}
	body := gen.ChannelRewardCreateInput{Title: r.Title, Cost: r.Cost, IsEnabled: r.IsEnabled}
	if r.Description != "" {
		body.Description = &r.Description
	}
	if r.BackgroundColor != "" {
		body.BackgroundColor = &r.BackgroundColor
	}
	if r.IsUserInputRequired {
		body.IsUserInputRequired = Ptr(true)
	}
	if r.ShouldRedemptionsSkipRequestQueue {
		body.ShouldRedemptionsSkipRequestQueue = Ptr(true)
	}
	var env gen.ChannelRewardEnvelope
	o, err := jsonRequest(ep, body, &env)
	if err != nil {
		return nil, err
	}
	if err := s.client.fetch(ctx, ep, opts, o); err != nil {
		return nil, err
	}
	reward := rewardFromGen(env.Data)
	return &reward, nil
}

// Update changes the set fields of the reward id, which this app must have created, and returns
// the updated reward. An unknown id gives an error matching ErrNotFound.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation updateChannelReward.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) Update(ctx context.Context, id string, u RewardUpdate, opts ...RequestOption) (*Reward, error) {
	ep := epUpdateChannelReward
	if err := checkRewardID(ep.id, id); err != nil {
		return nil, err
	}
	if u == (RewardUpdate{}) {
		return nil, invalid(ep.id, "update", "sets no field, at least one needed")
	}
	if u.Title != nil {
		if err := checkLen(ep.id, "Title", *u.Title, true, limitChannelRewardUpdateInputTitleMaxLength); err != nil {
			return nil, err
		}
	}
	if u.Cost != nil && *u.Cost < limitChannelRewardUpdateInputCostMinimum {
		return nil, invalid(ep.id, "Cost", "%d is below %d", *u.Cost, limitChannelRewardUpdateInputCostMinimum)
	}
	if u.Description != nil {
		if err := checkLen(ep.id, "Description", *u.Description, false, limitChannelRewardUpdateInputDescriptionMaxLength); err != nil {
			return nil, err
		}
	}
	if u.BackgroundColor != nil {
		if err := checkRewardColor(ep.id, *u.BackgroundColor, rewardUpdateColor); err != nil {
			return nil, err
		}
	}
	body := gen.ChannelRewardUpdateInput{
		Title:                             u.Title,
		Cost:                              u.Cost,
		Description:                       u.Description,
		BackgroundColor:                   u.BackgroundColor,
		IsEnabled:                         u.IsEnabled,
		IsPaused:                          u.IsPaused,
		IsUserInputRequired:               u.IsUserInputRequired,
		ShouldRedemptionsSkipRequestQueue: u.ShouldRedemptionsSkipRequestQueue,
	}
	var env gen.ChannelRewardEnvelope
	o, err := jsonRequest(ep, body, &env)
	if err != nil {
		return nil, err
	}
	o.pathArg = id
	if err := s.client.fetch(ctx, ep, opts, o); err != nil {
		return nil, err
	}
	reward := rewardFromGen(env.Data)
	return &reward, nil
}

// Delete deletes the reward id, which this app must have created. An unknown id gives an error
// matching ErrNotFound.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation deleteChannelReward.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) Delete(ctx context.Context, id string, opts ...RequestOption) error {
	ep := epDeleteChannelReward
	if err := checkRewardID(ep.id, id); err != nil {
		return err
	}
	return s.client.exec(ctx, ep, opts, &outgoing{pathArg: id})
}

// ListRedemptions returns one page of the redemptions of the token owner's rewards, grouped by
// reward, and the cursor of the next page. Without p.Status only pending redemptions are
// returned.
//
// Token: a user token with ScopeChannelRewardsRead or ScopeChannelRewardsWrite. Operation
// listRewardRedemptions.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) ListRedemptions(ctx context.Context, p RedemptionListParams, opts ...RequestOption) (Page[RedemptionGroup], error) {
	ep := epListRewardRedemptions
	if p.Status != "" && !gen.RedemptionStatus(p.Status).Valid() {
		return Page[RedemptionGroup]{}, invalid(ep.id, "Status", "%q is not a known redemption status", p.Status)
	}
	if len(p.IDs) > 0 {
		if p.RewardID != "" || p.Status != "" {
			return Page[RedemptionGroup]{}, invalid(ep.id, "IDs", "cannot be combined with RewardID or Status")
		}
		if err := checkStrings(ep.id, "IDs", p.IDs); err != nil {
			return Page[RedemptionGroup]{}, err
		}
	}
	env := gen.RedemptionGroupPage{Data: scratchGroups.get()}
	o := &outgoing{into: &env}
	// The parameters in the spec's order, as the generated client sent them.
	if p.RewardID != "" {
		o.query.add(paramListRewardRedemptionsRewardID, p.RewardID)
	}
	if p.Status != "" {
		o.query.add(paramListRewardRedemptionsStatus, string(p.Status))
	}
	o.query.addStrings(paramListRewardRedemptionsID, p.IDs)
	if p.Cursor != "" {
		o.query.add(paramListRewardRedemptionsCursor, p.Cursor)
	}
	if err := s.client.fetch(ctx, ep, opts, o); err != nil {
		return Page[RedemptionGroup]{}, err
	}
	page := Page[RedemptionGroup]{Items: convertFrom(&scratchGroups, env.Data, redemptionGroupFromGen)}
	if env.Pagination != nil {
		page.NextCursor = deref(env.Pagination.NextCursor)
	}
	return page, nil
}

// AllRedemptions iterates over the redemption groups of every page from p.Cursor on, fetching each
// page when the previous one is consumed. A reward may appear in a group on several pages. The
// iteration ends after yielding an error.
//
// Token: a user token with ScopeChannelRewardsRead or ScopeChannelRewardsWrite. Operation
// listRewardRedemptions.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) AllRedemptions(ctx context.Context, p RedemptionListParams, opts ...RequestOption) iter.Seq2[RedemptionGroup, error] {
	return paginate(ctx, p.Cursor, func(ctx context.Context, cursor string) (Page[RedemptionGroup], error) {
		p := p // a copy per page: ranges do not share it
		p.Cursor = cursor
		return s.ListRedemptions(ctx, p, opts...)
	})
}

// AcceptRedemptions accepts pending redemptions: 1 to 25 unique ids per call. It returns only the
// redemptions that could not be accepted, with Kick's reason; an empty slice means all were
// accepted.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation acceptRewardRedemptions.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) AcceptRedemptions(ctx context.Context, ids []string, opts ...RequestOption) ([]FailedRedemption, error) {
	return s.changeRedemptions(ctx, epAcceptRewardRedemptions, ids, opts)
}

// RejectRedemptions rejects pending redemptions: 1 to 25 unique ids per call. It returns only the
// redemptions that could not be rejected, with Kick's reason; an empty slice means all were
// rejected.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation rejectRewardRedemptions.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) RejectRedemptions(ctx context.Context, ids []string, opts ...RequestOption) ([]FailedRedemption, error) {
	return s.changeRedemptions(ctx, epRejectRewardRedemptions, ids, opts)
}

// changeRedemptions checks ids and sends them to ep, accept or reject.
func (s *RewardsService) changeRedemptions(ctx context.Context, ep endpoint, ids []string, opts []RequestOption) ([]FailedRedemption, error) {
	switch {
	case len(ids) == 0:
		return nil, invalid(ep.id, "ids", "is empty, at least 1 id needed")
	case len(ids) > limitRedemptionIDsInputIDsMaxItems:
		return nil, invalid(ep.id, "ids", "has %d ids, at most %d allowed", len(ids), limitRedemptionIDsInputIDsMaxItems)
	}
	if err := checkStrings(ep.id, "ids", ids); err != nil {
		return nil, err
	}
	if i, j := firstRepeat(len(ids), func(i int) string { return ids[i] }); i >= 0 {
		return nil, invalid(ep.id, elem("ids", i), "repeats ids[%d]", j)
	}
	env := gen.FailedRedemptionList{Data: scratchFailed.get()}
	o, err := jsonRequest(ep, gen.RedemptionIDsInput{Ids: ids}, &env)
	if err != nil {
		return nil, err
	}
	if err := s.client.fetch(ctx, ep, opts, o); err != nil {
		return nil, err
	}
	return convertFrom(&scratchFailed, env.Data, failedRedemptionFromGen), nil
}

// checkRewardID rejects a reward id that is empty or a dot segment: a path parameter has "/", "?"
// and "#" escaped (expandPath), but "." and ".." would still be resolved away and send the call to
// another path.
func checkRewardID(op, id string) error {
	switch id {
	case "":
		return invalid(op, "id", "is empty")
	case ".", "..":
		return invalid(op, "id", "%q is not a reward id", id)
	}
	return nil
}

// checkRewardColor rejects a color that does not match pattern: "#RRGGBB".
func checkRewardColor(op, color string, pattern *regexp.Regexp) error {
	if !pattern.MatchString(color) {
		return invalid(op, "BackgroundColor", "%q is not a #RRGGBB color", color)
	}
	return nil
}
