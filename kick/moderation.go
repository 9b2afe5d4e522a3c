package kick

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/kick-sdk/kick-go/gen"
)

// ModerationService bans, times out and unbans users in a channel's chat. Kick docs: Moderation.
type ModerationService service

// ModerationBanParams describes a ban or a timeout for Ban. It marshals as the body Ban sends, Duration in
// minutes. Kick's schema: BanInput.
type ModerationBanParams struct {
	// BroadcasterUserID is the channel's broadcaster and UserID the user to ban; both required.
	BroadcasterUserID int64
	UserID            int64
	// Duration 0 bans permanently. Otherwise it is a timeout of whole minutes, from 1 minute to 7
	// days (10,080 minutes).
	Duration time.Duration
	// Reason is at most 100 characters; "" means none.
	Reason string
}

// banParamsJSON is ModerationBanParams as Kick's JSON: the duration in whole minutes, absent for a ban.
type banParamsJSON struct {
	BroadcasterUserID int64  `json:"broadcaster_user_id"`
	UserID            int64  `json:"user_id"`
	Duration          int64  `json:"duration,omitempty"`
	Reason            string `json:"reason,omitempty"`
}

// MarshalJSON writes p with Kick's names, Duration in minutes (rounded down).
func (p ModerationBanParams) MarshalJSON() ([]byte, error) { return json.Marshal(p.wire()) }

// wire is p as Kick's JSON (see encode).
func (p ModerationBanParams) wire() any {
	return banParamsJSON{p.BroadcasterUserID, p.UserID, int64(p.Duration / time.Minute), p.Reason}
}

// UnmarshalJSON reads p from Kick's JSON, duration in minutes.
func (p *ModerationBanParams) UnmarshalJSON(b []byte) error {
	var w banParamsJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	d, err := durationOf("ModerationBanParams", "duration", w.Duration, time.Minute)
	if err != nil {
		return err
	}
	*p = ModerationBanParams{w.BroadcasterUserID, w.UserID, d, w.Reason}
	return nil
}

// durationOf is n units of a duration in Kick's JSON (field of model), such as minutes, as a
// time.Duration; a negative n, or one a time.Duration cannot hold, is an error.
func durationOf(model, field string, n int64, unit time.Duration) (time.Duration, error) {
	if n < 0 || n > math.MaxInt64/int64(unit) {
		return 0, fmt.Errorf("kick: %s: %s %d is not a number of %s a time.Duration holds", model, field, n, unitName(unit))
	}
	return time.Duration(n) * unit, nil
}

func unitName(unit time.Duration) string {
	if unit == time.Minute {
		return "minutes"
	}
	return "seconds"
}

// maxBanDuration is the longest timeout: the spec's maximum of duration, in minutes.
const maxBanDuration = gen.LimitBanInputDurationMaximum * time.Minute

// Ban bans p.UserID from the chat of p.BroadcasterUserID, permanently or, with a Duration, for a
// timeout.
//
// Token: a user token with ScopeModerationBan. Operation banUser.
//
// Kick API docs: https://docs.kick.com/apis/moderation
func (s *ModerationService) Ban(ctx context.Context, p ModerationBanParams, opts ...RequestOption) error {
	op := gen.BanUser
	if err := checkModerationIDs(op.ID, p.BroadcasterUserID, p.UserID); err != nil {
		return err
	}
	switch {
	case p.Duration < 0:
		return invalid(op.ID, "Duration", "%v is negative", p.Duration)
	case p.Duration%time.Minute != 0:
		return invalid(op.ID, "Duration", "%v is not a whole number of minutes", p.Duration)
	case p.Duration > maxBanDuration:
		return invalid(op.ID, "Duration", "%v is over %d minutes", p.Duration, gen.LimitBanInputDurationMaximum)
	}
	if err := checkLen(op.ID, "Reason", p.Reason, false, gen.LimitBanInputReasonMaxLength); err != nil {
		return err
	}
	// ModerationBanParams marshals as Kick's body. Kick answers {"data":{},"message":"OK"}: nothing to decode.
	body, err := encode(op.Operation, p)
	if err != nil {
		return err
	}
	return s.client.fetch(ctx, op.Request(body), opts, nil)
}

// Unban lifts a ban or a timeout of userID in the chat of broadcasterUserID. Kick takes the
// parameters as a JSON body on the DELETE request.
//
// Token: a user token with ScopeModerationBan. Operation unbanUser.
//
// Kick API docs: https://docs.kick.com/apis/moderation
func (s *ModerationService) Unban(ctx context.Context, broadcasterUserID, userID int64, opts ...RequestOption) error {
	op := gen.UnbanUser
	if broadcasterUserID <= 0 {
		return invalid(op.ID, "broadcasterUserID", "%d is not a positive id", broadcasterUserID)
	}
	if userID <= 0 {
		return invalid(op.ID, "userID", "%d is not a positive id", userID)
	}
	body, err := encode(op.Operation, struct {
		BroadcasterUserID int64 `json:"broadcaster_user_id"`
		UserID            int64 `json:"user_id"`
	}{broadcasterUserID, userID})
	if err != nil {
		return err
	}
	return s.client.fetch(ctx, op.Request(body), opts, nil)
}

// checkModerationIDs rejects non-positive broadcaster and user ids of ModerationBanParams.
func checkModerationIDs(op string, broadcasterUserID, userID int64) error {
	if broadcasterUserID <= 0 {
		return invalid(op, "BroadcasterUserID", "%d is not a positive id", broadcasterUserID)
	}
	if userID <= 0 {
		return invalid(op, "UserID", "%d is not a positive id", userID)
	}
	return nil
}
