package kick

import "github.com/kick-sdk/kick-go/kick/kicktypes"

// Scope is an OAuth scope a user grants to an app.
type Scope string

// The scopes of Kick's OAuth server.
const (
	// ScopeUserRead: view user information, including username and streamer id.
	ScopeUserRead Scope = "user:read"
	// ScopeChannelRead: view channel information, including description and category.
	ScopeChannelRead Scope = "channel:read"
	// ScopeChannelWrite: update livestream metadata of the user's channel.
	ScopeChannelWrite Scope = "channel:write"
	// ScopeChannelRewardsRead: read the channel's channel-point rewards.
	ScopeChannelRewardsRead Scope = "channel:rewards:read"
	// ScopeChannelRewardsWrite: read, add, edit and delete the channel's channel-point rewards.
	ScopeChannelRewardsWrite Scope = "channel:rewards:write"
	// ScopeChatWrite: send chat messages and let chat bots post in the user's chat.
	ScopeChatWrite Scope = "chat:write"
	// ScopeStreamKeyRead: read the user's stream URL and stream key.
	ScopeStreamKeyRead Scope = "streamkey:read"
	// ScopeEventsSubscribe: subscribe to the channel's events (chat messages, follows, subscriptions).
	ScopeEventsSubscribe Scope = "events:subscribe"
	// ScopeModerationBan: ban and unban users.
	ScopeModerationBan Scope = "moderation:ban"
	// ScopeModerationChatMessageManage: moderate chat messages (delete them).
	ScopeModerationChatMessageManage Scope = "moderation:chat_message:manage"
	// ScopeKicksRead: view KICKs information such as leaderboards.
	ScopeKicksRead Scope = "kicks:read"
	// ScopeAdsRead: read the ad state of the user's channel (listed by Kick since 2026-08; the Ads
	// API is inferred, see AdsService).
	ScopeAdsRead Scope = "ads:read"
	// ScopeAdsWrite: start ad breaks and enroll the user's channel in ads (listed by Kick since
	// 2026-08; the Ads API is inferred, see AdsService).
	ScopeAdsWrite Scope = "ads:write"
)

// AllScopes lists every scope, in the order of Kick's docs.
var AllScopes = []Scope{
	ScopeUserRead, ScopeChannelRead, ScopeChannelWrite, ScopeChannelRewardsRead, ScopeChannelRewardsWrite,
	ScopeChatWrite, ScopeStreamKeyRead, ScopeEventsSubscribe, ScopeModerationBan,
	ScopeModerationChatMessageManage, ScopeKicksRead, ScopeAdsRead, ScopeAdsWrite,
}

// EventType is the type of a webhook event, as subscribed to and as sent in the Kick-Event-Type
// header. It is kicktypes.EventType, which package webhook uses too.
type EventType = kicktypes.EventType

// LivestreamSort orders the results of the deprecated v1 livestreams list.
type LivestreamSort string

// The v1 livestream orders.
const (
	LivestreamSortViewerCount LivestreamSort = "viewer_count"
	LivestreamSortStartedAt   LivestreamSort = "started_at"
)

// RedemptionStatus is the status of a reward redemption. It is kicktypes.RedemptionStatus, which
// package webhook uses too.
type RedemptionStatus = kicktypes.RedemptionStatus

// The redemption statuses.
const (
	RedemptionPending  = kicktypes.RedemptionPending
	RedemptionAccepted = kicktypes.RedemptionAccepted
	RedemptionRejected = kicktypes.RedemptionRejected
)

// ChatMessageType says who sends a chat message.
type ChatMessageType string

// The chat message senders.
const (
	// ChatMessageUser sends as the token's user, to the channel of BroadcasterUserID.
	ChatMessageUser ChatMessageType = "user"
	// ChatMessageBot sends as the app's bot, always to the channel of the token's user.
	ChatMessageBot ChatMessageType = "bot"
)
