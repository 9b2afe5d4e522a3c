package kick

import (
	"context"
	"iter"
	"regexp"
	"slices"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

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

// RewardCreateParams is a new reward for Create. Zero optional fields take Kick's defaults and are not
// sent. It marshals as the body Create sends. Kick's schema: ChannelRewardCreateInput.
type RewardCreateParams struct {
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

// RewardUpdateParams holds the fields Update changes; nil fields are left unchanged, and at least one
// must be set. Use Ptr: kick.RewardUpdateParams{Cost: kick.Ptr(int64(250))}. It marshals as the body
// Update sends. Kick's schema: ChannelRewardUpdateInput.
type RewardUpdateParams struct {
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
	rewardCreateColor = regexp.MustCompile(gen.LimitChannelRewardCreateInputBackgroundColorPattern)
	rewardUpdateColor = regexp.MustCompile(gen.LimitChannelRewardUpdateInputBackgroundColorPattern)
)

// List returns the rewards of the token owner's channel, enabled or not; none gives an empty
// slice.
//
// Token: a user token with ScopeChannelRewardsRead or ScopeChannelRewardsWrite. Operation
// listChannelRewards.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) List(ctx context.Context, opts ...RequestOption) ([]Reward, error) {
	var env data[[]Reward]
	if err := s.client.fetch(ctx, gen.ListChannelRewards.Request(), opts, &env); err != nil {
		return nil, err
	}
	return list(env.Data), nil
}

// Create creates a reward on the token owner's channel and returns it. Third-party notes report
// at most 15 rewards per channel, disabled ones included.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation createChannelReward.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) Create(ctx context.Context, r RewardCreateParams, opts ...RequestOption) (*Reward, error) {
	op := gen.CreateChannelReward
	if err := checkLen(op.ID, "Title", r.Title, true, gen.LimitChannelRewardCreateInputTitleMaxLength); err != nil {
		return nil, err
	}
	if r.Cost < gen.LimitChannelRewardCreateInputCostMinimum {
		return nil, invalid(op.ID, "Cost", "%d is below %d", r.Cost, gen.LimitChannelRewardCreateInputCostMinimum)
	}
	if err := checkLen(op.ID, "Description", r.Description, false, gen.LimitChannelRewardCreateInputDescriptionMaxLength); err != nil {
		return nil, err
	}
	if r.BackgroundColor != "" {
		if err := checkRewardColor(op.ID, r.BackgroundColor, rewardCreateColor); err != nil {
			return nil, err
		}
	}
	// RewardCreateParams marshals as Kick's body, its zero optional fields left out.
	body, err := encode(op.Operation, r)
	if err != nil {
		return nil, err
	}
	var env data[Reward]
	if err := s.client.fetch(ctx, op.Request(body), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Update changes the set fields of the reward id, which this app must have created, and returns
// the updated reward. An unknown id gives an error matching ErrNotFound.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation updateChannelReward.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) Update(ctx context.Context, id string, u RewardUpdateParams, opts ...RequestOption) (*Reward, error) {
	op := gen.UpdateChannelReward
	if err := checkRewardID(op.ID, id); err != nil {
		return nil, err
	}
	if u == (RewardUpdateParams{}) {
		return nil, invalid(op.ID, "update", "sets no field, at least one needed")
	}
	if u.Title != nil {
		if err := checkLen(op.ID, "Title", *u.Title, true, gen.LimitChannelRewardUpdateInputTitleMaxLength); err != nil {
			return nil, err
		}
	}
	if u.Cost != nil && *u.Cost < gen.LimitChannelRewardUpdateInputCostMinimum {
		return nil, invalid(op.ID, "Cost", "%d is below %d", *u.Cost, gen.LimitChannelRewardUpdateInputCostMinimum)
	}
	if u.Description != nil {
		if err := checkLen(op.ID, "Description", *u.Description, false, gen.LimitChannelRewardUpdateInputDescriptionMaxLength); err != nil {
			return nil, err
		}
	}
	if u.BackgroundColor != nil {
		if err := checkRewardColor(op.ID, *u.BackgroundColor, rewardUpdateColor); err != nil {
			return nil, err
		}
	}
	// RewardUpdateParams marshals as Kick's body: the fields set, and nothing else.
	body, err := encode(op.Operation, u)
	if err != nil {
		return nil, err
	}
	var env data[Reward]
	if err := s.client.fetch(ctx, op.Request(id, body), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// Delete deletes the reward id, which this app must have created. An unknown id gives an error
// matching ErrNotFound.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation deleteChannelReward.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) Delete(ctx context.Context, id string, opts ...RequestOption) error {
	if err := checkRewardID(gen.DeleteChannelReward.ID, id); err != nil {
		return err
	}
	return s.client.fetch(ctx, gen.DeleteChannelReward.Request(id), opts, nil)
}

// redemptionGroups are the groups of a page of redemptions, decoded with the redemptions of every
// group in one array, with room for redemptionsPerPage: decoding appends each group's
// redemptions to the room left, where each group would otherwise grow an array of its own (a
// third of it unused on average).
type redemptionGroups []RedemptionGroup

// redemptionsPerPage is the redemptions of a full page, as kicktest pages them: Kick does not
// document its page size. A group that does not fit in the room left grows an array of its own.
const redemptionsPerPage = 25

// UnmarshalJSONFrom reads the groups in the decoder's one pass; anything but an array decodes as
// into a []RedemptionGroup.
func (gs *redemptionGroups) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '[' {
		return jsonv2.UnmarshalDecode(dec, (*[]RedemptionGroup)(gs))
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	room := make([]Redemption, 0, redemptionsPerPage)
	groups := []RedemptionGroup{}
	for dec.PeekKind() != ']' {
		groups = append(groups, RedemptionGroup{Redemptions: room})
		g := &groups[len(groups)-1]
		if err := jsonv2.UnmarshalDecode(dec, g); err != nil {
			*gs = groups
			return err
		}
		// Decoded into the room (a group that outgrew it, or had none, has another array).
		if cap(g.Redemptions) == cap(room) {
			n := len(g.Redemptions)
			room = room[n:n]
		}
		g.Redemptions = slices.Clip(g.Redemptions) // appending to one never writes into the next
	}
	_, err := dec.ReadToken()
	*gs = groups
	return err
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
	op := gen.ListRewardRedemptions
	if p.Status != "" && !slices.Contains(redemptionStatuses, p.Status) {
		return Page[RedemptionGroup]{}, invalid(op.ID, "Status", "%q is not a known redemption status", p.Status)
	}
	if len(p.IDs) > 0 {
		if p.RewardID != "" || p.Status != "" {
			return Page[RedemptionGroup]{}, invalid(op.ID, "IDs", "cannot be combined with RewardID or Status")
		}
		if err := checkStrings(op.ID, "IDs", p.IDs); err != nil {
			return Page[RedemptionGroup]{}, err
		}
	}
	var env struct {
		Data       redemptionGroups `json:"data"`
		Pagination struct {
			NextCursor string `json:"next_cursor"`
		} `json:"pagination"`
	}
	if err := s.client.fetch(ctx, op.Request(p.RewardID, string(p.Status), p.IDs, p.Cursor), opts, &env); err != nil {
		return Page[RedemptionGroup]{}, err
	}
	page := Page[RedemptionGroup]{Items: list([]RedemptionGroup(env.Data)), NextCursor: env.Pagination.NextCursor}
	for i := range page.Items {
		page.Items[i].Redemptions = list(page.Items[i].Redemptions)
	}
	return page, nil
}

// redemptionStatuses are the statuses a request may filter by.
var redemptionStatuses = []RedemptionStatus{RedemptionPending, RedemptionAccepted, RedemptionRejected}

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
	return s.changeRedemptions(ctx, gen.AcceptRewardRedemptions.Operation, gen.AcceptRewardRedemptions.Request, ids, opts)
}

// RejectRedemptions rejects pending redemptions: 1 to 25 unique ids per call. It returns only the
// redemptions that could not be rejected, with Kick's reason; an empty slice means all were
// rejected.
//
// Token: a user token with ScopeChannelRewardsWrite. Operation rejectRewardRedemptions.
//
// Kick API docs: https://docs.kick.com/apis/channel-rewards
func (s *RewardsService) RejectRedemptions(ctx context.Context, ids []string, opts ...RequestOption) ([]FailedRedemption, error) {
	return s.changeRedemptions(ctx, gen.RejectRewardRedemptions.Operation, gen.RejectRewardRedemptions.Request, ids, opts)
}

// changeRedemptions checks ids and sends them to op, accept or reject, whose request build makes.
func (s *RewardsService) changeRedemptions(ctx context.Context, op *gen.Operation, build func(body []byte) gen.Request, ids []string, opts []RequestOption) ([]FailedRedemption, error) {
	switch {
	case len(ids) == 0:
		return nil, invalid(op.ID, "ids", "is empty, at least 1 id needed")
	case len(ids) > gen.LimitRedemptionIDsInputIDsMaxItems:
		return nil, invalid(op.ID, "ids", "has %d ids, at most %d allowed", len(ids), gen.LimitRedemptionIDsInputIDsMaxItems)
	}
	if err := checkStrings(op.ID, "ids", ids); err != nil {
		return nil, err
	}
	if i, j := firstRepeat(len(ids), func(i int) string { return ids[i] }); i >= 0 {
		return nil, invalid(op.ID, elem("ids", i), "repeats ids[%d]", j)
	}
	body, err := encode(op, struct {
		IDs []string `json:"ids"`
	}{ids})
	if err != nil {
		return nil, err
	}
	var env data[[]FailedRedemption]
	if err := s.client.fetch(ctx, build(body), opts, &env); err != nil {
		return nil, err
	}
	return list(env.Data), nil
}

// checkRewardID rejects a reward id that is empty or a dot segment: a path parameter has "/", "?"
// and "#" escaped (gen), but "." and ".." would be resolved away and send the call to another
// path (the client refuses such a path too, whatever builds it).
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
