package webhook

import (
	"encoding/json"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// Event is a decoded webhook payload: one of the event types of this package (*ChatMessageSent,
// *ChannelFollowed, ..., *KicksGifted), a *DropsClaim, or an *UnknownEvent for a type or version
// this package does not know. The set is closed: switch on the concrete type.
type Event interface {
	// EventType returns the event type, such as kicktypes.EventChatMessageSent (which is
	// kick.EventChatMessageSent).
	EventType() kicktypes.EventType
	// EventVersion returns the payload version, such as 1; 0 for a Drops claim, which has none.
	EventVersion() int

	isEvent()
}

// User is a Kick user as most events carry it. Kick's schema: EventUser (and EventGifter, the
// same properties, for a gifter).
type User struct {
	// IsAnonymous is true for an anonymous gifter, whose other fields are then zero (Kick sends
	// them as null).
	IsAnonymous bool `json:"is_anonymous"`
	// UserID is the user's id.
	UserID int64 `json:"user_id"`
	// Username is the user's name.
	Username string `json:"username"`
	// IsVerified reports a verified user.
	IsVerified bool `json:"is_verified"`
	// ProfilePicture is the URL of the user's picture; may be empty.
	ProfilePicture string `json:"profile_picture"`
	// ChannelSlug is the user's channel in URLs: kick.com/<slug>.
	ChannelSlug string `json:"channel_slug"`
	// Identity is how the user appears in chat; nil when Kick sends none, as for broadcasters and
	// the sender of a replied-to message.
	Identity *Identity `json:"identity"`
}

// UserSummary is the compact user of kicks.gifted and channel.reward.redemption.updated, which
// carry no is_anonymous and no identity. Kick's schema: EventUserSummary.
type UserSummary struct {
	// UserID is the user's id.
	UserID int64 `json:"user_id"`
	// Username is the user's name.
	Username string `json:"username"`
	// IsVerified reports a verified user.
	IsVerified bool `json:"is_verified"`
	// ProfilePicture is the URL of the user's picture; may be empty.
	ProfilePicture string `json:"profile_picture"`
	// ChannelSlug is the user's channel in URLs: kick.com/<slug>.
	ChannelSlug string `json:"channel_slug"`
}

// Identity is how a user appears in chat. Kick's schema: Identity.
type Identity struct {
	// UsernameColor is the color of the user's name, such as "#FF5733".
	UsernameColor string `json:"username_color"`
	// Badges are the user's chat badges.
	Badges []Badge `json:"badges"`
}

// Badge is a chat badge. Kick's schema: Badge.
type Badge struct {
	// Text is the label, such as "Subscriber".
	Text string `json:"text"`
	// Type is the kind, such as "moderator", "sub_gifter" or "subscriber".
	Type string `json:"type"`
	// Count is the number of a counting badge (months subscribed, subscriptions gifted); zero for
	// badges without one.
	Count int `json:"count,omitempty"`
}

// Emote is an emote in a chat message. It appears in the content as [emote:<id>:<name>]. Kick's
// schema: Emote.
type Emote struct {
	// ID is the emote id. Kick's docs send it as a string; a JSON number is accepted too.
	ID string `json:"emote_id"`
	// Positions are where the emote appears in the content.
	Positions []EmotePosition `json:"positions"`
}

// EmotePosition is where an emote's [emote:<id>:<name>] text sits in a message's content. Kick's
// schema: EmotePosition.
type EmotePosition struct {
	// Start is the offset of the text's first character.
	Start int `json:"s"`
	// End is the offset of the text's last character (inclusive).
	End int `json:"e"`
}

// ChatMessageReply is the message a chat message replies to. Kick's schema: ChatMessageReply.
type ChatMessageReply struct {
	// MessageID is the replied-to chat message's id.
	MessageID string `json:"message_id"`
	// Content is the replied-to message's text.
	Content string `json:"content"`
	// Sender sent the replied-to message; Kick sends no Identity for it.
	Sender User `json:"sender"`
}

// ChatMessageSent is the chat.message.sent event: a message was sent in a stream's chat.
// Kick's schema: ChatMessageSentEvent.
type ChatMessageSent struct {
	// MessageID is the chat message's id (a UUID), which chat replies and deletions refer to. It
	// is not the delivery's message id.
	MessageID string `json:"message_id"`
	// RepliesTo is the message this one replies to; nil when it is no reply.
	RepliesTo *ChatMessageReply `json:"replies_to,omitempty"`
	// Broadcaster owns the chat.
	Broadcaster User `json:"broadcaster"`
	// Sender sent the message.
	Sender User `json:"sender"`
	// Content is the message text, with emotes inline as [emote:<id>:<name>].
	Content string `json:"content"`
	// Emotes are the emotes in Content; nil or empty when there are none.
	Emotes []Emote `json:"emotes"`
	// CreatedAt is when the message was sent; zero in deliveries from before 2025-07-22, and then
	// left out of the JSON.
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// ChannelFollowed is the channel.followed event: a user followed a channel. It carries no time:
// use the delivery's Timestamp.
// Kick's schema: ChannelFollowedEvent.
type ChannelFollowed struct {
	// Broadcaster owns the followed channel.
	Broadcaster User `json:"broadcaster"`
	// Follower followed it.
	Follower User `json:"follower"`
}

// ChannelSubscriptionRenewal is the channel.subscription.renewal event: a subscription was renewed.
// Kick's schema: ChannelSubscriptionRenewalEvent.
type ChannelSubscriptionRenewal struct {
	// Broadcaster owns the channel.
	Broadcaster User `json:"broadcaster"`
	// Subscriber renewed the subscription.
	Subscriber User `json:"subscriber"`
	// Months is the number of months subscribed (Kick's "duration").
	Months int `json:"duration"`
	// CreatedAt is when the subscription was renewed.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when it runs out.
	ExpiresAt time.Time `json:"expires_at"`
}

// ChannelSubscriptionGifts is the channel.subscription.gifts event: a user gifted subscriptions.
// Kick's schema: ChannelSubscriptionGiftsEvent.
type ChannelSubscriptionGifts struct {
	// Broadcaster owns the channel.
	Broadcaster User `json:"broadcaster"`
	// Gifter gave the subscriptions; when Gifter.IsAnonymous, its other fields are zero.
	Gifter User `json:"gifter"`
	// Giftees received them.
	Giftees []User `json:"giftees"`
	// CreatedAt is when the subscriptions were gifted.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when they run out.
	ExpiresAt time.Time `json:"expires_at"`
}

// ChannelSubscriptionNew is the channel.subscription.new event: a user subscribed to a channel for
// the first time.
// Kick's schema: ChannelSubscriptionNewEvent.
type ChannelSubscriptionNew struct {
	// Broadcaster owns the channel.
	Broadcaster User `json:"broadcaster"`
	// Subscriber subscribed.
	Subscriber User `json:"subscriber"`
	// Months is the number of months subscribed (Kick's "duration").
	Months int `json:"duration"`
	// CreatedAt is when the subscription started.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when it runs out.
	ExpiresAt time.Time `json:"expires_at"`
}

// RewardSummary is the reward of a redemption event: the reward's id, title, cost and
// description, without its settings (kick.Reward has them all). Kick's schema:
// RedemptionEventReward.
type RewardSummary struct {
	// ID is the reward's id, a ULID.
	ID string `json:"id"`
	// Title is the reward's name.
	Title string `json:"title"`
	// Cost is the reward's price in channel points.
	Cost int64 `json:"cost"`
	// Description is the reward's description.
	Description string `json:"description"`
}

// ChannelRewardRedemptionUpdated is the channel.reward.redemption.updated event: a channel reward
// was redeemed, or a redemption's status changed.
// Kick's schema: ChannelRewardRedemptionUpdatedEvent.
type ChannelRewardRedemptionUpdated struct {
	// ID is the redemption's id, a ULID.
	ID string `json:"id"`
	// UserInput is what the redeemer typed, for rewards that ask for input.
	UserInput string `json:"user_input"`
	// Status is pending, accepted or rejected.
	Status kicktypes.RedemptionStatus `json:"status"`
	// RedeemedAt is when the reward was redeemed.
	RedeemedAt time.Time `json:"redeemed_at"`
	// Reward is the redeemed reward.
	Reward RewardSummary `json:"reward"`
	// Redeemer redeemed it.
	Redeemer UserSummary `json:"redeemer"`
	// Broadcaster owns the channel.
	Broadcaster UserSummary `json:"broadcaster"`
}

// LivestreamStatusUpdated is the livestream.status.updated event: a stream started or ended.
// Kick's schema: LivestreamStatusUpdatedEvent.
type LivestreamStatusUpdated struct {
	// Broadcaster owns the stream.
	Broadcaster User `json:"broadcaster"`
	// IsLive is true when the stream started, false when it ended.
	IsLive bool `json:"is_live"`
	// Title is the stream's title.
	Title string `json:"title"`
	// StartedAt is when the stream started.
	StartedAt time.Time `json:"started_at"`
	// EndedAt is when the stream ended; the zero time while it is live (Kick sends null, and so
	// does MarshalJSON).
	EndedAt time.Time `json:"ended_at"`
}

// MarshalJSON writes the event as Kick sends it: ended_at is null while the stream is live.
func (e LivestreamStatusUpdated) MarshalJSON() ([]byte, error) {
	type plain LivestreamStatusUpdated
	return json.Marshal(struct {
		plain
		EndedAt *time.Time `json:"ended_at"`
	}{plain(e), nullTime(e.EndedAt)})
}

// LivestreamMetadata is a stream's metadata after a change. Kick's schema: LivestreamMetadata.
type LivestreamMetadata struct {
	// Title is the stream's title.
	Title string `json:"title"`
	// Language is the stream's language, such as "en".
	Language string `json:"language"`
	// HasMatureContent reports a stream marked for mature audiences.
	HasMatureContent bool `json:"has_mature_content"`
	// Category is the stream's category. Kick has sent it under a capitalised "Category" key
	// instead of "category"; either is read, "category" first.
	Category kicktypes.CategorySummary `json:"category"`
}

// LivestreamMetadataUpdated is the livestream.metadata.updated event: a stream's title, category,
// language or mature flag changed.
// Kick's schema: LivestreamMetadataUpdatedEvent.
type LivestreamMetadataUpdated struct {
	// Broadcaster owns the stream.
	Broadcaster User `json:"broadcaster"`
	// Metadata is the stream's metadata after the change.
	Metadata LivestreamMetadata `json:"metadata"`
}

// BanMetadata is the detail of a ban or timeout. Kick's schema: BanMetadata.
type BanMetadata struct {
	// Reason is the moderator's reason.
	Reason string `json:"reason"`
	// CreatedAt is when the user was banned.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when a timeout ends; the zero time for a permanent ban (Kick sends null, and so
	// does MarshalJSON).
	ExpiresAt time.Time `json:"expires_at"`
}

// MarshalJSON writes the metadata as Kick sends it: expires_at is null for a permanent ban.
func (m BanMetadata) MarshalJSON() ([]byte, error) {
	type plain BanMetadata
	return json.Marshal(struct {
		plain
		ExpiresAt *time.Time `json:"expires_at"`
	}{plain(m), nullTime(m.ExpiresAt)})
}

// nullTime is nil for the zero time, which Kick sends as null, and &t otherwise.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// ModerationBanned is the moderation.banned event: a user was banned or timed out.
// Kick's schema: ModerationBannedEvent.
type ModerationBanned struct {
	// Broadcaster owns the channel.
	Broadcaster User `json:"broadcaster"`
	// Moderator banned the user.
	Moderator User `json:"moderator"`
	// BannedUser was banned.
	BannedUser User `json:"banned_user"`
	// Metadata is the ban's reason and duration.
	Metadata BanMetadata `json:"metadata"`
}

// KicksGift is a gift of KICKs. Kick's schema: KicksGift.
type KicksGift struct {
	// Amount is the number of KICKs.
	Amount int64 `json:"amount"`
	// Name is the gift's name, such as "Rage Quit".
	Name string `json:"name"`
	// Type is the gift's kind, such as "LEVEL_UP".
	Type string `json:"type"`
	// Tier is the gift's tier, such as "MID".
	Tier string `json:"tier"`
	// Message is the sender's message.
	Message string `json:"message"`
	// PinnedTime is how long the gift stays pinned in chat, in whole seconds (Kick's
	// pinned_time_seconds, sent since 2025-11-27; zero before).
	PinnedTime time.Duration `json:"pinned_time_seconds"`
}

// MarshalJSON writes the gift as Kick sends it, PinnedTime in whole seconds.
func (g KicksGift) MarshalJSON() ([]byte, error) {
	type plain KicksGift
	return json.Marshal(struct {
		plain
		PinnedTimeSeconds int64 `json:"pinned_time_seconds"`
	}{plain(g), int64(g.PinnedTime / time.Second)})
}

// UnmarshalJSON reads a gift as Kick sends it, pinned_time_seconds into PinnedTime.
func (g *KicksGift) UnmarshalJSON(b []byte) error {
	type plain KicksGift
	var aux struct {
		*plain
		PinnedTimeSeconds int64 `json:"pinned_time_seconds"`
	}
	aux.plain = (*plain)(g)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	g.PinnedTime = secondsDuration(aux.PinnedTimeSeconds)
	return nil
}

// secondsDuration is n seconds, clamped to what a time.Duration holds; 0 for a negative n.
func secondsDuration(n int64) time.Duration {
	const most = int64(1<<63-1) / int64(time.Second)
	switch {
	case n <= 0:
		return 0
	case n > most:
		return time.Duration(most) * time.Second
	}
	return time.Duration(n) * time.Second
}

// KicksGifted is the kicks.gifted event: a user gifted KICKs to a channel.
// Kick's schema: KicksGiftedEvent.
type KicksGifted struct {
	// Broadcaster owns the channel.
	Broadcaster UserSummary `json:"broadcaster"`
	// Sender gifted the KICKs.
	Sender UserSummary `json:"sender"`
	// Gift is what was gifted.
	Gift KicksGift `json:"gift"`
	// CreatedAt is when it was gifted.
	CreatedAt time.Time `json:"created_at"`
}

// DropsClaim is the Drops claim webhook of an organization: a viewer claimed a Drops reward. Kick
// expects 200 OK for it, also for a ClaimID already processed. It is the claim as it is made:
// kick.DropsClaim, as Drops.ListClaims lists it later, adds its status and times. Kick's schema:
// DropsClaimEvent.
type DropsClaim struct {
	// ClaimID is the claim's id, a ULID, and its idempotency key.
	ClaimID string `json:"claim_id"`
	// UserID is the viewer who claimed.
	UserID int64 `json:"user_id"`
	// CampaignID is the Drops campaign's id, a ULID.
	CampaignID string `json:"campaign_id"`
	// RewardID is the reward's id, a ULID.
	RewardID string `json:"reward_id"`
	// ExternalID is the reward's external reference, when the organization set one.
	ExternalID string `json:"external_id,omitempty"`
}

// UnknownEvent is a delivery this package has no type for: a new event type, a new version of a
// known one, or a known one whose payload did not decode (Err says why). Nothing is lost: Raw is
// the verified body. It marshals as {"type", "version", "raw" (base64), "error" (Err's message)}.
type UnknownEvent struct {
	// Type is the delivery's Kick-Event-Type.
	Type kicktypes.EventType `json:"type"`
	// Version is the delivery's Kick-Event-Version; 0 when it is not a decimal number.
	Version int `json:"version"`
	// Raw is the delivery's body.
	Raw []byte `json:"raw"`
	// Err is why a known type and version did not decode (it matches ErrDecode); nil for a type or
	// version this package does not know.
	Err error `json:"-"`
}

// MarshalJSON writes the event with Err as its message.
func (e UnknownEvent) MarshalJSON() ([]byte, error) {
	type plain UnknownEvent
	var msg string
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return json.Marshal(struct {
		plain
		Error string `json:"error,omitempty"`
	}{plain(e), msg})
}

// UnmarshalJSON reads the event as MarshalJSON writes it; a non-empty "error" becomes an Err with
// that message, matching ErrDecode.
func (e *UnknownEvent) UnmarshalJSON(b []byte) error {
	type plain UnknownEvent
	var aux struct {
		*plain
		Error string `json:"error"`
	}
	aux.plain = (*plain)(e)
	e.Err = nil
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.Error != "" {
		e.Err = decodeError(aux.Error)
	}
	return nil
}

// decodeError is a decoding error read back from JSON: its message, matching ErrDecode.
type decodeError string

func (e decodeError) Error() string { return string(e) }
func (e decodeError) Unwrap() error { return ErrDecode }

// EventType returns e.Type.
func (e *UnknownEvent) EventType() kicktypes.EventType { return e.Type }

// EventVersion returns e.Version.
func (e *UnknownEvent) EventVersion() int { return e.Version }

func (*UnknownEvent) isEvent() {}
