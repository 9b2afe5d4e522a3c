package kick

import (
	"context"
	"encoding/json"
	"iter"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/kick-sdk/kick-go/gen"
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

func livestreamFromGen(l gen.Livestream) Livestream {
	return Livestream{
		ID:               l.ID,
		Broadcaster:      livestreamBroadcasterFromGen(l.BroadcasterUser),
		ChannelSlug:      l.Channel.Slug,
		Category:         categorySummaryFromGen(l.Category),
		Title:            l.Title,
		Language:         l.LanguageCode,
		CustomTags:       l.Tags,
		HasMatureContent: l.HasMatureContent,
		Thumbnail:        l.Thumbnail,
		ViewerCount:      l.ViewerCount,
		StartedAt:        l.StartedAt,
	}
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

// UnmarshalJSON reads a livestream as Kick sends it, ChannelSlug from "channel".
func (l *Livestream) UnmarshalJSON(b []byte) error {
	type plain Livestream
	var aux struct {
		*plain
		Channel *livestreamChannel `json:"channel"`
	}
	aux.plain = (*plain)(l)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.Channel != nil {
		l.ChannelSlug = aux.Channel.Slug
	}
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

func livestreamBroadcasterFromGen(b gen.LivestreamBroadcaster) LivestreamBroadcaster {
	return LivestreamBroadcaster{UserID: b.ID, Username: b.Username, ProfilePicture: b.ProfilePicture}
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
	if len(p.CategoryIDs) > limitListLivestreamsCategoryIDMaxItems {
		return invalid(op, "CategoryIDs", "has %d ids, at most %d allowed", len(p.CategoryIDs), limitListLivestreamsCategoryIDMaxItems)
	}
	if err := checkIDs(op, "CategoryIDs", p.CategoryIDs); err != nil {
		return err
	}
	if len(p.Languages) > limitListLivestreamsLanguageCodeMaxItems {
		return invalid(op, "Languages", "has %d languages, at most %d allowed", len(p.Languages), limitListLivestreamsLanguageCodeMaxItems)
	}
	for i, lang := range p.Languages {
		if utf8.RuneCountInString(lang) < limitListLivestreamsLanguageCodeItemsMinLength {
			return checkLivestreamLanguage(op, elem("Languages", i), lang, limitListLivestreamsLanguageCodeItemsMinLength)
		}
	}
	if p.Limit < 0 || p.Limit > limitListLivestreamsLimitMaximum {
		return invalid(op, "Limit", "%d is not between %d and %d (0 leaves Kick's default)", p.Limit, limitListLivestreamsLimitMinimum, limitListLivestreamsLimitMaximum)
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
	if err := p.check(epListLivestreams.id); err != nil {
		return Page[Livestream]{}, err
	}
	env := gen.LivestreamPage{Data: scratchLivestreams.get()}
	o := outgoing{into: &env}
	// The parameters in the spec's order, as the generated client sent them.
	if p.Cursor != "" {
		o.query.add(paramListLivestreamsCursor, p.Cursor)
	}
	if p.Limit != 0 {
		o.query.addInt(paramListLivestreamsLimit, int64(p.Limit))
	}
	o.query.addInts(paramListLivestreamsCategoryID, p.CategoryIDs)
	o.query.addStrings(paramListLivestreamsLanguageCode, p.Languages)
	if err := s.client.fetch(ctx, epListLivestreams, opts, &o); err != nil {
		return Page[Livestream]{}, err
	}
	page := Page[Livestream]{Items: convertFrom(&scratchLivestreams, env.Data, livestreamFromGen)}
	if env.Pagination != nil {
		page.NextCursor = deref(env.Pagination.NextCursor)
	}
	return page, nil
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
	ep := epGetUsersLivestreams
	if err := checkIDs(ep.id, "userIDs", userIDs); err != nil {
		return nil, err
	}
	ids := unique(userIDs)
	var streams []gen.Livestream
	for _, batch := range chunks(ids, limitGetUsersLivestreamsUserIDMaxItems) {
		env := gen.LivestreamList{Data: scratchLivestreams.get()}
		o := outgoing{into: &env}
		o.query.addInts(paramGetUsersLivestreamsUserID, batch)
		if err := s.client.fetch(ctx, ep, opts, &o); err != nil {
			return nil, err
		}
		streams = scratchLivestreams.appendBatch(streams, env.Data)
	}
	out := orderBy(streams, ids, func(l gen.Livestream) int64 { return l.BroadcasterUser.ID }, livestreamFromGen)
	scratchLivestreams.put(streams)
	return out, nil
}

// LivestreamStats are figures on the streams live on Kick. Kick's schema: LivestreamStats.
type LivestreamStats struct {
	// TotalCount is the number of streams live now.
	TotalCount int64 `json:"total_count"`
}

func livestreamStatsFromGen(s gen.LivestreamStats) LivestreamStats {
	return LivestreamStats{TotalCount: s.TotalCount}
}

// Stats returns the number of streams live on Kick now.
//
// Token: a user token (no scope needed) or an app token. Operation getLivestreamStats.
//
// Kick API docs: https://docs.kick.com/apis/livestreams
func (s *LivestreamsService) Stats(ctx context.Context, opts ...RequestOption) (*LivestreamStats, error) {
	var env gen.LivestreamStatsEnvelope
	o := &outgoing{into: &env}
	if err := s.client.fetch(ctx, epGetLivestreamStats, opts, o); err != nil {
		return nil, err
	}
	stats := livestreamStatsFromGen(env.Data)
	return &stats, nil
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

func livestreamV1FromGen(l gen.LivestreamV1) LivestreamV1 {
	return LivestreamV1{
		BroadcasterUserID: l.BroadcasterUserID,
		ChannelID:         l.ChannelID,
		ChannelSlug:       l.Slug,
		Title:             l.StreamTitle,
		Language:          l.Language,
		HasMatureContent:  l.HasMatureContent,
		ViewerCount:       l.ViewerCount,
		Thumbnail:         l.Thumbnail,
		ProfilePicture:    deref(l.ProfilePicture),
		StartedAt:         l.StartedAt,
		Category:          categorySummaryFromGen(l.Category),
		CustomTags:        l.CustomTags,
	}
}

// LivestreamV1Params filters the deprecated LivestreamsService.ListV1. Zero fields are left unset.
// It marshals with the query parameters' names.
type LivestreamV1Params struct {
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

func (p LivestreamV1Params) check(op string) error {
	if len(p.BroadcasterUserIDs) > limitGetLivestreamsV1BroadcasterUserIDMaxItems {
		return invalid(op, "BroadcasterUserIDs", "has %d ids, at most %d allowed", len(p.BroadcasterUserIDs), limitGetLivestreamsV1BroadcasterUserIDMaxItems)
	}
	if err := checkIDs(op, "BroadcasterUserIDs", p.BroadcasterUserIDs); err != nil {
		return err
	}
	if p.CategoryID < 0 {
		return invalid(op, "CategoryID", "%d is not a positive id (0 for any category)", p.CategoryID)
	}
	if p.Language != "" {
		if err := checkLivestreamLanguage(op, "Language", p.Language, limitGetLivestreamsV1LanguageMinLength); err != nil {
			return err
		}
	}
	if p.Limit < 0 || p.Limit > limitGetLivestreamsV1LimitMaximum {
		return invalid(op, "Limit", "%d is not between %d and %d (0 leaves Kick's default)", p.Limit, limitGetLivestreamsV1LimitMinimum, limitGetLivestreamsV1LimitMaximum)
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
func (s *LivestreamsService) ListV1(ctx context.Context, p LivestreamV1Params, opts ...RequestOption) ([]LivestreamV1, error) {
	if err := p.check(epGetLivestreamsV1.id); err != nil {
		return nil, err
	}
	env := gen.LivestreamV1List{Data: scratchLivestreamsV1.get()}
	o := &outgoing{into: &env}
	// The parameters in the spec's order, as the generated client sent them.
	o.query.addInts(paramGetLivestreamsV1BroadcasterUserID, p.BroadcasterUserIDs)
	if p.CategoryID != 0 {
		o.query.addInt(paramGetLivestreamsV1CategoryID, p.CategoryID)
	}
	if p.Language != "" {
		o.query.add(paramGetLivestreamsV1Language, p.Language)
	}
	if p.Limit != 0 {
		o.query.addInt(paramGetLivestreamsV1Limit, int64(p.Limit))
	}
	if p.Sort != "" {
		o.query.add(paramGetLivestreamsV1Sort, string(p.Sort))
	}
	if err := s.client.fetch(ctx, epGetLivestreamsV1, opts, o); err != nil {
		return nil, err
	}
	return convertFrom(&scratchLivestreamsV1, env.Data, livestreamV1FromGen), nil
}
