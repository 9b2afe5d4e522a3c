package kicktest

import (
	"encoding/json"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Webhook payloads are package webhook's event types, the one Go model of each of the spec's
// payload schemas, which marshal with Kick's names; they are built by the state methods below,
// which also make the change the event reports. The Server's helpers and
// API handlers deliver them; SamplePayload builds them on a fresh seed state. Timestamps are the
// clock's, in UTC, to the second (to the millisecond where Kick's payloads have milliseconds).

// eventUser returns user id as payloads carry it; with identity, as it appears in the chat of
// broadcaster.
func (st *state) eventUser(id, broadcaster int64, identity bool) webhook.User {
	u := st.users[id]
	e := webhook.User{UserID: u.id, Username: u.username, IsVerified: u.verified, ProfilePicture: u.profilePicture, ChannelSlug: u.slug()}
	if identity {
		e.Identity = st.identity(id, broadcaster)
	}
	return e
}

// identity is how user id appears in the chat of broadcaster: color and badges.
func (st *state) identity(id, broadcaster int64) *webhook.Identity {
	ch := st.channels[broadcaster]
	idt := &webhook.Identity{UsernameColor: st.users[id].color, Badges: []webhook.Badge{}}
	badge := func(text, typ string, count int) {
		idt.Badges = append(idt.Badges, webhook.Badge{Text: text, Type: typ, Count: count})
	}
	if id == broadcaster {
		badge("Broadcaster", "broadcaster", 0)
	}
	if ch.mods[id] {
		badge("Moderator", "moderator", 0)
	}
	if st.users[id].verified {
		badge("Verified channel", "verified", 0)
	}
	if n := ch.gifted[id]; n > 0 {
		badge("Sub Gifter", "sub_gifter", n)
	}
	if n := ch.subscribers[id]; n > 0 {
		badge("Subscriber", "subscriber", n)
	}
	return idt
}

// eventUserSummary is the compact user of kicks.gifted and channel.reward.redemption.updated.
func (st *state) eventUserSummary(id int64) webhook.UserSummary {
	u := st.users[id]
	return webhook.UserSummary{UserID: u.id, Username: u.username, IsVerified: u.verified, ProfilePicture: u.profilePicture, ChannelSlug: u.slug()}
}

// chat stores a chat message and returns it with its chat.message.sent.
func (st *state) chat(typ kick.ChatMessageType, sender, broadcaster int64, content, replyTo string, now time.Time) (*ChatMessage, webhook.ChatMessageSent) {
	m := &ChatMessage{MessageID: newUUID(), BroadcasterUserID: broadcaster, SenderUserID: sender, Type: typ, Content: content, ReplyToMessageID: replyTo, CreatedAt: now}
	st.messages[m.MessageID] = m
	st.msgOrder = append(st.msgOrder, m.MessageID)
	ev := webhook.ChatMessageSent{
		MessageID:   m.MessageID,
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Sender:      st.eventUser(sender, broadcaster, true),
		Content:     content,
		Emotes:      emotes(content),
		CreatedAt:   seconds(m.CreatedAt),
	}
	if parent := st.messages[replyTo]; parent != nil {
		ev.RepliesTo = &webhook.ChatMessageReply{MessageID: parent.MessageID, Content: parent.Content, Sender: st.eventUser(parent.SenderUserID, broadcaster, false)}
	}
	return m, ev
}

var emotePattern = regexp.MustCompile(`\[emote:(\d+):[^\]\s]+\]`)

// emotes finds the [emote:<id>:<name>] of a message, with their positions in characters (first
// and last, inclusive), one entry per emote id.
func emotes(content string) []webhook.Emote {
	out := []webhook.Emote{}
	index := map[string]int{}
	for _, m := range emotePattern.FindAllStringSubmatchIndex(content, -1) {
		id := content[m[2]:m[3]]
		start := utf8.RuneCountInString(content[:m[0]])
		end := start + utf8.RuneCountInString(content[m[0]:m[1]]) - 1
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			// Kick sends the id as a string.
			out = append(out, webhook.Emote{ID: id, Positions: []webhook.EmotePosition{}})
		}
		out[i].Positions = append(out[i].Positions, webhook.EmotePosition{Start: start, End: end})
	}
	return out
}

// follow makes follower follow broadcaster and returns the channel.followed.
func (st *state) follow(follower, broadcaster int64) webhook.ChannelFollowed {
	st.channels[broadcaster].followers[follower] = true
	return webhook.ChannelFollowed{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Follower:    st.eventUser(follower, broadcaster, false),
	}
}

// subscribe records that subscriber is subscribed to broadcaster for months months in all and
// returns channel.subscription.new for the first month, channel.subscription.renewal after.
func (st *state) subscribe(subscriber, broadcaster int64, months int, now time.Time) (kick.EventType, any) {
	ch := st.channels[broadcaster]
	if ch.subscribers[subscriber] == 0 {
		ch.activeSubs++
	}
	ch.subscribers[subscriber] = months
	ev := webhook.ChannelSubscriptionNew{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Subscriber:  st.eventUser(subscriber, broadcaster, false),
		Months:      months,
		CreatedAt:   seconds(now),
		ExpiresAt:   seconds(now.AddDate(0, 1, 0)),
	}
	if months > 1 {
		return kick.EventChannelSubscriptionRenewal, webhook.ChannelSubscriptionRenewal(ev)
	}
	return kick.EventChannelSubscriptionNew, ev
}

// giftSubs makes gifter (0: anonymous) gift a one-month subscription to broadcaster to each
// giftee and returns the channel.subscription.gifts.
func (st *state) giftSubs(gifter, broadcaster int64, giftees []int64, now time.Time) subscriptionGifts {
	ch := st.channels[broadcaster]
	g := webhook.User{IsAnonymous: true}
	if gifter != 0 {
		g = st.eventUser(gifter, broadcaster, false)
		ch.gifted[gifter] += len(giftees)
	}
	ev := webhook.ChannelSubscriptionGifts{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Gifter:      g,
		CreatedAt:   seconds(now),
		ExpiresAt:   seconds(now.AddDate(0, 1, 0)),
	}
	for _, id := range giftees {
		if ch.subscribers[id] == 0 {
			ch.activeSubs++
			ch.subscribers[id] = 1
		}
		ev.Giftees = append(ev.Giftees, st.eventUser(id, broadcaster, false))
	}
	return subscriptionGifts(ev)
}

// subscriptionGifts is a channel.subscription.gifts as Kick sends it: an anonymous gifter has
// is_anonymous true and every other field null (webhook.User writes zero values).
type subscriptionGifts webhook.ChannelSubscriptionGifts

func (e subscriptionGifts) MarshalJSON() ([]byte, error) {
	gifter, err := json.Marshal(e.Gifter)
	if err != nil {
		return nil, err
	}
	if e.Gifter.IsAnonymous {
		gifter = []byte(`{"is_anonymous":true,"user_id":null,"username":null,"is_verified":null,"profile_picture":null,"channel_slug":null,"identity":null}`)
	}
	return json.Marshal(struct {
		webhook.ChannelSubscriptionGifts
		Gifter json.RawMessage `json:"gifter"`
	}{webhook.ChannelSubscriptionGifts(e), gifter})
}

// redeem makes viewer redeem rw with input and returns the redemption, pending or, when the
// reward skips the request queue, accepted.
func (st *state) redeem(viewer int64, rw *reward, input string, now time.Time) *redemption {
	r := &redemption{id: newULID(now), rewardID: rw.id, broadcaster: rw.broadcaster, userID: viewer, input: input, status: kick.RedemptionPending, redeemedAt: now}
	if rw.skipQueue {
		r.status = kick.RedemptionAccepted
	}
	st.redemptions[r.id] = r
	st.redeemOrder = append(st.redeemOrder, r.id)
	return r
}

// redemptionEvent returns the channel.reward.redemption.updated of r as it is.
func (st *state) redemptionEvent(r *redemption) webhook.ChannelRewardRedemptionUpdated {
	rw := st.rewards[r.rewardID]
	return webhook.ChannelRewardRedemptionUpdated{
		ID: r.id, UserInput: r.input, Status: r.status, RedeemedAt: millis(r.redeemedAt),
		Reward:      webhook.RewardSummary{ID: rw.id, Title: rw.title, Cost: rw.cost, Description: rw.description},
		Redeemer:    st.eventUserSummary(r.userID),
		Broadcaster: st.eventUserSummary(r.broadcaster),
	}
}

// startStream takes broadcaster live, with title as the stream title unless it is empty, and
// returns the livestream.status.updated.
func (st *state) startStream(broadcaster int64, title string, now time.Time) webhook.LivestreamStatusUpdated {
	ch := st.channels[broadcaster]
	if title != "" {
		ch.title = title
	}
	ls := &livestream{id: newUUID(), startedAt: now, viewers: 1}
	st.streams[broadcaster] = ls
	return webhook.LivestreamStatusUpdated{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		IsLive:      true,
		Title:       ch.title,
		StartedAt:   seconds(ls.startedAt),
	}
}

// endStream ends the stream of broadcaster and returns the livestream.status.updated; ok is false
// when the channel is offline.
func (st *state) endStream(broadcaster int64, now time.Time) (ev webhook.LivestreamStatusUpdated, ok bool) {
	ls := st.streams[broadcaster]
	if ls == nil {
		return ev, false
	}
	delete(st.streams, broadcaster)
	return webhook.LivestreamStatusUpdated{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Title:       st.channels[broadcaster].title,
		StartedAt:   seconds(ls.startedAt),
		EndedAt:     seconds(now),
	}, true
}

// metadataEvent returns the livestream.metadata.updated of the channel of broadcaster as it is.
func (st *state) metadataEvent(broadcaster int64) webhook.LivestreamMetadataUpdated {
	ch := st.channels[broadcaster]
	return webhook.LivestreamMetadataUpdated{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Metadata: webhook.LivestreamMetadata{
			Title: ch.title, Language: ch.language, HasMatureContent: ch.mature,
			Category: st.categorySummary(ch.categoryID),
		},
	}
}

// ban bans user from the chat of broadcaster, for minutes minutes when above 0, and returns the
// moderation.banned.
func (st *state) ban(broadcaster, user, moderator int64, reason string, minutes int, now time.Time) webhook.ModerationBanned {
	b := &Ban{BroadcasterUserID: broadcaster, UserID: user, ModeratorUserID: moderator, Reason: reason, CreatedAt: now}
	meta := webhook.BanMetadata{Reason: reason, CreatedAt: seconds(now)}
	if minutes > 0 {
		b.ExpiresAt = now.Add(time.Duration(minutes) * time.Minute)
		meta.ExpiresAt = seconds(b.ExpiresAt)
	}
	st.channels[broadcaster].bans[user] = b
	return webhook.ModerationBanned{
		Broadcaster: st.eventUser(broadcaster, broadcaster, false),
		Moderator:   st.eventUser(moderator, broadcaster, false),
		BannedUser:  st.eventUser(user, broadcaster, false),
		Metadata:    meta,
	}
}

// giftKicks makes sender gift amount KICKs to broadcaster with a message, counts them on the
// channel's leaderboard and returns the kicks.gifted.
func (st *state) giftKicks(sender, broadcaster, amount int64, message string, now time.Time) webhook.KicksGifted {
	st.gifts = append(st.gifts, kicksGift{sender: sender, broadcaster: broadcaster, amount: amount, at: now})
	gift := giftOf(amount)
	gift.Message = message
	return webhook.KicksGifted{
		Broadcaster: st.eventUserSummary(broadcaster),
		Sender:      st.eventUserSummary(sender),
		Gift:        gift,
		CreatedAt:   millis(now),
	}
}

// giftOf names a KICKs gift after its amount, like Kick's catalog.
func giftOf(amount int64) webhook.KicksGift {
	g := func(name, typ, tier string, pinned int64) webhook.KicksGift {
		return webhook.KicksGift{Amount: amount, Name: name, Type: typ, Tier: tier, PinnedTime: time.Duration(pinned) * time.Second}
	}
	switch {
	case amount >= 5000:
		return g("Full Send", "LEVEL_UP", "HIGH", 1800)
	case amount >= 500:
		return g("Rage Quit", "LEVEL_UP", "MID", 600)
	case amount >= 100:
		return g("Hell Yeah", "BASIC", "LOW", 120)
	}
	return g("Kick Kiss", "BASIC", "LOW", 0)
}

// claimDrop records a new claim of user for a Drops reward and returns its drops.claim.
func (st *state) claimDrop(user int64, campaignID, rewardID, externalID string, now time.Time) webhook.DropsClaim {
	cl := &dropsClaim{id: newULID(now), userID: user, campaignID: campaignID, rewardID: rewardID, externalID: externalID, status: "initiated", created: now, updated: now}
	st.claims[cl.id] = cl
	st.claimOrder = append(st.claimOrder, cl.id)
	return webhook.DropsClaim{ClaimID: cl.id, UserID: cl.userID, CampaignID: cl.campaignID, RewardID: cl.rewardID, ExternalID: cl.externalID}
}

// seconds is a payload timestamp to the second, in UTC, as Kick's payloads have most.
func seconds(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// millis is a payload timestamp to the millisecond, in UTC, as some of Kick's payloads have.
func millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// deref returns *p, or the zero value when p is nil: an optional field of a request.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
