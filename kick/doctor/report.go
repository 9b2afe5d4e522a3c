package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

// Verdict is the outcome of a check.
type Verdict string

// The verdicts, from good to bad.
const (
	// OK: nothing to do.
	OK Verdict = "ok"
	// Warn: deliveries may arrive, but something will hurt: duplicated deliveries, a slow
	// receiver, a refresh token about to die.
	Warn Verdict = "warn"
	// Fail: deliveries do not arrive, are not verified, or will stop.
	Fail Verdict = "fail"
)

// rank orders the verdicts: OK < Warn < Fail.
func (v Verdict) rank() int {
	switch v {
	case OK:
		return 0
	case Warn:
		return 1
	}
	return 2
}

// CheckID names a check. The ids are stable: match on them, not on Seen or Fix, which may be
// reworded.
type CheckID string

// The checks, in the order a Report lists them.
const (
	// CheckAPI: Kick's API answers this client, and Kick's Cloudflare edge does not block it.
	CheckAPI CheckID = "api"
	// CheckClock: the local clock against the Date header of Kick's answers, measured against
	// the replay window of the webhook verifier.
	CheckClock CheckID = "clock"
	// CheckPublicKey: the key Kick serves at GET /public/v1/public-key against the key the
	// webhook verifier trusts.
	CheckPublicKey CheckID = "public-key"
	// CheckRefreshToken: the age of the user's refresh token in the TokenStore against the
	// lifetime Kick's refresh tokens have been seen to have (30 to 90 days).
	CheckRefreshToken CheckID = "refresh-token"
	// CheckAppToken: the app access token can be had and introspects as an active app token.
	CheckAppToken CheckID = "app-token"
	// CheckUserToken: the user access token can be had and introspects as an active user token
	// of the same app.
	CheckUserToken CheckID = "user-token"
	// CheckScopes: the token that subscribes has what subscribing needs (a user token needs
	// events:subscribe), and chat:write for the delivery proof.
	CheckScopes CheckID = "scopes"
	// CheckChannel: the token kind that subscribes can subscribe to the channel: a user token
	// only to its owner's.
	CheckChannel CheckID = "channel"
	// CheckSubscriptions: every wanted event of the channel is subscribed.
	CheckSubscriptions CheckID = "subscriptions"
	// CheckDuplicates: no event of the channel is subscribed twice (Kick then delivers it
	// twice).
	CheckDuplicates CheckID = "duplicates"
	// CheckVersions: no wanted event type is subscribed at a version that is not wanted.
	CheckVersions CheckID = "versions"
	// CheckWebhooksEnabled: Kick accepts subscriptions, that is the app's webhooks are switched
	// on, with Kick's reason when it refuses.
	CheckWebhooksEnabled CheckID = "webhooks-enabled"
	// CheckWebhookURL: the webhook URL is an absolute https URL.
	CheckWebhookURL CheckID = "webhook-url"
	// CheckWebhookAddress: the webhook URL's host resolves to public addresses only: not
	// localhost, nor a private, link-local, CGNAT or other special-purpose address.
	CheckWebhookAddress CheckID = "webhook-address"
	// CheckWebhookAnswer: the webhook URL answers a POST within the timeout, without a
	// redirect, from a handler at that path.
	CheckWebhookAnswer CheckID = "webhook-answer"
	// CheckWebhookUnsigned: the receiver refuses a delivery without a signature with a 4xx.
	CheckWebhookUnsigned CheckID = "webhook-unsigned"
	// CheckWebhookForged: the receiver refuses a delivery signed with another key than Kick's
	// with a 4xx.
	CheckWebhookForged CheckID = "webhook-forged"
	// CheckDelivery: with Params.Listener, a delivery Kick was made to send arrived there and
	// verified.
	CheckDelivery CheckID = "delivery"
)

// checkOrder is the order of the checks in a Report.
var checkOrder = []CheckID{
	CheckAPI, CheckClock, CheckPublicKey, CheckRefreshToken, CheckAppToken, CheckUserToken, CheckScopes,
	CheckChannel, CheckSubscriptions, CheckDuplicates, CheckVersions, CheckWebhooksEnabled, CheckWebhookURL,
	CheckWebhookAddress, CheckWebhookAnswer, CheckWebhookUnsigned, CheckWebhookForged, CheckDelivery,
}

// Check is the outcome of one check. It holds no credential: the errors it quotes are those of
// packages kick and kickauth, which redact them.
type Check struct {
	// ID names the check.
	ID CheckID `json:"id"`
	// Verdict is ok, warn or fail.
	Verdict Verdict `json:"verdict"`
	// Seen says what the check saw, in one or two sentences.
	Seen string `json:"seen"`
	// Fix says what to do, in one sentence; empty when the verdict is ok.
	Fix string `json:"fix,omitempty"`
	// Err is the error behind a failed request, if one was; for errors.Is and errors.As.
	Err error `json:"-"`
}

// String is the check on one line: "fail subscriptions: ... Fix: ...".
func (c Check) String() string {
	s := fmt.Sprintf("%s %s: %s", c.Verdict, c.ID, c.Seen)
	if c.Fix != "" {
		s += " Fix: " + c.Fix
	}
	return s
}

// Report is the outcome of Run: one Check per check that applied, in a fixed order (that of the
// Check* constants). A check that did not apply, such as the delivery proof without a
// Listener, is left out.
type Report struct {
	// Checks are the checks made.
	Checks []Check `json:"checks"`
	// BroadcasterUserID is the channel whose subscriptions were checked; 0 when none was.
	BroadcasterUserID int64 `json:"broadcaster_user_id,omitempty"`
	// Events are the events the subscriptions were checked against: Params.Events, or those
	// the channel was subscribed to. What client.Events.Sync makes right.
	Events []kick.SubscribeEvent `json:"events,omitempty"`
}

// Verdict is the worst verdict of the report's checks; OK for none.
func (r *Report) Verdict() Verdict {
	worst := OK
	for _, c := range r.Checks {
		if c.Verdict.rank() > worst.rank() {
			worst = c.Verdict
		}
	}
	return worst
}

// Failed reports whether a check failed.
func (r *Report) Failed() bool { return r.Verdict() == Fail }

// Problems returns the checks whose verdict is warn or fail, in the report's order: what a
// program logs at start-up.
func (r *Report) Problems() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Verdict != OK {
			out = append(out, c)
		}
	}
	return out
}

// Check returns the check id, if it was made.
func (r *Report) Check(id CheckID) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// String is the report, one check a line.
func (r *Report) String() string {
	var b strings.Builder
	for _, c := range r.Checks {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// sortChecks puts checks in checkOrder.
func sortChecks(checks []Check) {
	slices.SortStableFunc(checks, func(a, b Check) int {
		return slices.Index(checkOrder, a.ID) - slices.Index(checkOrder, b.ID)
	})
}
