package kick

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kick-sdk/kick-go/gen"
)

// ChannelsService gets channels and updates the token owner's channel. Kick docs: Channels.
type ChannelsService service

// Channel is a Kick channel and its current stream. Kick's schema: Channel.
type Channel struct {
	// BroadcasterUserID is the id of the user who owns the channel.
	BroadcasterUserID int64 `json:"broadcaster_user_id"`
	// Slug is the channel's name in URLs (kick.com/<slug>), lowercase.
	Slug string `json:"slug"`
	// Description is the channel's description.
	Description string `json:"channel_description"`
	// BannerPicture is the URL of the channel's banner.
	BannerPicture string `json:"banner_picture"`
	// StreamTitle is the title of the current or last stream.
	StreamTitle string `json:"stream_title"`
	// Category is the category of the current or last stream.
	Category CategorySummary `json:"category"`
	// Stream is the channel's stream: live or not.
	Stream Stream `json:"stream"`
	// ActiveSubscribersCount and CanceledSubscribersCount count the channel's subscriptions. Kick
	// sends them without documenting them; 0 when absent.
	ActiveSubscribersCount   int64 `json:"active_subscribers_count,omitempty"`
	CanceledSubscribersCount int64 `json:"canceled_subscribers_count,omitempty"`
}

// MarshalJSON writes the channel with Kick's names, its stream key redacted; marshal
// Reveal(channel) for the key.
func (c Channel) MarshalJSON() ([]byte, error) { return c.marshalJSON(false) }

func (c Channel) marshalJSON(reveal bool) ([]byte, error) {
	stream, err := c.Stream.marshalJSON(reveal)
	if err != nil {
		return nil, err
	}
	type plain Channel
	return json.Marshal(struct {
		plain
		Stream json.RawMessage `json:"stream"`
	}{plain(c), stream})
}

// Stream is a channel's stream. Kick's schema: ChannelStream.
type Stream struct {
	// URL is the RTMPS ingest URL and Key the stream key, a Secret. Both are only filled for the
	// token owner's own channel, with a user token with ScopeStreamKeyRead; empty otherwise.
	URL string `json:"url,omitempty"`
	Key Secret `json:"key,omitempty"`
	// IsLive reports whether the channel is streaming now.
	IsLive bool `json:"is_live"`
	// HasMatureContent reports whether the stream is marked for mature audiences.
	HasMatureContent bool `json:"is_mature"`
	// Language is the stream's language code, such as "en".
	Language string `json:"language"`
	// StartedAt is when the current stream started. It is the zero time (StartedAt.IsZero()) when
	// the channel is offline: Kick sends 0001-01-01T00:00:00Z, as does MarshalJSON.
	StartedAt time.Time `json:"start_time"`
	// Thumbnail is the URL of the stream's thumbnail.
	Thumbnail string `json:"thumbnail"`
	// ViewerCount is the number of viewers now; 0 when offline.
	ViewerCount int64 `json:"viewer_count"`
	// CustomTags are the tags the broadcaster set on the stream.
	CustomTags []string `json:"custom_tags,omitempty"`
}

// MarshalJSON writes the stream with Kick's names, its key redacted; marshal Reveal(stream) for
// the key.
func (s Stream) MarshalJSON() ([]byte, error) { return s.marshalJSON(false) }

func (s Stream) marshalJSON(reveal bool) ([]byte, error) {
	type plain Stream
	return json.Marshal(struct {
		plain
		Key string `json:"key,omitempty"`
	}{plain(s), s.Key.text(reveal)})
}

// Get returns the channels of the broadcasters with the given user ids, in the order of the ids;
// unknown ids are left out. Any number of ids is accepted: they are de-duplicated and fetched 50
// per request. No ids gives an empty slice and no request. Kick refuses a call that mixes ids and
// slugs; this method and GetBySlug each send one kind only, so it cannot happen.
//
// Stream.Key and Stream.URL are only filled for the token owner's own channel with
// ScopeStreamKeyRead.
//
// Token: a user token with ScopeChannelRead, or an app token. Operation getChannels.
//
// Kick API docs: https://docs.kick.com/apis/channels
func (s *ChannelsService) Get(ctx context.Context, broadcasterUserIDs []int64, opts ...RequestOption) ([]Channel, error) {
	if err := checkIDs(gen.GetChannels.ID, "broadcasterUserIDs", broadcasterUserIDs); err != nil {
		return nil, err
	}
	ids := unique(broadcasterUserIDs)
	channels, err := batched[Channel](ctx, s.client, ids, gen.LimitGetChannelsBroadcasterUserIDMaxItems, opts, func(batch []int64) gen.Request {
		return gen.GetChannels.Request(batch, nil)
	})
	if err != nil {
		return nil, err
	}
	return orderBy(channels, ids, func(c *Channel) int64 { return c.BroadcasterUserID }), nil
}

// GetBySlug returns the channels with the given slugs, in the order of the slugs. Each slug has 1
// to 25 characters. Any number is accepted: they are fetched 50 per request. Slugs are sent as
// given, but matched to the channels Kick returns without regard to case (Kick's slugs are
// lowercase), so slugs that differ only in case are fetched once and give one channel, at the
// place of the first. No slugs gives an empty slice and no request. Kick refuses a call that mixes
// ids and slugs; this method and Get each send one kind only, so it cannot happen.
//
// Kick has been reported to fail the whole call with 400 (ErrBadRequest) when one slug is unknown:
// prefer Get with ids when you have them.
//
// Token: a user token with ScopeChannelRead, or an app token. Operation getChannels.
//
// Kick API docs: https://docs.kick.com/apis/channels
func (s *ChannelsService) GetBySlug(ctx context.Context, slugs []string, opts ...RequestOption) ([]Channel, error) {
	for i, slug := range slugs {
		if n := utf8.RuneCountInString(slug); n == 0 || n > gen.LimitGetChannelsSlugItemsMaxLength {
			return nil, checkLen(gen.GetChannels.ID, elem("slugs", i), slug, true, gen.LimitGetChannelsSlugItemsMaxLength)
		}
	}
	seen := make(map[string]bool, len(slugs))
	var send, keys []string
	for _, slug := range slugs {
		key := strings.ToLower(slug)
		if !seen[key] {
			seen[key] = true
			send = append(send, slug)
			keys = append(keys, key)
		}
	}
	channels, err := batched[Channel](ctx, s.client, send, gen.LimitGetChannelsSlugMaxItems, opts, func(batch []string) gen.Request {
		return gen.GetChannels.Request(nil, batch)
	})
	if err != nil {
		return nil, err
	}
	return orderBy(channels, keys, func(c *Channel) string { return strings.ToLower(c.Slug) }), nil
}

// Me returns the channel of the user who owns the user token; Stream.Key and Stream.URL are filled
// when the token has ScopeStreamKeyRead.
//
// Token: a user token with ScopeChannelRead. Operation getChannels without parameters.
//
// Kick API docs: https://docs.kick.com/apis/channels
func (s *ChannelsService) Me(ctx context.Context, opts ...RequestOption) (*Channel, error) {
	var env data[[]Channel]
	if err := s.client.fetch(ctx, gen.GetChannels.Request(nil, nil), withOption(opts, onlyTokens(TokenKindUser)), &env); err != nil {
		return nil, err
	}
	if len(env.Data) == 0 {
		return nil, fmt.Errorf("kick: %s: no channel for the token: %w", gen.GetChannels.ID, ErrUnexpectedResponse)
	}
	return &env.Data[0], nil
}

// ChannelUpdateParams is the change Update makes to the token owner's channel. Set at least one field;
// the fields left unset are left unchanged. It marshals as the body Update sends. Kick's schema:
// ChannelUpdateInput.
type ChannelUpdateParams struct {
	// CategoryID, when set, moves the stream to this category; it must be positive.
	CategoryID *int64 `json:"category_id,omitempty"`
	// StreamTitle, when set, is the new stream title; it must not be empty.
	StreamTitle *string `json:"stream_title,omitempty"`
	// CustomTags, when not nil, replaces the stream's custom tags; a non-nil empty slice
	// ([]string{}) removes them all, and is sent as []. Each tag must be non-empty.
	CustomTags []string `json:"custom_tags,omitzero"`
}

// Update changes the stream title, category or custom tags of the token owner's channel. It sends
// exactly the fields set in u.
//
// Token: a user token with ScopeChannelWrite. Operation updateChannel.
//
// Kick API docs: https://docs.kick.com/apis/channels
func (s *ChannelsService) Update(ctx context.Context, u ChannelUpdateParams, opts ...RequestOption) error {
	op := gen.UpdateChannel.ID
	if u.CategoryID == nil && u.StreamTitle == nil && u.CustomTags == nil {
		return invalid(op, "ChannelUpdateParams", "sets no field; set CategoryID, StreamTitle or CustomTags")
	}
	if u.CategoryID != nil && *u.CategoryID <= 0 {
		return invalid(op, "CategoryID", "%d is not a positive id", *u.CategoryID)
	}
	if u.StreamTitle != nil && *u.StreamTitle == "" {
		return invalid(op, "StreamTitle", "is empty")
	}
	if u.CustomTags != nil {
		if err := checkStrings(op, "CustomTags", u.CustomTags); err != nil {
			return err
		}
	}
	body, err := encode(gen.UpdateChannel.Operation, u)
	if err != nil {
		return err
	}
	return s.client.fetch(ctx, gen.UpdateChannel.Request(body), opts, nil)
}
