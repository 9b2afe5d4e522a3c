package kick_test

import (
	"context"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// operation is one method call with valid input that sends exactly one request of the Kick
// operation id. Its result is returned as any, so that a test can check that a call without an
// error returned something.
type operation struct {
	name string // the method
	id   string // the operation id
	call func(ctx context.Context, c *kick.Client) (any, error)
}

// ulid is a valid ULID (reward, redemption, claim and subscription ids).
const ulid = "01KBQVW2KVQNX4Y6RN800Y9K4N"

// operations calls every Kick operation, some of them through several methods. The client needs a
// user token and an app token.
var operations = []operation{
	{"Ads.StartBreak", "startAdBreak", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Ads.StartBreak(ctx, kick.AdBreakParams{Duration: 30 * time.Second})
	}},
	{"Ads.Status", "getAdBreakStatus", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Ads.Status(ctx)
	}},
	{"Ads.Enroll", "enrollAds", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Ads.Enroll(ctx)
	}},
	{"Categories.List", "listCategories", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Categories.List(ctx, kick.CategoryListParams{Names: []string{"Rust"}})
	}},
	{"Categories.SearchV1", "searchCategoriesV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Categories.SearchV1(ctx, "counter", 1) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	{"Categories.GetV1", "getCategoryV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Categories.GetV1(ctx, 15) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	{"Channels.Get", "getChannels", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Channels.Get(ctx, []int64{24871935})
	}},
	{"Channels.Me", "getChannels", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Channels.Me(ctx)
	}},
	{"Channels.Update", "updateChannel", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Channels.Update(ctx, kick.ChannelUpdate{StreamTitle: kick.Ptr("variety")})
	}},
	{"Chat.Send", "sendChatMessage", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Chat.Send(ctx, kick.ChatMessage{Type: kick.ChatMessageBot, Content: "hello"})
	}},
	{"Chat.Delete", "deleteChatMessage", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Chat.Delete(ctx, "9ec70d6a-256c-4646-86c1-271e080d1d5c")
	}},
	{"Drops.ListClaims", "listDropsClaims", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Drops.ListClaims(ctx, kick.DropsClaimListParams{Limit: 2})
	}},
	{"Drops.UpdateClaims", "updateDropsClaims", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Drops.UpdateClaims(ctx, []kick.DropsClaimUpdate{{ClaimID: ulid, ExternalStatus: "processed"}})
	}},
	{"Events.List", "listEventSubscriptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Events.List(ctx, kick.EventListParams{})
	}},
	{"Events.Subscribe", "createEventSubscriptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Events.Subscribe(ctx, kick.SubscribeParams{Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}}})
	}},
	{"Events.Unsubscribe", "deleteEventSubscriptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Events.Unsubscribe(ctx, []string{ulid})
	}},
	{"Kicks.Leaderboard", "getKicksLeaderboard", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Kicks.Leaderboard(ctx, 3)
	}},
	{"Livestreams.List", "listLivestreams", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.List(ctx, kick.LivestreamListParams{Languages: []string{"en"}})
	}},
	{"Livestreams.ListV1", "getLivestreamsV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.ListV1(ctx, kick.LivestreamV1Params{CategoryID: 12}) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	{"Livestreams.Stats", "getLivestreamStats", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.Stats(ctx)
	}},
	{"Livestreams.GetByUsers", "getUsersLivestreams", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Livestreams.GetByUsers(ctx, []int64{24871935})
	}},
	{"Moderation.Ban", "banUser", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Moderation.Ban(ctx, kick.BanParams{BroadcasterUserID: 1, UserID: 2, Duration: 5 * time.Minute})
	}},
	{"Moderation.Unban", "unbanUser", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Moderation.Unban(ctx, 1, 2)
	}},
	{"PublicKey.Get", "getPublicKey", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.PublicKey.Get(ctx)
	}},
	{"Rewards.List", "listChannelRewards", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.List(ctx)
	}},
	{"Rewards.Create", "createChannelReward", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.Create(ctx, kick.RewardCreate{Title: "Next game", Cost: 5000})
	}},
	{"Rewards.Update", "updateChannelReward", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.Update(ctx, ulid, kick.RewardUpdate{IsPaused: kick.Ptr(true)})
	}},
	{"Rewards.Delete", "deleteChannelReward", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Rewards.Delete(ctx, ulid)
	}},
	{"Rewards.ListRedemptions", "listRewardRedemptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.ListRedemptions(ctx, kick.RedemptionListParams{RewardID: ulid})
	}},
	{"Rewards.AcceptRedemptions", "acceptRewardRedemptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.AcceptRedemptions(ctx, []string{ulid})
	}},
	{"Rewards.RejectRedemptions", "rejectRewardRedemptions", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Rewards.RejectRedemptions(ctx, []string{ulid})
	}},
	{"Tokens.Introspect", "introspectToken", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Tokens.Introspect(ctx)
	}},
	{"Tokens.IntrospectV1", "introspectTokenV1", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Tokens.IntrospectV1(ctx) //nolint:staticcheck // every operation, the deprecated ones too
	}},
	{"Tokens.Revoke", "revokeToken", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Tokens.Revoke(ctx, "token-to-revoke", kick.TokenHintAccessToken)
	}},
	{"Tokens.Request", "requestToken", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Tokens.Request(ctx, kick.TokenRequest{GrantType: kick.GrantClientCredentials, ClientID: "id", ClientSecret: "secret"})
	}},
	{"Users.Get", "getUsers", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Users.Get(ctx, []int64{1})
	}},
	{"Users.Me", "getUsers", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Users.Me(ctx)
	}},
}
