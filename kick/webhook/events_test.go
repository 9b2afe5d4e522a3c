package webhook_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"time"
)

// The users of the docs' examples.
var (
	docsBroadcaster = webhook.User{
		UserID: 123456789, Username: "broadcaster_name", IsVerified: true,
		ProfilePicture: "https://example.com/broadcaster_avatar.jpg", ChannelSlug: "broadcaster_channel",
	}
	docsSubscriber = webhook.User{
		UserID: 987654321, Username: "subscriber_name",
		ProfilePicture: "https://example.com/sender_avatar.jpg", ChannelSlug: "subscriber_channel",
	}
	docsGiftee = webhook.User{
		UserID: 561654654, Username: "giftee_name", IsVerified: true,
		ProfilePicture: "https://example.com/broadcaster_avatar.jpg", ChannelSlug: "giftee_channel",
	}
	docsModerator = webhook.User{
		UserID: 987654321, Username: "moderator_name",
		ProfilePicture: "https://example.com/moderator_avatar.jpg", ChannelSlug: "moderator_channel",
	}
	docsBannedUser = webhook.User{
		UserID: 135790135, Username: "banned_user_name",
		ProfilePicture: "https://example.com/banned_user_avatar.jpg", ChannelSlug: "banned_user_channel",
	}
)

// wantFixtures is what each payload of testdata/webhooks decodes into, written by hand from Kick's
// docs (docs/events/event-types.md and the Drops guide).
var wantFixtures = map[string]webhook.Event{
	"chat.message.sent.json": &webhook.ChatMessageSent{
		MessageID: "unique_message_id_123",
		RepliesTo: &webhook.ChatMessageReply{
			MessageID: "unique_message_id_456",
			Content:   "This is the parent message!",
			Sender: webhook.User{
				UserID: 12345, Username: "parent_sender_name",
				ProfilePicture: "https://example.com/parent_sender_avatar.jpg", ChannelSlug: "parent_sender_channel",
			},
		},
		Broadcaster: docsBroadcaster,
		Sender: webhook.User{
			UserID: 987654321, Username: "sender_name",
			ProfilePicture: "https://example.com/sender_avatar.jpg", ChannelSlug: "sender_channel",
			Identity: &webhook.Identity{
				UsernameColor: "#FF5733",
				Badges: []webhook.Badge{
					{Text: "Moderator", Type: "moderator"},
					{Text: "Sub Gifter", Type: "sub_gifter", Count: 5},
					{Text: "Subscriber", Type: "subscriber", Count: 3},
				},
			},
		},
		Content: "Hello [emote:4148074:HYPERCLAP] [emote:4148074:HYPERCLAP] [emote:37226:KEKW]",
		Emotes: []webhook.Emote{
			{ID: "4148074", Positions: []webhook.EmotePosition{{Start: 6, End: 30}, {Start: 32, End: 56}}},
			{ID: "37226", Positions: []webhook.EmotePosition{{Start: 58, End: 75}}},
		},
		CreatedAt: mustTime("2025-01-14T16:08:06Z"),
	},
	"channel.followed.json": &webhook.ChannelFollowed{
		Broadcaster: docsBroadcaster,
		Follower: webhook.User{
			UserID: 987654321, Username: "follower_name",
			ProfilePicture: "https://example.com/sender_avatar.jpg", ChannelSlug: "follower_channel",
		},
	},
	"channel.subscription.renewal.json": &webhook.ChannelSubscriptionRenewal{
		Broadcaster: docsBroadcaster,
		Subscriber:  docsSubscriber,
		Months:      3,
		CreatedAt:   mustTime("2025-01-14T16:08:06Z"),
		ExpiresAt:   mustTime("2025-02-14T16:08:06Z"),
	},
	"channel.subscription.gifts.json": &webhook.ChannelSubscriptionGifts{
		Broadcaster: docsBroadcaster,
		Gifter: webhook.User{
			UserID: 987654321, Username: "gifter_name",
			ProfilePicture: "https://example.com/sender_avatar.jpg", ChannelSlug: "gifter_channel",
		},
		Giftees:   []webhook.User{docsGiftee},
		CreatedAt: mustTime("2025-01-14T16:08:06Z"),
		ExpiresAt: mustTime("2025-02-14T16:08:06Z"),
	},
	"extra/channel.subscription.gifts.anonymous.json": &webhook.ChannelSubscriptionGifts{
		Broadcaster: docsBroadcaster,
		Gifter:      webhook.User{IsAnonymous: true},
		Giftees:     []webhook.User{docsGiftee},
		CreatedAt:   mustTime("2025-01-14T16:08:06Z"),
		ExpiresAt:   mustTime("2025-02-14T16:08:06Z"),
	},
	"channel.subscription.new.json": &webhook.ChannelSubscriptionNew{
		Broadcaster: docsBroadcaster,
		Subscriber:  docsSubscriber,
		Months:      1,
		CreatedAt:   mustTime("2025-01-14T16:08:06Z"),
		ExpiresAt:   mustTime("2025-02-14T16:08:06Z"),
	},
	"channel.reward.redemption.updated.json": &webhook.ChannelRewardRedemptionUpdated{
		ID:         "01KBHE78QE4HZY1617DK5FC7YD",
		UserInput:  "unban me",
		Status:     kick.RedemptionRejected,
		RedeemedAt: mustTime("2025-12-02T22:54:19.323Z"),
		Reward: webhook.RewardSummary{
			ID: "01KBHE7RZNHB0SKDV1H86CD4F3", Title: "Uban Request", Cost: 1000, Description: "Only good reasons pls",
		},
		Redeemer:    webhook.UserSummary{UserID: 123, Username: "naughty-user", ChannelSlug: "naughty_user"},
		Broadcaster: webhook.UserSummary{UserID: 333, Username: "gigachad", IsVerified: true, ChannelSlug: "gigachad"},
	},
	"livestream.status.updated.started.json": &webhook.LivestreamStatusUpdated{
		Broadcaster: docsBroadcaster,
		IsLive:      true,
		Title:       "Stream Title",
		StartedAt:   mustTime("2025-01-01T00:00:00Z"), // 11:00 at +11:00
	},
	"livestream.status.updated.ended.json": &webhook.LivestreamStatusUpdated{
		Broadcaster: docsBroadcaster,
		Title:       "Stream Title",
		StartedAt:   mustTime("2025-01-01T11:00:00+11:00"),
		EndedAt:     mustTime("2025-01-01T04:00:00Z"),
	},
	"livestream.metadata.updated.json": &webhook.LivestreamMetadataUpdated{
		Broadcaster: docsBroadcaster,
		Metadata: webhook.LivestreamMetadata{
			Title: "Stream Title", Language: "en", HasMatureContent: true,
			Category: kick.CategorySummary{ID: 123, Name: "Category name", Thumbnail: "http://example.com/image123"},
		},
	},
	"moderation.banned.json": &webhook.ModerationBanned{
		Broadcaster: docsBroadcaster,
		Moderator:   docsModerator,
		BannedUser:  docsBannedUser,
		Metadata: webhook.BanMetadata{
			Reason:    "banned reason",
			CreatedAt: mustTime("2025-01-14T16:08:05Z"),
			ExpiresAt: mustTime("2025-01-14T16:10:06Z"),
		},
	},
	"extra/moderation.banned.permanent.json": &webhook.ModerationBanned{
		Broadcaster: docsBroadcaster,
		Moderator:   docsModerator,
		BannedUser:  docsBannedUser,
		Metadata:    webhook.BanMetadata{Reason: "banned reason", CreatedAt: mustTime("2025-01-14T16:08:05Z")},
	},
	"kicks.gifted.json": &webhook.KicksGifted{
		Broadcaster: webhook.UserSummary{
			UserID: 123456789, Username: "broadcaster_name", IsVerified: true,
			ProfilePicture: "https://example.com/broadcaster_avatar.jpg", ChannelSlug: "broadcaster_channel",
		},
		Sender: webhook.UserSummary{
			UserID: 987654321, Username: "gift_sender",
			ProfilePicture: "https://example.com/sender_avatar.jpg", ChannelSlug: "gift_sender_channel",
		},
		Gift: webhook.KicksGift{
			Amount: 500, Name: "Rage Quit", Type: "LEVEL_UP", Tier: "MID", Message: "w", PinnedTime: 600 * time.Second,
		},
		CreatedAt: mustTime("2025-10-20T04:00:08.634Z"),
	},
	"extra/drops.claim.json": &webhook.DropsClaim{
		ClaimID:    "01KAKQ02J0Q11N8H6N1T3SPBV1",
		UserID:     9183746,
		CampaignID: "01K9PT69ZWCJTPKF0R975KMS8E",
		RewardID:   "01K9MKT3A1Y20BZB2RS7AFT4PH",
		ExternalID: "skin_wolf_hoodie",
	},
}

func TestDecodeDocsExamples(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, f := range fixtures(t) {
		seen[f.name] = true
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			want, ok := wantFixtures[f.name]
			if !ok {
				t.Fatalf("no expected value for %s: add one to wantFixtures", f.name)
			}
			got, err := webhook.Decode(f.typ, f.version, f.body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Decode(%s) (-want +got):\n%s", f.name, diff)
			}
			if got.EventType() != f.typ || got.EventVersion() != f.version {
				t.Errorf("EventType, EventVersion = %q, %d; want %q, %d", got.EventType(), got.EventVersion(), f.typ, f.version)
			}
		})
	}
	for name := range wantFixtures {
		if !seen[name] {
			t.Errorf("%s is expected but neither listed in headers.json nor a payload schema's example", name)
		}
	}
	// Every example of Kick's ten event types is covered.
	covered := map[kick.EventType]bool{}
	for _, e := range wantFixtures {
		covered[e.EventType()] = true
	}
	for _, typ := range kick.AllEventTypes {
		if !covered[typ] {
			t.Errorf("no example of %s", typ)
		}
	}
}

// The time offsets Kick sent are kept, not only the instant.
func TestDecodeKeepsOffsets(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile(filepath.Join(fixtureDir, "livestream.status.updated.ended.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := webhook.Decode(kick.EventLivestreamStatusUpdated, 1, body)
	if err != nil {
		t.Fatal(err)
	}
	got := e.(*webhook.LivestreamStatusUpdated)
	if s := got.StartedAt.Format("15:04 -07:00"); s != "11:00 +11:00" {
		t.Errorf("StartedAt = %s, want 11:00 +11:00", s)
	}
}

// nullUser is a user of a webhook payload with every key the spec requires, each null but the
// user id, which identifies it.
const nullUser = `{"is_anonymous":null,"user_id":7,"username":null,"is_verified":null,"profile_picture":null,"channel_slug":null,"identity":null}`

func TestDecodeTolerance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		typ  kick.EventType
		body string
		want webhook.Event
	}{
		{
			name: "emote_id as a number, null emotes position list, null identity",
			typ:  kick.EventChatMessageSent,
			body: `{"message_id":"6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a",
				"broadcaster":{"is_anonymous":false,"user_id":1,"username":"b","is_verified":false,"profile_picture":"","channel_slug":"","identity":null},
				"sender":{"is_anonymous":false,"user_id":2,"username":"s","is_verified":true,"profile_picture":"","channel_slug":"","identity":null},
				"content":"[emote:37226:KEKW]",
				"emotes":[{"emote_id":37226,"positions":[{"s":0,"e":17}]},{"emote_id":"1","positions":null}],
				"created_at":"2025-07-22T10:00:00.123456+02:00"}`,
			want: &webhook.ChatMessageSent{
				MessageID:   "6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a",
				Broadcaster: webhook.User{UserID: 1, Username: "b"},
				Sender:      webhook.User{UserID: 2, Username: "s", IsVerified: true},
				Content:     "[emote:37226:KEKW]",
				Emotes:      []webhook.Emote{{ID: "37226", Positions: []webhook.EmotePosition{{Start: 0, End: 17}}}, {ID: "1"}},
				CreatedAt:   mustTime("2025-07-22T08:00:00.123456Z"),
			},
		},
		{
			name: "null emotes, no created_at, unknown fields, nulls for every user field but the id",
			typ:  kick.EventChatMessageSent,
			body: `{"message_id":"m","broadcaster":` + nullUser + `,
				"sender":{"is_anonymous":null,"user_id":2,"username":null,"is_verified":null,"profile_picture":null,
					"channel_slug":null,"identity":null,"new_field":{"x":[1,2]}},
				"content":"hi","emotes":null,"brand_new":true}`,
			want: &webhook.ChatMessageSent{MessageID: "m", Broadcaster: webhook.User{UserID: 7}, Sender: webhook.User{UserID: 2}, Content: "hi"},
		},
		{
			name: "capitalised Category and a null is_verified",
			typ:  kick.EventLivestreamMetadataUpdated,
			body: `{"broadcaster":{"is_anonymous":false,"user_id":4242,"username":"caps_streamer","is_verified":null,
				"profile_picture":"","channel_slug":"caps_streamer","identity":null},
				"metadata":{"title":"Testing","language":"de","has_mature_content":false,
				"Category":{"id":15,"name":"Just Chatting","thumbnail":"https://example.com/15.webp"}}}`,
			want: &webhook.LivestreamMetadataUpdated{
				Broadcaster: webhook.User{UserID: 4242, Username: "caps_streamer", ChannelSlug: "caps_streamer"},
				Metadata: webhook.LivestreamMetadata{
					Title: "Testing", Language: "de",
					Category: kick.CategorySummary{ID: 15, Name: "Just Chatting", Thumbnail: "https://example.com/15.webp"},
				},
			},
		},
		{
			name: "category wins over Category, whatever the order",
			typ:  kick.EventLivestreamMetadataUpdated,
			body: `{"broadcaster":` + nullUser + `,"metadata":{"title":null,"language":null,"has_mature_content":false,
				"category":{"id":1,"name":"new","thumbnail":null},"Category":{"id":2,"name":"old","thumbnail":null}}}`,
			want: &webhook.LivestreamMetadataUpdated{Broadcaster: webhook.User{UserID: 7}, Metadata: webhook.LivestreamMetadata{Category: kick.CategorySummary{ID: 1, Name: "new"}}},
		},
		{
			name: "Category after a null category",
			typ:  kick.EventLivestreamMetadataUpdated,
			body: `{"broadcaster":` + nullUser + `,"metadata":{"title":null,"language":null,"has_mature_content":false,
				"category":null,"Category":{"id":2,"name":"old","thumbnail":null}}}`,
			want: &webhook.LivestreamMetadataUpdated{Broadcaster: webhook.User{UserID: 7}, Metadata: webhook.LivestreamMetadata{Category: kick.CategorySummary{ID: 2, Name: "old"}}},
		},
		{
			name: "gifter fields null, is_anonymous too",
			typ:  kick.EventChannelSubscriptionGifts,
			body: `{"broadcaster":` + nullUser + `,"gifter":{"is_anonymous":null,"user_id":null,"username":null,"identity":null},
				"giftees":[],"created_at":null,"expires_at":null}`,
			want: &webhook.ChannelSubscriptionGifts{Broadcaster: webhook.User{UserID: 7}, Giftees: []webhook.User{}},
		},
		{
			name: "drops claim without external_id",
			typ:  webhook.EventDropsClaim,
			body: `{"claim_id":"01KAKQ02J0Q11N8H6N1T3SPBV1","user_id":18446744073,"campaign_id":"c","reward_id":"r"}`,
			want: &webhook.DropsClaim{ClaimID: "01KAKQ02J0Q11N8H6N1T3SPBV1", UserID: 18446744073, CampaignID: "c", RewardID: "r"},
		},
		{
			name: "unknown type",
			typ:  "channel.raid",
			body: `{"anything": "goes"}`,
			want: &webhook.UnknownEvent{Type: "channel.raid", Version: 1, Raw: []byte(`{"anything": "goes"}`)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			version := 1
			if tt.typ == webhook.EventDropsClaim {
				version = 0
			}
			got, err := webhook.Decode(tt.typ, version, []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeUnknownVersion(t *testing.T) {
	t.Parallel()
	body := []byte(`{"message_id":"m","content":"v2"}`)
	got, err := webhook.Decode(kick.EventChatMessageSent, 2, body)
	if err != nil {
		t.Fatal(err)
	}
	want := &webhook.UnknownEvent{Type: kick.EventChatMessageSent, Version: 2, Raw: body}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if webhook.Known(kick.EventChatMessageSent, 2) || !webhook.Known(kick.EventChatMessageSent, 1) {
		t.Error("Known is wrong about chat.message.sent")
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		typ  kick.EventType
		body string
	}{
		{"not JSON", kick.EventChannelFollowed, `{"broadcaster":`},
		{"null", kick.EventChannelFollowed, `null`},
		{"an array", kick.EventChannelFollowed, `[]`},
		{"user id as a string", kick.EventChannelFollowed, `{"follower":{"user_id":"12"}}`},
		{"emote id as a bool", kick.EventChatMessageSent, `{"emotes":[{"emote_id":true}]}`},
		{"emote id as an object", kick.EventChatMessageSent, `{"emotes":[{"emote_id":{}}]}`},
		{"timestamp without offset", kick.EventKicksGifted, `{"created_at":"2025-10-20T04:00:08"}`},
		{"drops claim without claim_id", webhook.EventDropsClaim, `{"user_id":1,"campaign_id":"c","reward_id":"r"}`},
		{"drops claim with an empty claim_id", webhook.EventDropsClaim, `{"claim_id":"","user_id":1,"campaign_id":"c","reward_id":"r"}`},
		{"an identifying key missing deep down", kick.EventChannelFollowed, `{"broadcaster":` + nullUser + `,"follower":{"username":"x"}}`},
		{"an identifying key null", kick.EventChannelFollowed, `{"broadcaster":` + nullUser + `,"follower":{"user_id":null}}`},
		{"a chat message without message_id", kick.EventChatMessageSent, `{"broadcaster":` + nullUser + `,"sender":` + nullUser + `,"content":"hi"}`},
		{"trailing data", kick.EventChannelFollowed, `{} {}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			version := 1
			if tt.typ == webhook.EventDropsClaim {
				version = 0
			}
			got, err := webhook.Decode(tt.typ, version, []byte(tt.body))
			if !errors.Is(err, webhook.ErrDecode) {
				t.Fatalf("Decode = %v, %v; want an error matching ErrDecode", got, err)
			}
		})
	}
}

// A typed event encodes to JSON that decodes into the same event: users may queue events as JSON.
func TestEventJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for name, want := range wantFixtures {
		data, err := json.Marshal(want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := webhook.Decode(want.EventType(), want.EventVersion(), data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}
