package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

// subscriptions checks the channel's subscriptions against the wanted events: with the token
// kind that subscribes, as Events.Sync uses it.
func (d *run) subscriptions(ctx context.Context) {
	if d.subKind == "" {
		return // no usable token: the token checks said so
	}
	if !d.channel() {
		return
	}
	opt := kick.WithTokenKind(d.subKind)
	all, err := d.p.Client.Events.List(ctx, kick.EventListParams{BroadcasterUserID: d.broadcaster}, opt)
	d.track(err)
	if err != nil {
		d.add(CheckSubscriptions, Fail, fmt.Sprintf("Listing the subscriptions failed: %v.", err),
			requestFix(err, "Fix what the token checks report, then run again."), err)
		return
	}
	// Kept to the channel even if Kick ignored the filter.
	d.listed = slices.DeleteFunc(all, func(s kick.EventSubscription) bool { return s.BroadcasterUserID != d.broadcaster })
	d.listedOK = true

	groups := map[eventKey][]kick.EventSubscription{}
	var order []eventKey // of the listing
	for _, s := range d.listed {
		k := keyOf(s.Type, s.Version)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], s)
	}
	wanted := make([]eventKey, len(d.p.Events))
	for i, e := range d.p.Events {
		wanted[i] = keyOf(e.Type, e.Version)
	}
	if len(wanted) == 0 {
		wanted = order
	}
	d.wanted = wanted
	d.missing(wanted, groups)
	d.duplicates(order, groups)
	d.versions(wanted, order, groups)
	d.webhooksEnabled(ctx, wanted, groups)
}

// channel decides the channel and checks that the token kind that subscribes can subscribe to
// it; it reports whether the subscription checks can go on.
func (d *run) channel() bool {
	d.broadcaster = d.p.BroadcasterUserID
	if d.broadcaster == 0 {
		d.broadcaster = d.ownID
	}
	if d.broadcaster == 0 {
		seen := "There is no channel to check: BroadcasterUserID is not set, and the user token's user is unknown"
		if d.meErr != nil {
			seen += fmt.Sprintf(" (%v)", d.meErr)
		}
		d.add(CheckChannel, Fail, seen+".", "Give the channel's broadcaster user id (Params.BroadcasterUserID, kick doctor --broadcaster).", d.meErr)
		return false
	}
	if d.subKind == kick.TokenKindApp {
		d.add(CheckChannel, OK, fmt.Sprintf("The app token subscribes to any channel, so to channel %d.", d.broadcaster), "", nil)
		d.channelOK = true
		return true
	}
	switch {
	case d.ownID == 0:
		d.add(CheckChannel, Warn, fmt.Sprintf("The user token subscribes, to its owner's channel only, and its owner is unknown (%v): it may not be channel %d.", d.meErr, d.broadcaster),
			"Grant the user token user:read, or give the client an app token, which subscribes to any channel.", d.meErr)
	case d.ownID != d.broadcaster:
		d.add(CheckChannel, Fail, fmt.Sprintf("The user token, which subscribes, is user %d's: Kick subscribes it to channel %d whatever it asks for, never to channel %d.", d.ownID, d.ownID, d.broadcaster),
			"Give the client an app token (kick.WithAppTokenSource), which subscribes to any channel, or the token of the channel's broadcaster.", nil)
		return false
	default:
		d.add(CheckChannel, OK, fmt.Sprintf("The user token subscribes to its owner's channel, %d.", d.broadcaster), "", nil)
	}
	d.channelOK = true
	return true
}

// missing checks that every wanted event is subscribed.
func (d *run) missing(wanted []eventKey, groups map[eventKey][]kick.EventSubscription) {
	if len(wanted) == 0 {
		d.add(CheckSubscriptions, Fail, fmt.Sprintf("Channel %d has no subscriptions, so Kick delivers nothing.", d.broadcaster),
			"Subscribe to the events the program handles with client.Events.Sync (or kick doctor --event TYPE --fix), at every start.", nil)
		return
	}
	var gone []string
	for _, k := range wanted {
		if len(groups[k]) == 0 {
			gone = append(gone, k.String())
		}
	}
	if len(gone) > 0 {
		d.add(CheckSubscriptions, Fail, fmt.Sprintf("Channel %d is not subscribed to %s (%d of %d wanted events are), so Kick does not deliver them.",
			d.broadcaster, strings.Join(gone, ", "), len(wanted)-len(gone), len(wanted)), fixSync, nil)
		return
	}
	d.add(CheckSubscriptions, OK, fmt.Sprintf("Channel %d is subscribed to every wanted event (%s).", d.broadcaster, keyList(wanted)), "", nil)
}

// duplicates checks that no event is subscribed twice: Kick would deliver it twice.
func (d *run) duplicates(order []eventKey, groups map[eventKey][]kick.EventSubscription) {
	var dups []string
	for _, k := range order {
		if n := len(groups[k]); n > 1 {
			dups = append(dups, fmt.Sprintf("%s %d times", k, n))
		}
	}
	if len(dups) == 0 {
		d.add(CheckDuplicates, OK, "No event is subscribed twice.", "", nil)
		return
	}
	d.add(CheckDuplicates, Warn, fmt.Sprintf("Channel %d is subscribed to %s: Kick delivers each of those events once per subscription.", d.broadcaster, strings.Join(dups, ", ")),
		"Delete the duplicates with client.Events.Sync (or kick doctor --fix), and subscribe with Sync rather than Subscribe at start-up.", nil)
}

// versions checks that no wanted event type is subscribed at a version the program does not
// want. Without Params.Events nothing is unwanted.
func (d *run) versions(wanted, order []eventKey, groups map[eventKey][]kick.EventSubscription) {
	if len(d.p.Events) == 0 {
		return
	}
	var wrong []string
	for _, k := range order {
		if slices.Contains(wanted, k) || !slices.ContainsFunc(wanted, func(w eventKey) bool { return w.t == k.t }) {
			continue
		}
		for _, s := range groups[k] {
			wrong = append(wrong, fmt.Sprintf("%s (subscription %s)", k, s.ID))
		}
	}
	if len(wrong) == 0 {
		d.add(CheckVersions, OK, "Every subscribed version of the wanted event types is wanted.", "", nil)
		return
	}
	d.add(CheckVersions, Warn, fmt.Sprintf("Channel %d is subscribed to versions the program does not want: %s; their deliveries have another payload.", d.broadcaster, strings.Join(wrong, ", ")),
		"Delete them with client.Events.Sync with DeleteStrays set, or client.Events.Unsubscribe.", nil)
}

// webhooksEnabled tells whether Kick accepts subscriptions: switching the app's webhooks off
// deletes them all and makes Kick refuse new ones, with a reason. When the channel has
// subscriptions, webhooks are on; else Run subscribes to one missing event and deletes the
// subscription at once.
func (d *run) webhooksEnabled(ctx context.Context, wanted []eventKey, groups map[eventKey][]kick.EventSubscription) {
	if len(d.listed) > 0 {
		d.add(CheckWebhooksEnabled, OK, fmt.Sprintf("Channel %d has %s, which Kick deletes when the app's webhooks are switched off.", d.broadcaster, plural(len(d.listed), "subscription")), "", nil)
		return
	}
	probe := keyOf(kick.EventChatMessageSent, 1)
	for _, k := range wanted {
		if len(groups[k]) == 0 {
			probe = k
			break
		}
	}
	opt := kick.WithTokenKind(d.subKind)
	results, err := d.p.Client.Events.Subscribe(ctx, kick.EventSubscribeParams{BroadcasterUserID: d.broadcaster, Events: []kick.SubscribeEvent{{Type: probe.t, Version: probe.v}}}, opt)
	d.track(err)
	if se, ok := errors.AsType[*kick.SubscriptionError](err); ok {
		fix := "Act on Kick's reason, then subscribe with client.Events.Sync (or kick doctor --fix)."
		if strings.Contains(strings.ToLower(se.Message), "not enabled") {
			fix = "Switch on Enable Webhooks and set the webhook URL in the app's settings (kick.com, Settings, Developer), then subscribe again with client.Events.Sync (or kick doctor --fix): switching webhooks off deleted every subscription."
		}
		d.add(CheckWebhooksEnabled, Fail, fmt.Sprintf("Kick refused to subscribe channel %d to %s: %q.", d.broadcaster, probe, se.Message), fix, err)
		return
	}
	if err != nil {
		d.add(CheckWebhooksEnabled, Warn, fmt.Sprintf("Trying to subscribe, to learn whether Kick accepts subscriptions, failed: %v.", err), "Fix what the other checks report, then run again.", err)
		return
	}
	var ids []string
	for _, r := range results {
		if r.SubscriptionID != "" {
			ids = append(ids, r.SubscriptionID)
		}
	}
	if len(ids) > 0 {
		err := d.p.Client.Events.Unsubscribe(ctx, ids, opt)
		d.track(err)
		if err != nil {
			d.add(CheckWebhooksEnabled, Warn, fmt.Sprintf("Kick accepted a subscription to %s, so the app's webhooks are on, but deleting it again failed: %v.", probe, err),
				fmt.Sprintf("Delete subscription %s (client.Events.Unsubscribe), or keep it if the program wants the event.", strings.Join(ids, ", ")), err)
			return
		}
	}
	d.add(CheckWebhooksEnabled, OK, fmt.Sprintf("Kick accepted a subscription to %s (deleted again at once), so the app's webhooks are on.", probe), "", nil)
}

// keyList is the keys, comma-separated.
func keyList(keys []eventKey) string {
	s := make([]string, len(keys))
	for i, k := range keys {
		s[i] = k.String()
	}
	return strings.Join(s, ", ")
}
