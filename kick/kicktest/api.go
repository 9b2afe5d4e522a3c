package kicktest

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// handlers maps every operation id to its handler.
func (s *Server) handlers() map[string]func(*call) {
	h := map[string]func(*call){
		"requestToken":      s.requestToken,
		"revokeToken":       s.revokeToken,
		"introspectToken":   s.introspect,
		"introspectTokenV1": s.introspect,

		"listCategories":     s.listCategories,
		"searchCategoriesV1": s.searchCategoriesV1,
		"getCategoryV1":      s.getCategoryV1,
		"getUsers":           s.getUsers,
		"getChannels":        s.getChannels,
		"updateChannel":      s.updateChannel,

		"listChannelRewards":      s.listChannelRewards,
		"createChannelReward":     s.createChannelReward,
		"updateChannelReward":     s.updateChannelReward,
		"deleteChannelReward":     s.deleteChannelReward,
		"listRewardRedemptions":   s.listRewardRedemptions,
		"acceptRewardRedemptions": s.acceptRewardRedemptions,
		"rejectRewardRedemptions": s.rejectRewardRedemptions,

		"sendChatMessage":   s.sendChatMessage,
		"deleteChatMessage": s.deleteChatMessage,
		"banUser":           s.banUser,
		"unbanUser":         s.unbanUser,

		"listLivestreams":     s.listLivestreams,
		"getLivestreamsV1":    s.getLivestreamsV1,
		"getLivestreamStats":  s.getLivestreamStats,
		"getUsersLivestreams": s.getUsersLivestreams,
		"getPublicKey":        s.getPublicKey,
		"getKicksLeaderboard": s.getKicksLeaderboard,

		"listEventSubscriptions":   s.listEventSubscriptions,
		"createEventSubscriptions": s.createEventSubscriptions,
		"deleteEventSubscriptions": s.deleteEventSubscriptions,
		"listDropsClaims":          s.listDropsClaims,
		"updateDropsClaims":        s.updateDropsClaims,
	}
	for _, id := range operationIDs {
		if h[id] == nil {
			panic("kicktest: no handler for " + id)
		}
	}
	return h
}

// ------------------------------------------------------------------ query helpers

// ints parses the values of a repeated (or, with comma, comma-separated) integer parameter the
// spec validated.
func ints(values []string, comma bool) []int64 {
	var out []int64
	for _, v := range values {
		parts := []string{v}
		if comma {
			parts = strings.Split(v, ",")
		}
		for _, p := range parts {
			if n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func csv(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// intParam returns an integer query parameter, or def when it is absent.
func intParam(c *call, name string, def int) int {
	if v := c.r.URL.Query().Get(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// pageOf cuts items at a cursor of cursorOf("offset", n) and returns the page and the next
// cursor ("" on the last page); ok is false for a cursor kicktest did not make.
func pageOf[T any](items []T, cursor string, limit int) (page []T, next string, ok bool) {
	off, ok := offsetCursor(cursor)
	if !ok {
		return nil, "", false
	}
	off = min(off, len(items))
	end := min(off+limit, len(items))
	if end < len(items) {
		next = cursorOf("offset", end)
	}
	return items[off:end], next, true
}

// ------------------------------------------------------------------ categories

type apiCategory struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Tags      []string `json:"tags"`
	Thumbnail string   `json:"thumbnail"`
}

type apiCategorySummary struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Thumbnail string `json:"thumbnail"`
}

type apiCategoryDetail struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Thumbnail   string   `json:"thumbnail"`
	Tags        []string `json:"tags"`
	ViewerCount int64    `json:"viewer_count"`
}

func (st *state) categorySummary(id int64) apiCategorySummary {
	c := st.categories[id]
	return apiCategorySummary{ID: c.id, Name: c.name, Thumbnail: c.thumbnail}
}

// listCategories filters by name (substring, any case), tag (equal, any case) and id; filters of
// one kind are alternatives, kinds combine.
func (s *Server) listCategories(c *call) {
	q := c.r.URL.Query()
	names, tags, ids := csv(q["name"]), csv(q["tag"]), ints(q["id"], true)
	s.mu.Lock()
	var all []apiCategory
	for _, id := range s.st.catOrder {
		cat := s.st.categories[id]
		if len(ids) > 0 && !slices.Contains(ids, cat.id) {
			continue
		}
		if len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool {
			return strings.Contains(strings.ToLower(cat.name), strings.ToLower(n))
		}) {
			continue
		}
		if len(tags) > 0 && !slices.ContainsFunc(tags, func(t string) bool {
			return slices.ContainsFunc(cat.tags, func(ct string) bool { return strings.EqualFold(ct, t) })
		}) {
			continue
		}
		all = append(all, apiCategory{ID: cat.id, Name: cat.name, Tags: slices.Clone(cat.tags), Thumbnail: cat.thumbnail})
	}
	s.mu.Unlock()
	page, next, ok := pageOf(all, q.Get("cursor"), intParam(c, "limit", 25))
	if !ok {
		c.badRequest("Invalid cursor")
		return
	}
	c.page(nonNil(page), next)
}

// searchCategoriesV1 is the deprecated free-text search: 100 a page.
func (s *Server) searchCategoriesV1(c *call) {
	q := strings.ToLower(c.r.URL.Query().Get("q"))
	page := intParam(c, "page", 1)
	s.mu.Lock()
	var all []apiCategorySummary
	for _, id := range s.st.catOrder {
		if cat := s.st.categories[id]; strings.Contains(strings.ToLower(cat.name), q) {
			all = append(all, s.st.categorySummary(id))
		}
	}
	s.mu.Unlock()
	start := min((page-1)*100, len(all))
	c.envelope(nonNil(all[start:min(start+100, len(all))]))
}

func (s *Server) getCategoryV1(c *call) {
	id, _ := strconv.ParseInt(c.r.PathValue("category_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	cat := s.st.categories[id]
	if cat == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	var viewers int64
	for bid, ls := range s.st.streams {
		if s.st.channels[bid].categoryID == id {
			viewers += ls.viewers
		}
	}
	c.envelope(apiCategoryDetail{ID: cat.id, Name: cat.name, Thumbnail: cat.thumbnail, Tags: slices.Clone(cat.tags), ViewerCount: viewers})
}

// ------------------------------------------------------------------ users

type apiUser struct {
	UserID         int64  `json:"user_id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	ProfilePicture string `json:"profile_picture"`
}

// getUsers returns the users asked for, unknown ids left out, or without ids the token's user.
// The email is only filled for the token's own user.
func (s *Server) getUsers(c *call) {
	ids := ints(c.r.URL.Query()["id"], false)
	me := c.userID()
	if len(ids) == 0 && me != 0 {
		ids = []int64{me}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []apiUser{}
	for _, id := range unique(ids) {
		u := s.st.users[id]
		if u == nil {
			continue
		}
		au := apiUser{UserID: u.id, Name: u.username, ProfilePicture: u.profilePicture}
		if id == me {
			au.Email = u.email
		}
		out = append(out, au)
	}
	c.envelope(out)
}

func unique[T comparable](s []T) []T {
	seen := make(map[T]bool, len(s))
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ------------------------------------------------------------------ channels

type apiChannel struct {
	BroadcasterUserID        int64              `json:"broadcaster_user_id"`
	Slug                     string             `json:"slug"`
	ChannelDescription       string             `json:"channel_description"`
	BannerPicture            string             `json:"banner_picture"`
	StreamTitle              string             `json:"stream_title"`
	Category                 apiCategorySummary `json:"category"`
	Stream                   apiStream          `json:"stream"`
	ActiveSubscribersCount   int64              `json:"active_subscribers_count"`
	CanceledSubscribersCount int64              `json:"canceled_subscribers_count"`
}

type apiStream struct {
	IsLive      bool     `json:"is_live"`
	IsMature    bool     `json:"is_mature"`
	Language    string   `json:"language"`
	ViewerCount int64    `json:"viewer_count"`
	StartTime   string   `json:"start_time"`
	Thumbnail   string   `json:"thumbnail"`
	URL         string   `json:"url"`
	Key         string   `json:"key"`
	CustomTags  []string `json:"custom_tags"`
}

// channelJSON renders a channel; withKey fills the stream URL and key.
func (st *state) channelJSON(id int64, withKey bool) apiChannel {
	ch, u := st.channels[id], st.users[id]
	out := apiChannel{
		BroadcasterUserID: id, Slug: u.slug(), ChannelDescription: ch.description, BannerPicture: ch.banner,
		StreamTitle: ch.title, Category: st.categorySummary(ch.categoryID),
		Stream: apiStream{
			IsMature: ch.mature, Language: ch.language, StartTime: "0001-01-01T00:00:00Z",
			Thumbnail: ch.thumbnail, CustomTags: slices.Clone(ch.tags),
		},
		ActiveSubscribersCount: ch.activeSubs, CanceledSubscribersCount: ch.canceledSubs,
	}
	if ls := st.streams[id]; ls != nil {
		out.Stream.IsLive, out.Stream.ViewerCount, out.Stream.StartTime = true, ls.viewers, rfc3339(ls.startedAt)
	}
	if withKey {
		out.Stream.URL, out.Stream.Key = ch.streamURL, ch.streamKey
	}
	return out
}

// getChannels: by ids (unknown ones left out), by slugs (an unknown slug fails the call, as
// reported of Kick), never both, or without parameters the user token's own channel. The stream
// key and URL are only filled for the token owner's channel with streamkey:read.
func (s *Server) getChannels(c *call) {
	q := c.r.URL.Query()
	ids, slugs := ints(q["broadcaster_user_id"], false), q["slug"]
	if len(ids) > 0 && len(slugs) > 0 {
		c.badRequest("Invalid parameters or mixed parameter types")
		return
	}
	me := c.userID()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(slugs) > 0 {
		for _, slug := range unique(slugs) {
			id := s.st.bySlug(slug)
			if id == 0 {
				c.badRequest("Invalid parameters or mixed parameter types")
				return
			}
			ids = append(ids, id)
		}
	}
	if len(q["broadcaster_user_id"]) == 0 && len(slugs) == 0 && me != 0 {
		ids = []int64{me}
	}
	out := []apiChannel{}
	for _, id := range unique(ids) {
		if s.st.channels[id] != nil {
			out = append(out, s.st.channelJSON(id, id == me && c.tok.has("streamkey:read")))
		}
	}
	c.envelope(out)
}

// bySlug returns the user id of a channel slug, any case, or 0.
func (st *state) bySlug(slug string) int64 {
	for _, id := range st.userOrder {
		if strings.EqualFold(st.users[id].slug(), slug) {
			return id
		}
	}
	return 0
}

// updateChannel changes the token owner's stream title, category and custom tags, and sends
// livestream.metadata.updated.
func (s *Server) updateChannel(c *call) {
	var in struct {
		CategoryID  *int64    `json:"category_id"`
		StreamTitle *string   `json:"stream_title"`
		CustomTags  *[]string `json:"custom_tags"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[c.userID()]
	if in.CategoryID != nil && s.st.categories[*in.CategoryID] == nil {
		c.badRequest("Invalid category_id: category %d does not exist", *in.CategoryID)
		return
	}
	if in.CategoryID != nil {
		ch.categoryID = *in.CategoryID
	}
	if in.StreamTitle != nil {
		ch.title = *in.StreamTitle
	}
	if in.CustomTags != nil {
		ch.tags = slices.Clone(*in.CustomTags)
	}
	s.emitLocked(kick.EventLivestreamMetadataUpdated, ch.broadcaster, s.st.metadataEvent(ch.broadcaster))
	c.noContent()
}

// ------------------------------------------------------------------ livestreams

type apiLivestream struct {
	ID               string             `json:"id"`
	BroadcasterUser  apiBroadcaster     `json:"broadcaster_user"`
	Channel          apiLivestreamSlug  `json:"channel"`
	Category         apiCategorySummary `json:"category"`
	Title            string             `json:"title"`
	LanguageCode     string             `json:"language_code"`
	Tags             []string           `json:"tags"`
	HasMatureContent bool               `json:"has_mature_content"`
	Thumbnail        string             `json:"thumbnail"`
	ViewerCount      int64              `json:"viewer_count"`
	StartedAt        string             `json:"started_at"`
}

type apiBroadcaster struct {
	ID             int64  `json:"id"`
	Username       string `json:"username"`
	ProfilePicture string `json:"profile_picture"`
}

type apiLivestreamSlug struct {
	Slug string `json:"slug"`
}

type apiLivestreamV1 struct {
	BroadcasterUserID int64              `json:"broadcaster_user_id"`
	ChannelID         int64              `json:"channel_id"`
	Slug              string             `json:"slug"`
	StreamTitle       string             `json:"stream_title"`
	Language          string             `json:"language"`
	HasMatureContent  bool               `json:"has_mature_content"`
	ViewerCount       int64              `json:"viewer_count"`
	Thumbnail         string             `json:"thumbnail"`
	ProfilePicture    string             `json:"profile_picture"`
	StartedAt         string             `json:"started_at"`
	Category          apiCategorySummary `json:"category"`
	CustomTags        []string           `json:"custom_tags"`
}

func (st *state) livestreamJSON(id int64) apiLivestream {
	ch, u, ls := st.channels[id], st.users[id], st.streams[id]
	return apiLivestream{
		ID:               ls.id,
		BroadcasterUser:  apiBroadcaster{ID: id, Username: u.username, ProfilePicture: u.profilePicture},
		Channel:          apiLivestreamSlug{Slug: u.slug()},
		Category:         st.categorySummary(ch.categoryID),
		Title:            ch.title,
		LanguageCode:     ch.language,
		Tags:             slices.Clone(ch.tags),
		HasMatureContent: ch.mature,
		Thumbnail:        ch.thumbnail,
		ViewerCount:      ls.viewers,
		StartedAt:        rfc3339(ls.startedAt),
	}
}

func (st *state) livestreamV1JSON(id int64) apiLivestreamV1 {
	ch, u, ls := st.channels[id], st.users[id], st.streams[id]
	return apiLivestreamV1{
		BroadcasterUserID: id, ChannelID: ch.id, Slug: u.slug(), StreamTitle: ch.title, Language: ch.language,
		HasMatureContent: ch.mature, ViewerCount: ls.viewers, Thumbnail: ch.thumbnail, ProfilePicture: u.profilePicture,
		StartedAt: rfc3339(ls.startedAt), Category: st.categorySummary(ch.categoryID), CustomTags: slices.Clone(ch.tags),
	}
}

// live returns the broadcasters live now, oldest stream first.
func (st *state) live() []int64 {
	ids := make([]int64, 0, len(st.streams))
	for id := range st.streams {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		return cmp.Or(st.streams[a].startedAt.Compare(st.streams[b].startedAt), cmp.Compare(a, b))
	})
	return ids
}

// listLivestreams lists the live streams oldest first, filtered by categories and languages.
func (s *Server) listLivestreams(c *call) {
	q := c.r.URL.Query()
	cats, langs := ints(q["category_id"], false), q["language_code"]
	s.mu.Lock()
	var all []apiLivestream
	for _, id := range s.st.live() {
		ch := s.st.channels[id]
		if len(cats) > 0 && !slices.Contains(cats, ch.categoryID) {
			continue
		}
		if len(langs) > 0 && !slices.ContainsFunc(langs, func(l string) bool { return strings.EqualFold(l, ch.language) }) {
			continue
		}
		all = append(all, s.st.livestreamJSON(id))
	}
	s.mu.Unlock()
	page, next, ok := pageOf(all, q.Get("cursor"), intParam(c, "limit", 100))
	if !ok {
		c.badRequest("Invalid cursor")
		return
	}
	c.page(nonNil(page), next)
}

// getLivestreamsV1 is the deprecated list: by broadcasters, category and language, sorted by
// viewers (the default) or start time, newest first.
func (s *Server) getLivestreamsV1(c *call) {
	q := c.r.URL.Query()
	ids := ints(q["broadcaster_user_id"], false)
	cat := int64(intParam(c, "category_id", 0))
	lang, sortBy := q.Get("language"), q.Get("sort")
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.st.live()
	if sortBy == "started_at" {
		slices.Reverse(live)
	} else {
		slices.SortStableFunc(live, func(a, b int64) int { return cmp.Compare(s.st.streams[b].viewers, s.st.streams[a].viewers) })
	}
	out := []apiLivestreamV1{}
	for _, id := range live {
		ch := s.st.channels[id]
		if (len(ids) > 0 && !slices.Contains(ids, id)) || (cat != 0 && ch.categoryID != cat) || (lang != "" && !strings.EqualFold(lang, ch.language)) {
			continue
		}
		out = append(out, s.st.livestreamV1JSON(id))
	}
	c.envelope(out[:min(len(out), intParam(c, "limit", 25))])
}

func (s *Server) getLivestreamStats(c *call) {
	s.mu.Lock()
	n := len(s.st.streams)
	s.mu.Unlock()
	c.envelope(map[string]int64{"total_count": int64(n)})
}

// getUsersLivestreams returns the livestreams of the users who are live, in the order asked.
func (s *Server) getUsersLivestreams(c *call) {
	ids := ints(c.r.URL.Query()["user_id"], false)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []apiLivestream{}
	for _, id := range unique(ids) {
		if s.st.streams[id] != nil {
			out = append(out, s.st.livestreamJSON(id))
		}
	}
	c.envelope(out)
}

// ------------------------------------------------------------------ public key, KICKs

func (s *Server) getPublicKey(c *call) {
	c.envelope(map[string]string{"public_key": strings.TrimSpace(PublicKeyPEM())})
}

type apiLeaderboardEntry struct {
	Rank         int    `json:"rank"`
	UserID       int64  `json:"user_id"`
	Username     string `json:"username"`
	GiftedAmount int64  `json:"gifted_amount"`
}

// getKicksLeaderboard ranks the gifters of the token owner's channel over its lifetime, the
// current calendar month and the current week (from Monday), in UTC of the server's clock.
func (s *Server) getKicksLeaderboard(c *call) {
	top := intParam(c, "top", 10)
	now := s.cfg.now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	week := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	s.mu.Lock()
	defer s.mu.Unlock()
	board := func(since time.Time) []apiLeaderboardEntry {
		sums := map[int64]int64{}
		for _, g := range s.st.gifts {
			if g.broadcaster == c.userID() && !g.at.Before(since) && !g.at.After(now) {
				sums[g.sender] += g.amount
			}
		}
		out := []apiLeaderboardEntry{}
		for id, sum := range sums {
			out = append(out, apiLeaderboardEntry{UserID: id, Username: s.st.users[id].username, GiftedAmount: sum})
		}
		slices.SortFunc(out, func(a, b apiLeaderboardEntry) int {
			return cmp.Or(cmp.Compare(b.GiftedAmount, a.GiftedAmount), cmp.Compare(a.UserID, b.UserID))
		})
		out = out[:min(len(out), top)]
		for i := range out {
			out[i].Rank = i + 1
		}
		return out
	}
	c.envelope(map[string][]apiLeaderboardEntry{"lifetime": board(time.Time{}), "month": board(month), "week": board(week)})
}
