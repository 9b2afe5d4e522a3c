package kick

import (
	"context"
	"encoding/json"
	"iter"
	"slices"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// LivestreamsService lists the streams live on Kick. Kick docs: Livestreams.
type LivestreamsService service

// Livestream is a stream live now. Kick's schema: Livestream.
type Livestream struct {
	// ID is the livestream's id, a UUID.
	ID string `json:"id"`
	// Broadcaster is the user streaming.
	Broadcaster LivestreamBroadcaster `json:"broadcaster_user"`
	// ChannelSlug is the slug of the broadcaster's channel. Kick nests it, and the JSON of a
	// Livestream does too: "channel": {"slug": ...}.
	ChannelSlug string `json:"-"`
	// Category is the stream's category.
	Category CategorySummary `json:"category"`
	// Title is the stream's title.
	Title string `json:"title"`
	// Language is the stream's language code, such as "en".
	Language string `json:"language_code"`
	// CustomTags are the tags the broadcaster set on the stream.
	CustomTags []string `json:"tags"`
	// HasMatureContent reports whether the stream is marked for mature audiences.
	HasMatureContent bool `json:"has_mature_content"`
	// Thumbnail is the URL of the stream's thumbnail.
	Thumbnail string `json:"thumbnail"`
	// ViewerCount is the number of viewers, refreshed by Kick about once a minute; 0 when the
	// streamer hides it (so 0 does not mean nobody is watching).
	ViewerCount int64 `json:"viewer_count"`
	// StartedAt is when the stream started.
	StartedAt time.Time `json:"started_at"`
}

// livestreamChannel is the channel object of a Livestream's JSON.
type livestreamChannel struct {
	Slug string `json:"slug"`
}

// MarshalJSON writes the livestream as Kick sends it, ChannelSlug inside "channel".
func (l Livestream) MarshalJSON() ([]byte, error) {
	type plain Livestream
	return json.Marshal(struct {
		plain
		Channel livestreamChannel `json:"channel"`
	}{plain(l), livestreamChannel{l.ChannelSlug}})
}

// UnmarshalJSON reads a livestream as Kick sends it, ChannelSlug from "channel", as the client
// decodes it (tolerantly), for callers of encoding/json.
func (l *Livestream) UnmarshalJSON(b []byte) error {
	return tolerant.Unmarshal(b, l)
}

// UnmarshalJSONFrom reads a livestream as Kick sends it, ChannelSlug from "channel", in the
// decoder's one pass. A null leaves l as it is; an object is merged into l, as into any struct.
func (l *Livestream) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	type plain Livestream
	aux := struct {
		*plain  `json:",inline"`
		Channel livestreamChannel `json:"channel"`
	}{plain: (*plain)(l), Channel: livestreamChannel{l.ChannelSlug}}
	if err := jsonv2.UnmarshalDecode(dec, &aux); err != nil {
		return err
	}
	l.ChannelSlug = aux.Channel.Slug
	return nil
}

// LivestreamBroadcaster is the user streaming a Livestream. Kick's schema: LivestreamBroadcaster.
type LivestreamBroadcaster struct {
	// UserID is the broadcaster's user id (Kick's "id").
	UserID int64 `json:"id"`
	// Username is the broadcaster's username.
	Username string `json:"username"`
	// ProfilePicture is the URL of the broadcaster's picture.
	ProfilePicture string `json:"profile_picture"`
}

// LivestreamListParams filters LivestreamsService.List and All. The zero value lists every stream
// live now, with Kick's default page size (100). It marshals with the query parameters' names.
type LivestreamListParams struct {
	// CategoryIDs keeps the streams in these categories; at most 25.
	CategoryIDs []int64 `json:"category_id,omitempty"`
	// Languages keeps the streams in these languages (codes such as "en", at least 2 characters
	// each); at most 25.
	Languages []string `json:"language_code,omitempty"`
	// Limit is the page size, 1 to 1000; 0 leaves Kick's default.
	Limit int `json:"limit,omitempty"`
	// Cursor starts at the page after the one whose Page.NextCursor it is; "" starts at the first.
	Cursor string `json:"cursor,omitempty"`
}

func (p LivestreamListParams) check(op string) error {
	if len(p.CategoryIDs) > gen.LimitListLivestreamsCategoryIDMaxItems {
		return invalid(op, "CategoryIDs", "has %d ids, at most %d allowed", len(p.CategoryIDs), gen.LimitListLivestreamsCategoryIDMaxItems)
	}
	if err := checkIDs(op, "CategoryIDs", p.CategoryIDs); err != nil {
		return err
	}
	if len(p.Languages) > gen.LimitListLivestreamsLanguageCodeMaxItems {
		return invalid(op, "Languages", "has %d languages, at most %d allowed", len(p.Languages), gen.LimitListLivestreamsLanguageCodeMaxItems)
	}
	for i, lang := range p.Languages {
		if utf8.RuneCountInString(lang) < gen.LimitListLivestreamsLanguageCodeItemsMinLength {
			return checkLivestreamLanguage(op, elem("Languages", i), lang, gen.LimitListLivestreamsLanguageCodeItemsMinLength)
		}
	}
	if p.Limit < 0 || p.Limit > gen.LimitListLivestreamsLimitMaximum {
		return invalid(op, "Limit", "%d is not between %d and %d (0 leaves Kick's default)", p.Limit, gen.LimitListLivestreamsLimitMinimum, gen.LimitListLivestreamsLimitMaximum)
	}
	return nil
}

// checkLivestreamLanguage rejects a language code shorter than minLen characters (the spec's
// minLength).
func checkLivestreamLanguage(op, field, lang string, minLen int) error {
	if n := utf8.RuneCountInString(lang); n < minLen {
		return invalid(op, field, "has %d characters, at least %d required", n, minLen)
	}
	return nil
}

// List returns one page of the streams live now that match p, oldest first by start time (Kick's
// docs: no sort parameter), so sort by ViewerCount yourself, knowing that a streamer who hides the
// count has ViewerCount 0. Pass the page's NextCursor as p.Cursor
// for the next page, or use All. For the streams of given broadcasters, use GetByUsers.
//
// Token: a user token (no scope needed) or an app token. Operation listLivestreams.
//
// Kick API docs: https://docs.kick.com/apis/livestreams
func (s *LivestreamsService) List(ctx context.Context, p LivestreamListParams, opts ...RequestOption) (Page[Livestream], error) {
	if err := p.check(gen.ListLivestreams.ID); err != nil {
		return Page[Livestream]{}, err
	}
	var env pageData[Livestream]
	if err := s.client.fetch(ctx, gen.ListLivestreams.Request(p.Cursor, int64(p.Limit), p.CategoryIDs, p.Languages), opts, &env); err != nil {
		return Page[Livestream]{}, err
	}
	return env.page(), nil
}

// All iterates over the streams live now that match p, from p.Cursor on, oldest first by start
// time (no sort), fetching each page when the previous one is consumed. It stops after the first
// error, which it yields, including ctx's error.
//
// Token: a user token (no scope needed) or an app token. Operation listLivestreams.
//
// Kick API docs: https://docs.kick.com/apis/livestreams
func (s *LivestreamsService) All(ctx context.Context, p LivestreamListParams, opts ...RequestOption) iter.Seq2[Livestream, error] {
	return paginate(ctx, p.Cursor, func(ctx context.Context, cursor string) (Page[Livestream], error) {
		p := p // a copy per page: ranges do not share it
		p.Cursor = cursor
		return s.List(ctx, p, opts...)
	})
}

// GetByUsers returns the livestreams of the given users who are live now, in the order of
// userIDs (matched by Broadcaster.UserID); users not live are left out. Any number of ids is
// accepted: they are de-duplicated and fetched 100 per request. No ids gives an empty slice and no
// request. The endpoint is official since Kick's changelog of 2026-07-03 and replaces ListV1 for
// given broadcasters.
//
// Token: an app token, or a user token (no scope needed; Kick documents only the app token, so
// the app token is preferred when the client has both). Operation getUsersLivestreams.
//
// Kick API docs: https://docs.kick.com/apis/livestreams
func (s *LivestreamsService) GetByUsers(ctx context.Context, userIDs []int64, opts ...RequestOption) ([]Livestream, error) {
	if err := checkIDs(gen.GetUsersLivestreams.ID, "userIDs", userIDs); err != nil {
		return nil, err
	}
	ids := unique(userIDs)
	streams, err := batched[Livestream](ctx, s.client, ids, gen.LimitGetUsersLivestreamsUserIDMaxItems, opts, func(batch []int64) gen.Request {
		return gen.GetUsersLivestreams.Request(batch)
	})
	if err != nil {
		return nil, err
	}
	return orderBy(streams, ids, func(l *Livestream) int64 { return l.Broadcaster.UserID }), nil
}

// LivestreamStats are figures on the streams live on Kick. Kick's schema: LivestreamStats.
type LivestreamStats struct {
	// TotalCount is the number of streams live now.
	TotalCount int64 `json:"total_count"`
}

// Stats returns the number of streams live on Kick now.
//
// Token: a user token (no scope needed) or an app token. Operation getLivestreamStats.
//
// Kick API docs: https://docs.kick.com/apis/livestreams
func (s *LivestreamsService) Stats(ctx context.Context, opts ...RequestOption) (*LivestreamStats, error) {
	var env data[LivestreamStats]
	if err := s.client.fetch(ctx, gen.GetLivestreamStats.Request(), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}

// LivestreamV1 is a live stream in the shape of the deprecated v1 list (ListV1). Kick's schema:
// LivestreamV1.
type LivestreamV1 struct {
	// BroadcasterUserID is the broadcaster's user id and ChannelID the id of the channel.
	BroadcasterUserID int64 `json:"broadcaster_user_id"`
	ChannelID         int64 `json:"channel_id"`
	// ChannelSlug is the slug of the broadcaster's channel.
	ChannelSlug string `json:"slug"`
	// Title is the stream's title.
	Title string `json:"stream_title"`
	// Language is the stream's language code, such as "en".
	Language string `json:"language"`
	// HasMatureContent reports whether the stream is marked for mature audiences.
	HasMatureContent bool `json:"has_mature_content"`
	// ViewerCount is the number of viewers.
	ViewerCount int64 `json:"viewer_count"`
	// Thumbnail is the URL of the stream's thumbnail.
	Thumbnail string `json:"thumbnail"`
	// ProfilePicture is the URL of the broadcaster's picture; Kick sends it since 2025-12-19.
	ProfilePicture string `json:"profile_picture,omitempty"`
	// StartedAt is when the stream started.
	StartedAt time.Time `json:"started_at"`
	// Category is the stream's category.
	Category CategorySummary `json:"category"`
	// CustomTags are the tags the broadcaster set on the stream.
	CustomTags []string `json:"custom_tags,omitempty"`
}

// LivestreamListV1Params filters the deprecated LivestreamsService.ListV1. Zero fields are left unset.
// It marshals with the query parameters' names.
type LivestreamListV1Params struct {
	// BroadcasterUserIDs keeps the streams of these broadcasters; at most 50 (not batched).
	BroadcasterUserIDs []int64 `json:"broadcaster_user_id,omitempty"`
	// CategoryID keeps the streams in this category; 0 for any.
	CategoryID int64 `json:"category_id,omitempty"`
	// Language keeps the streams in this language (a code such as "en"); "" for any.
	Language string `json:"language,omitempty"`
	// Limit is the number of streams, 1 to 100; 0 leaves Kick's default (25).
	Limit int `json:"limit,omitempty"`
	// Sort orders the streams; "" leaves Kick's default.
	Sort LivestreamSort `json:"sort,omitempty"`
}

func (p LivestreamListV1Params) check(op string) error {
	if len(p.BroadcasterUserIDs) > gen.LimitGetLivestreamsV1BroadcasterUserIDMaxItems {
		return invalid(op, "BroadcasterUserIDs", "has %d ids, at most %d allowed", len(p.BroadcasterUserIDs), gen.LimitGetLivestreamsV1BroadcasterUserIDMaxItems)
	}
	if err := checkIDs(op, "BroadcasterUserIDs", p.BroadcasterUserIDs); err != nil {
		return err
	}
	if p.CategoryID < 0 {
		return invalid(op, "CategoryID", "%d is not a positive id (0 for any category)", p.CategoryID)
	}
	if p.Language != "" {
		if err := checkLivestreamLanguage(op, "Language", p.Language, gen.LimitGetLivestreamsV1LanguageMinLength); err != nil {
			return err
		}
	}
	if p.Limit < 0 || p.Limit > gen.LimitGetLivestreamsV1LimitMaximum {
		return invalid(op, "Limit", "%d is not between %d and %d (0 leaves Kick's default)", p.Limit, gen.LimitGetLivestreamsV1LimitMinimum, gen.LimitGetLivestreamsV1LimitMaximum)
	}
	if p.Sort != "" && !slices.Contains([]LivestreamSort{LivestreamSortViewerCount, LivestreamSortStartedAt}, p.Sort) {
		return invalid(op, "Sort", "%q is not a known order", p.Sort)
	}
	return nil
}

// ListV1 returns the streams live now that match p, in one call without pagination.
//
// Token: a user token (no scope needed) or an app token. Operation getLivestreamsV1.
//
// Kick API docs: https://docs.kick.com/apis/livestreams
//
// Deprecated: Kick is removing the v1 endpoint: its changelog of 2026-07-03 says "Livestreams V1
// should now be completely migrated off". Use List (v2) to browse, or GetByUsers for given
// broadcasters.
func (s *LivestreamsService) ListV1(ctx context.Context, p LivestreamListV1Params, opts ...RequestOption) ([]LivestreamV1, error) {
	if err := p.check(gen.GetLivestreamsV1.ID); err != nil {
		return nil, err
	}
	var env data[[]LivestreamV1]
	req := gen.GetLivestreamsV1.Request(p.BroadcasterUserIDs, p.CategoryID, p.Language, int64(p.Limit), string(p.Sort))
	if err := s.client.fetch(ctx, req, opts, &env); err != nil {
		return nil, err
	}
	return list(env.Data), nil
}
