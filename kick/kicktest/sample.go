package kicktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// SamplePayload returns a realistic payload of an event type, one of kick.AllEventTypes or
// webhook.EventDropsClaim, as the Server would deliver it (indented): an event in the channel of
// broadcasterID at time now, with fresh ids, among the seed users (Viewer chats, follows,
// subscribes, gifts and redeems; Moderator bans). It needs no Server: it plays the event on a
// fresh copy of the seed data, so repeated calls do not see each other's changes. A
// broadcasterID that is not a seed user gets a channel as user_<id>. An event type of the spec
// the fake cannot play yet is the example of its payload schema, in the broadcaster's channel.
// Every sample is valid against the spec's payload schema for its type.
func SamplePayload(typ kick.EventType, broadcasterID int64, now time.Time) ([]byte, error) {
	if broadcasterID < 1 {
		return nil, fmt.Errorf("kicktest: SamplePayload %s: invalid broadcaster id %d", typ, broadcasterID)
	}
	st := newState(now, "")
	b := broadcasterID
	if st.users[b] == nil {
		st.addUser(seedUser{id: b, name: fmt.Sprintf("user_%d", b), channelID: st.nextChannel, color: "#53FC18",
			category: 15, title: "Just chatting with chat", language: "en", thumbID: strings.ToUpper(randomHex(6))}, now)
		st.nextChannel++
	}
	// The other users of the event: the named seed users but the broadcaster.
	var others []int64
	for _, u := range []User{Viewer, Moderator, BotUser, Streamer} {
		if u.UserID != b {
			others = append(others, u.UserID)
		}
	}
	viewer, moderator, other := others[0], others[1], others[2]
	ch := st.channels[b]
	ch.mods[moderator] = true
	if ch.subscribers[viewer] == 0 {
		ch.subscribers[viewer] = 3
		ch.activeSubs++
	}

	var ev any
	switch typ {
	case kick.EventChatMessageSent:
		_, ev = st.chat(kick.ChatMessageUser, viewer, b, "Hello from kick event trigger [emote:37226:KEKW]", "", now)
	case kick.EventChannelFollowed:
		ev = st.follow(other, b)
	case kick.EventChannelSubscriptionNew:
		_, ev = st.subscribe(other, b, 1, now)
	case kick.EventChannelSubscriptionRenewal:
		_, ev = st.subscribe(viewer, b, ch.subscribers[viewer]+1, now)
	case kick.EventChannelSubscriptionGifts:
		ev = st.giftSubs(viewer, b, []int64{other, moderator}, now)
	case kick.EventChannelRewardRedemptionUpdated:
		rw := st.sampleReward(b, now)
		input := ""
		if rw.inputRequired {
			input = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
		}
		ev = st.redemptionEvent(st.redeem(viewer, rw, input, now))
	case kick.EventLivestreamStatusUpdated:
		ev = st.startStream(b, "", now)
	case kick.EventLivestreamMetadataUpdated:
		ev = st.metadataEvent(b)
	case kick.EventModerationBanned:
		ev = st.ban(b, other, moderator, "spam", 10, now)
	case kick.EventKicksGifted:
		ev = st.giftKicks(viewer, b, 500, "gg", now)
	case webhook.EventDropsClaim:
		seed := st.claims[st.claimOrder[0]]
		ev = st.claimDrop(viewer, seed.campaignID, seed.rewardID, seed.externalID, now)
	default:
		// An event type kicktest cannot play yet (a new one): the spec's example, in the channel
		// of the broadcaster.
		example, err := specExample(typ, st.eventUser(b, b, false))
		if err != nil {
			return nil, err
		}
		ev = example
	}
	body, err := json.Marshal(ev)
	if err == nil {
		body, err = ReshapePayload(typ, body, PayloadsCurrent)
	}
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	err = json.Indent(&out, body, "", "  ")
	return out.Bytes(), err
}

// sampleReward returns the first reward viewers can redeem in the channel of broadcaster, adding
// one when there is none.
func (st *state) sampleReward(broadcaster int64, now time.Time) *reward {
	for _, id := range st.rewardOrder {
		if rw := st.rewards[id]; rw.broadcaster == broadcaster && !rw.deleted && rw.enabled && !rw.paused {
			return rw
		}
	}
	rw := &reward{id: newULID(now), broadcaster: broadcaster, title: "Song Request", description: "Request a song by providing a URL",
		cost: 500, color: "#00e701", enabled: true, inputRequired: true}
	st.rewards[rw.id] = rw
	st.rewardOrder = append(st.rewardOrder, rw.id)
	return rw
}

// specExample returns the example of the payload schema of event type typ in the spec, its
// "broadcaster" (when it has one) replaced by broadcaster.
func specExample(typ kick.EventType, broadcaster webhook.User) (map[string]any, error) {
	sp, err := loadSpec()
	if err != nil {
		return nil, err
	}
	for name, s := range sp.doc.Components.Schemas {
		if s.Value == nil || (s.Value.Extensions["x-kick-event"] != string(typ) && s.Value.Extensions["x-kick-webhook"] != string(typ)) {
			continue
		}
		example, ok := s.Value.Example.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("kicktest: SamplePayload: the payload schema %s of %q has no example", name, typ)
		}
		out := make(map[string]any, len(example))
		for k, v := range example {
			out[k] = v
		}
		if _, ok := out["broadcaster"].(map[string]any); ok {
			out["broadcaster"] = broadcaster
		}
		return out, nil
	}
	return nil, fmt.Errorf("kicktest: SamplePayload: no sample of event type %q", typ)
}
