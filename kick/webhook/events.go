package webhook

import (
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// Event is a decoded webhook payload: one of the event types of this package (*ChatMessageSent,
// *ChannelFollowed, ..., *KicksGifted), a *DropsClaim, or an *UnknownEvent for a type or version
// this package does not know. The set is closed: switch on the concrete type.
type Event interface {
	// EventType returns the event type, such as kick.EventChatMessageSent.
	EventType() kick.EventType
	// EventVersion returns the payload version, such as "1".
	EventVersion() string

	isEvent()
}

// User is a Kick user as most events carry it.
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
// carry no is_anonymous and no identity.
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

// Identity is how a user appears in chat.
type Identity struct {
	// UsernameColor is the color of the user's name, such as "#FF5733".
	UsernameColor string `json:"username_color"`
	// Badges are the user's chat badges.
	Badges []Badge `json:"badges"`
}

// Badge is a chat badge.
type Badge struct {
	// Text is the label, such as "Subscriber".
	Text string `json:"text"`
	// Type is the kind, such as "moderator", "sub_gifter" or "subscriber".
	Type string `json:"type"`
	// Count is the number of a counting badge (months subscribed, subscriptions gifted); zero for
	// badges without one.
	Count int `json:"count,omitempty"`
}

// Emote is an emote in a chat message. It appears in the content as [emote:<id>:<name>].
type Emote struct {
	// ID is the emote id. Kick's docs send it as a string; a JSON number is accepted too.
	ID string `json:"emote_id"`
	// Positions are where the emote appears in the content.
	Positions []EmotePosition `json:"positions"`
}

// EmotePosition is where an emote's [emote:<id>:<name>] text sits in a message's content.
type EmotePosition struct {
	// Start is the offset of the text's first character.
	Start int `json:"s"`
	// End is the offset of the text's last character (inclusive).
	End int `json:"e"`
}

// ChatMessageReply is the message a chat message replies to.
type ChatMessageReply struct {
	// MessageID is the replied-to chat message's id.
	MessageID string `json:"message_id"`
	// Content is the replied-to message's text.
	Content string `json:"content"`
	// Sender sent the replied-to message; Kick sends no Identity for it.
	Sender User `json:"sender"`
}

// ChatMessageSent is the chat.message.sent event: a message was sent in a stream's chat.
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
	// CreatedAt is when the message was sent; zero in deliveries from before 2025-07-22.
	CreatedAt time.Time `json:"created_at"`
}

// ChannelFollowed is the channel.followed event: a user followed a channel. It carries no time:
// use the delivery's Timestamp.
type ChannelFollowed struct {
	// Broadcaster owns the followed channel.
	Broadcaster User `json:"broadcaster"`
	// Follower followed it.
	Follower User `json:"follower"`
}

// ChannelSubscriptionRenewal is the channel.subscription.renewal event: a subscription was renewed.
type ChannelSubscriptionRenewal struct {
	// Broadcaster owns the channel.
	Broadcaster User `json:"broadcaster"`
	// Subscriber renewed the subscription.
	Subscriber User `json:"subscriber"`
	// Duration is the number of months subscribed.
	Duration int `json:"duration"`
	// CreatedAt is when the subscription was renewed.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when it runs out.
	ExpiresAt time.Time `json:"expires_at"`
}

// ChannelSubscriptionGifts is the channel.subscription.gifts event: a user gifted subscriptions.
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
type ChannelSubscriptionNew struct {
	// Broadcaster owns the channel.
	Broadcaster User `json:"broadcaster"`
	// Subscriber subscribed.
	Subscriber User `json:"subscriber"`
	// Duration is the number of months subscribed.
	Duration int `json:"duration"`
	// CreatedAt is when the subscription started.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when it runs out.
	ExpiresAt time.Time `json:"expires_at"`
}

// RedemptionReward is the reward of a redemption event.
type RedemptionReward struct {
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
type ChannelRewardRedemptionUpdated struct {
	// ID is the redemption's id, a ULID.
	ID string `json:"id"`
	// UserInput is what the redeemer typed, for rewards that ask for input.
	UserInput string `json:"user_input"`
	// Status is pending, accepted or rejected.
	Status kick.RedemptionStatus `json:"status"`
	// RedeemedAt is when the reward was redeemed.
	RedeemedAt time.Time `json:"redeemed_at"`
	// Reward is the redeemed reward.
	Reward RedemptionReward `json:"reward"`
	// Redeemer redeemed it.
	Redeemer UserSummary `json:"redeemer"`
	// Broadcaster owns the channel.
	Broadcaster UserSummary `json:"broadcaster"`
}

// LivestreamStatusUpdated is the livestream.status.updated event: a stream started or ended.
type LivestreamStatusUpdated struct {
	// Broadcaster owns the stream.
	Broadcaster User `json:"broadcaster"`
	// IsLive is true when the stream started, false when it ended.
	IsLive bool `json:"is_live"`
	// Title is the stream's title.
	Title string `json:"title"`
	// StartedAt is when the stream started.
	StartedAt time.Time `json:"started_at"`
	// EndedAt is when the stream ended; nil while it is live.
	EndedAt *time.Time `json:"ended_at"`
}

// Category is a stream category as livestream metadata carries it.
type Category struct {
	// ID is the category's id.
	ID int64 `json:"id"`
	// Name is the category's name, such as "Just Chatting".
	Name string `json:"name"`
	// Thumbnail is the URL of the category's image.
	Thumbnail string `json:"thumbnail"`
}

// LivestreamMetadata is a stream's metadata after a change.
type LivestreamMetadata struct {
	// Title is the stream's title.
	Title string `json:"title"`
	// Language is the stream's language, such as "en".
	Language string `json:"language"`
	// HasMatureContent reports a stream marked for mature audiences.
	HasMatureContent bool `json:"has_mature_content"`
	// Category is the stream's category. Kick has sent it under a capitalised "Category" key
	// instead of "category"; either is read, "category" first.
	Category Category `json:"category"`
}

// LivestreamMetadataUpdated is the livestream.metadata.updated event: a stream's title, category,
// language or mature flag changed.
type LivestreamMetadataUpdated struct {
	// Broadcaster owns the stream.
	Broadcaster User `json:"broadcaster"`
	// Metadata is the stream's metadata after the change.
	Metadata LivestreamMetadata `json:"metadata"`
}

// BanMetadata is the detail of a ban or timeout.
type BanMetadata struct {
	// Reason is the moderator's reason.
	Reason string `json:"reason"`
	// CreatedAt is when the user was banned.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when a timeout ends; nil for a permanent ban.
	ExpiresAt *time.Time `json:"expires_at"`
}

// ModerationBanned is the moderation.banned event: a user was banned or timed out.
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

// KicksGift is a gift of KICKs.
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
	// PinnedTimeSeconds is how long the gift stays pinned in chat, in seconds (since 2025-11-27).
	PinnedTimeSeconds int64 `json:"pinned_time_seconds"`
}

// KicksGifted is the kicks.gifted event: a user gifted KICKs to a channel.
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
// expects 200 OK for it, also for a ClaimID already processed.
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
// the verified body.
type UnknownEvent struct {
	// Type is the delivery's Kick-Event-Type.
	Type kick.EventType
	// Version is the delivery's Kick-Event-Version.
	Version string
	// Raw is the delivery's body.
	Raw []byte
	// Err is why a known type and version did not decode (it matches ErrDecode); nil for a type or
	// version this package does not know.
	Err error
}

// EventType returns kick.EventChatMessageSent.
func (*ChatMessageSent) EventType() kick.EventType { return kick.EventChatMessageSent }

// EventVersion returns "1".
func (*ChatMessageSent) EventVersion() string { return "1" }

func (*ChatMessageSent) isEvent() {}

// EventType returns kick.EventChannelFollowed.
func (*ChannelFollowed) EventType() kick.EventType { return kick.EventChannelFollowed }

// EventVersion returns "1".
func (*ChannelFollowed) EventVersion() string { return "1" }

func (*ChannelFollowed) isEvent() {}

// EventType returns kick.EventChannelSubscriptionRenewal.
func (*ChannelSubscriptionRenewal) EventType() kick.EventType {
	return kick.EventChannelSubscriptionRenewal
}

// EventVersion returns "1".
func (*ChannelSubscriptionRenewal) EventVersion() string { return "1" }

func (*ChannelSubscriptionRenewal) isEvent() {}

// EventType returns kick.EventChannelSubscriptionGifts.
func (*ChannelSubscriptionGifts) EventType() kick.EventType {
	return kick.EventChannelSubscriptionGifts
}

// EventVersion returns "1".
func (*ChannelSubscriptionGifts) EventVersion() string { return "1" }

func (*ChannelSubscriptionGifts) isEvent() {}

// EventType returns kick.EventChannelSubscriptionNew.
func (*ChannelSubscriptionNew) EventType() kick.EventType { return kick.EventChannelSubscriptionNew }

// EventVersion returns "1".
func (*ChannelSubscriptionNew) EventVersion() string { return "1" }

func (*ChannelSubscriptionNew) isEvent() {}

// EventType returns kick.EventChannelRewardRedemptionUpdated.
func (*ChannelRewardRedemptionUpdated) EventType() kick.EventType {
	return kick.EventChannelRewardRedemptionUpdated
}

// EventVersion returns "1".
func (*ChannelRewardRedemptionUpdated) EventVersion() string { return "1" }

func (*ChannelRewardRedemptionUpdated) isEvent() {}

// EventType returns kick.EventLivestreamStatusUpdated.
func (*LivestreamStatusUpdated) EventType() kick.EventType { return kick.EventLivestreamStatusUpdated }

// EventVersion returns "1".
func (*LivestreamStatusUpdated) EventVersion() string { return "1" }

func (*LivestreamStatusUpdated) isEvent() {}

// EventType returns kick.EventLivestreamMetadataUpdated.
func (*LivestreamMetadataUpdated) EventType() kick.EventType {
	return kick.EventLivestreamMetadataUpdated
}

// EventVersion returns "1".
func (*LivestreamMetadataUpdated) EventVersion() string { return "1" }

func (*LivestreamMetadataUpdated) isEvent() {}

// EventType returns kick.EventModerationBanned.
func (*ModerationBanned) EventType() kick.EventType { return kick.EventModerationBanned }

// EventVersion returns "1".
func (*ModerationBanned) EventVersion() string { return "1" }

func (*ModerationBanned) isEvent() {}

// EventType returns kick.EventKicksGifted.
func (*KicksGifted) EventType() kick.EventType { return kick.EventKicksGifted }

// EventVersion returns "1".
func (*KicksGifted) EventVersion() string { return "1" }

func (*KicksGifted) isEvent() {}

// EventType returns EventDropsClaim.
func (*DropsClaim) EventType() kick.EventType { return EventDropsClaim }

// EventVersion returns "": Drops claims carry no version.
func (*DropsClaim) EventVersion() string { return "" }

func (*DropsClaim) isEvent() {}

// EventType returns e.Type.
func (e *UnknownEvent) EventType() kick.EventType { return e.Type }

// EventVersion returns e.Version.
func (e *UnknownEvent) EventVersion() string { return e.Version }

func (*UnknownEvent) isEvent() {}
