package kicktest

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/xslices"
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

		"startAdBreak":     s.startAdBreak,
		"getAdBreakStatus": s.getAdBreakStatus,
		"enrollAds":        s.enrollAds,
	}
	for id := range s.spec.ops {
		if h[id] == nil {
			panic("kicktest: no handler for operation " + id + " of the spec")
		}
	}
	for id := range h {
		if s.spec.ops[id] == nil {
			panic("kicktest: a handler for " + id + ", which is not an operation of the spec")
		}
	}
	return h
}

// ------------------------------------------------------------------ query helpers

// ints parses the values of a repeated integer parameter the spec validated.
func ints(values []string) []int64 {
	out := make([]int64, 0, len(values))
	for _, v := range values {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// intParam returns an integer query parameter, or the spec's default for it when it is absent.
func intParam(c *call, name string) int {
	if v := c.r.URL.Query().Get(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return c.op.intDefault(name)
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

func (st *state) categorySummary(id int64) gen.CategorySummary {
	c := st.categories[id]
	return gen.CategorySummary{ID: c.id, Name: c.name, Thumbnail: c.thumbnail}
}

// listCategories filters by name (substring, any case), tag (equal, any case) and id; filters of
// one kind are alternatives, kinds combine.
func (s *Server) listCategories(c *call) {
	q := c.r.URL.Query()
	names, tags, ids := q["name"], q["tag"], ints(q["id"])
	var all []gen.Category
	s.locked(func() {
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
			all = append(all, gen.Category{ID: cat.id, Name: cat.name, Tags: slices.Clone(cat.tags), Thumbnail: cat.thumbnail})
		}
	})
	page, next, ok := pageOf(all, q.Get("cursor"), intParam(c, "limit"))
	if !ok {
		c.badRequest("Invalid cursor")
		return
	}
	c.ok(gen.CategoryPage{Data: nonNil(page), Message: okMessage, Pagination: pagination(next)})
}

// searchCategoriesPage is the page size of searchCategoriesV1, which has no limit parameter: the
// spec's description says 100.
const searchCategoriesPage = 100

// searchCategoriesV1 is the deprecated free-text search, searchCategoriesPage results a page.
func (s *Server) searchCategoriesV1(c *call) {
	q := strings.ToLower(c.r.URL.Query().Get("q"))
	page := intParam(c, "page")
	var all []gen.CategorySummary
	s.locked(func() {
		for _, id := range s.st.catOrder {
			if cat := s.st.categories[id]; strings.Contains(strings.ToLower(cat.name), q) {
				all = append(all, s.st.categorySummary(id))
			}
		}
	})
	start := min((page-1)*searchCategoriesPage, len(all))
	c.ok(gen.CategorySummaryList{Data: nonNil(all[start:min(start+searchCategoriesPage, len(all))]), Message: okMessage})
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
	c.ok(gen.CategoryDetailEnvelope{
		Data:    gen.CategoryDetail{ID: cat.id, Name: cat.name, Thumbnail: cat.thumbnail, Tags: slices.Clone(cat.tags), ViewerCount: &viewers},
		Message: okMessage,
	})
}

// ------------------------------------------------------------------ users

// getUsers returns the users asked for, unknown ids left out, or without ids the token's user.
// The email is only filled for the token's own user.
func (s *Server) getUsers(c *call) {
	ids := ints(c.r.URL.Query()["id"])
	me := c.userID()
	if len(ids) == 0 && me != 0 {
		ids = []int64{me}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []gen.User{}
	for _, id := range xslices.Unique(ids) {
		u := s.st.users[id]
		if u == nil {
			continue
		}
		email := ""
		if id == me {
			email = u.email
		}
		out = append(out, gen.User{UserID: u.id, Name: u.username, Email: &email, ProfilePicture: u.profilePicture})
	}
	c.ok(gen.UserList{Data: out, Message: okMessage})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ------------------------------------------------------------------ channels

// channelJSON renders a channel; withKey fills the stream URL and key, which are empty otherwise.
// An offline channel's stream starts at the zero time, as on Kick.
func (st *state) channelJSON(id int64, withKey bool) gen.Channel {
	ch, u := st.channels[id], st.users[id]
	out := gen.Channel{
		BroadcasterUserID: id, Slug: u.slug(), ChannelDescription: ch.description, BannerPicture: ch.banner,
		StreamTitle: ch.title, Category: st.categorySummary(ch.categoryID),
		Stream: gen.ChannelStream{
			IsMature: ch.mature, Language: ch.language, Thumbnail: ch.thumbnail, CustomTags: slices.Clone(ch.tags),
			URL: ptr(""), Key: ptr(""),
		},
		ActiveSubscribersCount: ptr(ch.activeSubs), CanceledSubscribersCount: ptr(ch.canceledSubs),
	}
	if ls := st.streams[id]; ls != nil {
		out.Stream.IsLive, out.Stream.ViewerCount, out.Stream.StartTime = true, ls.viewers, seconds(ls.startedAt)
	}
	if withKey {
		out.Stream.URL, out.Stream.Key = ptr(ch.streamURL), ptr(ch.streamKey)
	}
	return out
}

// getChannels: by ids (unknown ones left out), by slugs (an unknown slug fails the call, as
// reported of Kick), never both, or without parameters the user token's own channel. The stream
// key and URL are only filled for the token owner's channel with streamkey:read.
func (s *Server) getChannels(c *call) {
	q := c.r.URL.Query()
	ids, slugs := ints(q["broadcaster_user_id"]), q["slug"]
	if len(ids) > 0 && len(slugs) > 0 {
		c.badRequest("Invalid parameters or mixed parameter types")
		return
	}
	me := c.userID()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(slugs) > 0 {
		for _, slug := range xslices.Unique(slugs) {
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
	out := []gen.Channel{}
	for _, id := range xslices.Unique(ids) {
		if s.st.channels[id] != nil {
			out = append(out, s.st.channelJSON(id, id == me && c.tok.has("streamkey:read")))
		}
	}
	c.ok(gen.ChannelList{Data: out, Message: okMessage})
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
	var in gen.ChannelUpdateInput
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
		ch.tags = slices.Clone(in.CustomTags)
	}
	s.emitLocked(kick.EventLivestreamMetadataUpdated, ch.broadcaster, s.st.metadataEvent(ch.broadcaster))
	c.noContent()
}

// ------------------------------------------------------------------ livestreams

func (st *state) livestreamJSON(id int64) gen.Livestream {
	ch, u, ls := st.channels[id], st.users[id], st.streams[id]
	return gen.Livestream{
		ID:               ls.id,
		BroadcasterUser:  gen.LivestreamBroadcaster{ID: id, Username: u.username, ProfilePicture: u.profilePicture},
		Channel:          gen.LivestreamChannel{Slug: u.slug()},
		Category:         st.categorySummary(ch.categoryID),
		Title:            ch.title,
		LanguageCode:     ch.language,
		Tags:             slices.Clone(ch.tags),
		HasMatureContent: ch.mature,
		Thumbnail:        ch.thumbnail,
		ViewerCount:      ls.viewers,
		StartedAt:        seconds(ls.startedAt),
	}
}

func (st *state) livestreamV1JSON(id int64) gen.LivestreamV1 {
	ch, u, ls := st.channels[id], st.users[id], st.streams[id]
	return gen.LivestreamV1{
		BroadcasterUserID: id, ChannelID: ch.id, Slug: u.slug(), StreamTitle: ch.title, Language: ch.language,
		HasMatureContent: ch.mature, ViewerCount: ls.viewers, Thumbnail: ch.thumbnail, ProfilePicture: ptr(u.profilePicture),
		StartedAt: seconds(ls.startedAt), Category: st.categorySummary(ch.categoryID), CustomTags: slices.Clone(ch.tags),
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
	cats, langs := ints(q["category_id"]), q["language_code"]
	var all []gen.Livestream
	s.locked(func() {
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
	})
	page, next, ok := pageOf(all, q.Get("cursor"), intParam(c, "limit"))
	if !ok {
		c.badRequest("Invalid cursor")
		return
	}
	c.ok(gen.LivestreamPage{Data: nonNil(page), Message: okMessage, Pagination: pagination(next)})
}

// getLivestreamsV1 is the deprecated list: by broadcasters, category and language, sorted by
// viewers (the default) or start time, newest first.
func (s *Server) getLivestreamsV1(c *call) {
	q := c.r.URL.Query()
	ids := ints(q["broadcaster_user_id"])
	cat, _ := strconv.ParseInt(q.Get("category_id"), 10, 64)
	lang, sortBy := q.Get("language"), q.Get("sort")
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.st.live()
	if sortBy == "started_at" {
		slices.Reverse(live)
	} else {
		slices.SortStableFunc(live, func(a, b int64) int { return cmp.Compare(s.st.streams[b].viewers, s.st.streams[a].viewers) })
	}
	out := []gen.LivestreamV1{}
	for _, id := range live {
		ch := s.st.channels[id]
		if (len(ids) > 0 && !slices.Contains(ids, id)) || (cat != 0 && ch.categoryID != cat) || (lang != "" && !strings.EqualFold(lang, ch.language)) {
			continue
		}
		out = append(out, s.st.livestreamV1JSON(id))
	}
	c.ok(gen.LivestreamV1List{Data: out[:min(len(out), intParam(c, "limit"))], Message: okMessage})
}

func (s *Server) getLivestreamStats(c *call) {
	var n int
	s.locked(func() { n = len(s.st.streams) })
	c.ok(gen.LivestreamStatsEnvelope{Data: gen.LivestreamStats{TotalCount: int64(n)}, Message: okMessage})
}

// getUsersLivestreams returns the livestreams of the users who are live, in the order asked.
func (s *Server) getUsersLivestreams(c *call) {
	ids := ints(c.r.URL.Query()["user_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []gen.Livestream{}
	for _, id := range xslices.Unique(ids) {
		if s.st.streams[id] != nil {
			out = append(out, s.st.livestreamJSON(id))
		}
	}
	c.ok(gen.LivestreamList{Data: out, Message: okMessage})
}

// ------------------------------------------------------------------ public key, KICKs

func (s *Server) getPublicKey(c *call) {
	c.ok(gen.PublicKeyEnvelope{Data: gen.PublicKey{PublicKey: s.publicKeyPEM()}, Message: okMessage})
}

// getKicksLeaderboard ranks the gifters of the token owner's channel over its lifetime, the
// current calendar month and the current week (from Monday), in UTC of the server's clock.
func (s *Server) getKicksLeaderboard(c *call) {
	top := intParam(c, "top")
	now := s.cfg.now()
	week, month := leaderboardPeriods(now)
	s.mu.Lock()
	defer s.mu.Unlock()
	board := func(since time.Time) []gen.KicksLeaderboardEntry {
		sums := map[int64]int64{}
		for _, g := range s.st.gifts {
			if g.broadcaster == c.userID() && !g.at.Before(since) && !g.at.After(now) {
				sums[g.sender] += g.amount
			}
		}
		out := []gen.KicksLeaderboardEntry{}
		for id, sum := range sums {
			out = append(out, gen.KicksLeaderboardEntry{UserID: id, Username: s.st.users[id].username, GiftedAmount: sum})
		}
		slices.SortFunc(out, func(a, b gen.KicksLeaderboardEntry) int {
			return cmp.Or(cmp.Compare(b.GiftedAmount, a.GiftedAmount), cmp.Compare(a.UserID, b.UserID))
		})
		out = out[:min(len(out), top)]
		for i := range out {
			out[i].Rank = int32(i + 1) //nolint:gosec // top is at most the spec's maximum
		}
		return out
	}
	c.ok(gen.KicksLeaderboardEnvelope{
		Data:    gen.KicksLeaderboard{Lifetime: board(time.Time{}), Month: board(month), Week: board(week)},
		Message: okMessage,
	})
}

// leaderboardPeriods returns the starts of the KICKs leaderboard's week (Monday 00:00) and month
// (the 1st, 00:00) that hold now, in UTC.
func leaderboardPeriods(now time.Time) (week, month time.Time) {
	now = now.UTC()
	month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)), month
}

// later returns the later of a and b, earlier the earlier.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
