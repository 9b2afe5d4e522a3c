package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// The sample payloads of 'kick event trigger' have the shapes of the examples in Kick's webhook
// docs, fields in the docs' order, with the cast's users, fresh ids and the current time.

// person is a user of a sample event.
type person struct {
	id   int64
	name string
}

// cast are the users of a sample event: the broadcaster whose channel it happens in, a viewer
// (chatter, follower, subscriber, gifter, redeemer), a moderator and another viewer (giftee,
// banned user).
type cast struct {
	broadcaster, viewer, moderator, other person
}

type sUser struct {
	IsAnonymous    bool       `json:"is_anonymous"`
	UserID         int64      `json:"user_id"`
	Username       string     `json:"username"`
	IsVerified     bool       `json:"is_verified"`
	ProfilePicture string     `json:"profile_picture"`
	ChannelSlug    string     `json:"channel_slug"`
	Identity       *sIdentity `json:"identity"`
}

type sUserSummary struct {
	UserID         int64  `json:"user_id"`
	Username       string `json:"username"`
	IsVerified     bool   `json:"is_verified"`
	ProfilePicture string `json:"profile_picture"`
	ChannelSlug    string `json:"channel_slug"`
}

type sIdentity struct {
	UsernameColor string   `json:"username_color"`
	Badges        []sBadge `json:"badges"`
}

type sBadge struct {
	Text  string `json:"text"`
	Type  string `json:"type"`
	Count int    `json:"count,omitempty"`
}

func (p person) user(verified bool, identity *sIdentity) sUser {
	s := p.summary(verified)
	return sUser{UserID: s.UserID, Username: s.Username, IsVerified: s.IsVerified, ProfilePicture: s.ProfilePicture,
		ChannelSlug: s.ChannelSlug, Identity: identity}
}

func (p person) summary(verified bool) sUserSummary {
	return sUserSummary{
		UserID: p.id, Username: p.name, IsVerified: verified,
		ProfilePicture: fmt.Sprintf("https://files.kick.com/images/user/%d/profile_image/conversion/default-fullsize.webp", p.id),
		ChannelSlug:    strings.ToLower(strings.ReplaceAll(p.name, "_", "-")), // as Kick makes slugs
	}
}

// sampleTypes are the event types 'kick event trigger' has a sample of, Drops claims included.
func sampleTypes() []kick.EventType {
	return append(append([]kick.EventType(nil), kick.AllEventTypes...), webhook.EventDropsClaim)
}

// samplePayload returns a payload of typ with the users of c at time now.
func samplePayload(typ kick.EventType, c cast, now time.Time) ([]byte, error) {
	now = now.UTC().Truncate(time.Second)
	b := c.broadcaster.user(true, nil)
	chatter := &sIdentity{UsernameColor: "#FF5733", Badges: []sBadge{
		{Text: "Subscriber", Type: "subscriber", Count: 3},
		{Text: "Sub Gifter", Type: "sub_gifter", Count: 5},
	}}
	var v any
	switch typ {
	case kick.EventChatMessageSent:
		text, emote := "Hello from kick event trigger ", "[emote:37226:KEKW]"
		type position struct {
			S int `json:"s"`
			E int `json:"e"` // inclusive
		}
		type emoteRef struct {
			EmoteID   string     `json:"emote_id"`
			Positions []position `json:"positions"`
		}
		v = struct {
			MessageID   string     `json:"message_id"`
			Broadcaster sUser      `json:"broadcaster"`
			Sender      sUser      `json:"sender"`
			Content     string     `json:"content"`
			Emotes      []emoteRef `json:"emotes"`
			CreatedAt   string     `json:"created_at"`
		}{
			MessageID:   newUUID(),
			Broadcaster: b,
			Sender:      c.viewer.user(false, chatter),
			Content:     text + emote,
			Emotes:      []emoteRef{{"37226", []position{{len(text), len(text) + len(emote) - 1}}}},
			CreatedAt:   stamp(now),
		}
	case kick.EventChannelFollowed:
		v = struct {
			Broadcaster sUser `json:"broadcaster"`
			Follower    sUser `json:"follower"`
		}{b, c.viewer.user(false, nil)}
	case kick.EventChannelSubscriptionNew, kick.EventChannelSubscriptionRenewal:
		duration := 1
		if typ == kick.EventChannelSubscriptionRenewal {
			duration = 3
		}
		v = struct {
			Broadcaster sUser  `json:"broadcaster"`
			Subscriber  sUser  `json:"subscriber"`
			Duration    int    `json:"duration"`
			CreatedAt   string `json:"created_at"`
			ExpiresAt   string `json:"expires_at"`
		}{b, c.viewer.user(false, nil), duration, stamp(now), stamp(now.AddDate(0, 1, 0))}
	case kick.EventChannelSubscriptionGifts:
		v = struct {
			Broadcaster sUser   `json:"broadcaster"`
			Gifter      sUser   `json:"gifter"`
			Giftees     []sUser `json:"giftees"`
			CreatedAt   string  `json:"created_at"`
			ExpiresAt   string  `json:"expires_at"`
		}{b, c.viewer.user(false, nil), []sUser{c.other.user(false, nil), c.moderator.user(false, nil)},
			stamp(now), stamp(now.AddDate(0, 1, 0))}
	case kick.EventChannelRewardRedemptionUpdated:
		v = struct {
			ID          string       `json:"id"`
			UserInput   string       `json:"user_input"`
			Status      string       `json:"status"`
			RedeemedAt  string       `json:"redeemed_at"`
			Reward      any          `json:"reward"`
			Redeemer    sUserSummary `json:"redeemer"`
			Broadcaster sUserSummary `json:"broadcaster"`
		}{
			ID: webhooktest.NewMessageID(), UserInput: "play the next song", Status: string(kick.RedemptionAccepted),
			RedeemedAt: now.Add(-time.Minute).Format("2006-01-02T15:04:05.000Z07:00"),
			Reward: struct {
				ID          string `json:"id"`
				Title       string `json:"title"`
				Cost        int64  `json:"cost"`
				Description string `json:"description"`
			}{webhooktest.NewMessageID(), "Song request", 500, "Pick the next song"},
			Redeemer: c.viewer.summary(false), Broadcaster: c.broadcaster.summary(true),
		}
	case kick.EventLivestreamStatusUpdated:
		v = struct {
			Broadcaster sUser   `json:"broadcaster"`
			IsLive      bool    `json:"is_live"`
			Title       string  `json:"title"`
			StartedAt   string  `json:"started_at"`
			EndedAt     *string `json:"ended_at"`
		}{b, true, "Testing webhooks with kick-go", stamp(now), nil}
	case kick.EventLivestreamMetadataUpdated:
		v = struct {
			Broadcaster sUser `json:"broadcaster"`
			Metadata    any   `json:"metadata"`
		}{b, struct {
			Title            string `json:"title"`
			Language         string `json:"language"`
			HasMatureContent bool   `json:"has_mature_content"`
			Category         any    `json:"category"`
		}{"Testing webhooks with kick-go", "en", false, struct {
			ID        int64  `json:"id"`
			Name      string `json:"name"`
			Thumbnail string `json:"thumbnail"`
		}{15, "Just Chatting", "https://files.kick.com/images/subcategories/15/banner/conversion/default-fullsize.webp"}}}
	case kick.EventModerationBanned:
		v = struct {
			Broadcaster sUser `json:"broadcaster"`
			Moderator   sUser `json:"moderator"`
			BannedUser  sUser `json:"banned_user"`
			Metadata    any   `json:"metadata"`
		}{b, c.moderator.user(false, nil), c.other.user(false, nil), struct {
			Reason    string `json:"reason"`
			CreatedAt string `json:"created_at"`
			ExpiresAt string `json:"expires_at"`
		}{"spam", stamp(now), stamp(now.Add(10 * time.Minute))}}
	case kick.EventKicksGifted:
		v = struct {
			Broadcaster sUserSummary `json:"broadcaster"`
			Sender      sUserSummary `json:"sender"`
			Gift        any          `json:"gift"`
			CreatedAt   string       `json:"created_at"`
		}{c.broadcaster.summary(true), c.viewer.summary(false), struct {
			Amount            int64  `json:"amount"`
			Name              string `json:"name"`
			Type              string `json:"type"`
			Tier              string `json:"tier"`
			Message           string `json:"message"`
			PinnedTimeSeconds int64  `json:"pinned_time_seconds"`
		}{500, "Rage Quit", "LEVEL_UP", "MID", "gg", 600}, now.Format("2006-01-02T15:04:05.000Z07:00")}
	case webhook.EventDropsClaim:
		v = struct {
			ClaimID    string `json:"claim_id"`
			UserID     int64  `json:"user_id"`
			CampaignID string `json:"campaign_id"`
			RewardID   string `json:"reward_id"`
			ExternalID string `json:"external_id"`
		}{webhooktest.NewMessageID(), c.viewer.id, webhooktest.NewMessageID(), webhooktest.NewMessageID(), "sample_reward"}
	default:
		return nil, fmt.Errorf("no sample of event type %q", typ)
	}
	return json.MarshalIndent(v, "", "  ")
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

// newUUID returns a random (version 4) UUID, the form of Kick's chat message ids.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
