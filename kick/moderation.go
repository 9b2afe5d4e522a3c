package kick

import (
	"context"
	"net/http"
	"time"

	"github.com/kick-sdk/kick-go/gen"
)

// ModerationService bans, times out and unbans users in a channel's chat. Kick docs: Moderation.
type ModerationService service

// BanParams describes a ban or a timeout for Ban.
type BanParams struct {
	// BroadcasterUserID is the channel's broadcaster and UserID the user to ban; both required.
	BroadcasterUserID int64
	UserID            int64
	// Duration 0 bans permanently. Otherwise it is a timeout of whole minutes, from 1 minute to 7
	// days (10,080 minutes).
	Duration time.Duration
	// Reason is at most 100 characters; "" means none.
	Reason string
}

// Limits of banUser, from the spec.
const (
	maxBanDuration = 10080 * time.Minute
	maxBanReason   = 100
)

var (
	epBanUser   = endpoint{id: "banUser", auth: authUser, requiresData: true}
	epUnbanUser = endpoint{id: "unbanUser", auth: authUser, requiresData: true}
)

// Ban bans p.UserID from the chat of p.BroadcasterUserID, permanently or, with a Duration, for a
// timeout.
//
// Token: a user token with ScopeModerationBan. Operation banUser.
func (s *ModerationService) Ban(ctx context.Context, p BanParams, opts ...RequestOption) error {
	ep := epBanUser
	if err := checkModerationIDs(ep.id, p.BroadcasterUserID, p.UserID); err != nil {
		return err
	}
	switch {
	case p.Duration < 0:
		return invalid(ep.id, "Duration", "%v is negative", p.Duration)
	case p.Duration%time.Minute != 0:
		return invalid(ep.id, "Duration", "%v is not a whole number of minutes", p.Duration)
	case p.Duration > maxBanDuration:
		return invalid(ep.id, "Duration", "%v is over 7 days (10080 minutes)", p.Duration)
	}
	if err := checkLen(ep.id, "Reason", p.Reason, false, maxBanReason); err != nil {
		return err
	}
	body := gen.BanInput{BroadcasterUserID: p.BroadcasterUserID, UserID: p.UserID}
	if p.Duration > 0 {
		body.Duration = Ptr(int32(p.Duration / time.Minute))
	}
	if p.Reason != "" {
		body.Reason = &p.Reason
	}
	// Kick answers {"data":{},"message":"OK"}: nothing to decode.
	return s.client.exec(ctx, ep, opts, func(ctx context.Context, edit ...gen.RequestEditorFn) (*http.Response, error) {
		return s.client.api.BanUser(ctx, body, edit...)
	})
}

// Unban lifts a ban or a timeout of userID in the chat of broadcasterUserID. Kick takes the
// parameters as a JSON body on the DELETE request.
//
// Token: a user token with ScopeModerationBan. Operation unbanUser.
func (s *ModerationService) Unban(ctx context.Context, broadcasterUserID, userID int64, opts ...RequestOption) error {
	ep := epUnbanUser
	if broadcasterUserID <= 0 {
		return invalid(ep.id, "broadcasterUserID", "%d is not a positive id", broadcasterUserID)
	}
	if userID <= 0 {
		return invalid(ep.id, "userID", "%d is not a positive id", userID)
	}
	body := gen.UnbanInput{BroadcasterUserID: broadcasterUserID, UserID: userID}
	return s.client.exec(ctx, ep, opts, func(ctx context.Context, edit ...gen.RequestEditorFn) (*http.Response, error) {
		return s.client.api.UnbanUser(ctx, body, edit...)
	})
}

// checkModerationIDs rejects non-positive broadcaster and user ids of BanParams.
func checkModerationIDs(op string, broadcasterUserID, userID int64) error {
	if broadcasterUserID <= 0 {
		return invalid(op, "BroadcasterUserID", "%d is not a positive id", broadcasterUserID)
	}
	if userID <= 0 {
		return invalid(op, "UserID", "%d is not a positive id", userID)
	}
	return nil
}
