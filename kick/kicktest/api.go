package kicktest

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/xslices"
)

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

func (st *state) categorySummary(id int64) kick.CategorySummary {
	c := st.categories[id]
	return kick.CategorySummary{ID: c.id, Name: c.name, Thumbnail: c.thumbnail}
}

// listCategories filters by name (substring, any case), tag (equal, any case) and id; filters of
// one kind are alternatives, kinds combine.
func (s *Server) listCategories(c *call) {
	q := c.r.URL.Query()
	names, tags, ids := q["name"], q["tag"], ints(q["id"])
	var all []kick.Category
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
			all = append(all, kick.Category{ID: cat.id, Name: cat.name, Tags: slices.Clone(cat.tags), Thumbnail: cat.thumbnail})
		}
	})
	page, next, ok := pageOf(all, q.Get("cursor"), intParam(c, "limit"))
	if !ok {
		c.badRequest("Invalid cursor")
		return
	}
	c.page(nonNil(page), next)
}

// searchCategoriesPage is the page size of searchCategoriesV1, which has no limit parameter: the
// spec's description says 100.
const searchCategoriesPage = 100

// searchCategoriesV1 is the deprecated free-text search, searchCategoriesPage results a page.
func (s *Server) searchCategoriesV1(c *call) {
	q := strings.ToLower(c.r.URL.Query().Get("q"))
	page := intParam(c, "page")
	var all []kick.CategorySummary
	s.locked(func() {
		for _, id := range s.st.catOrder {
			if cat := s.st.categories[id]; strings.Contains(strings.ToLower(cat.name), q) {
				all = append(all, s.st.categorySummary(id))
			}
		}
	})
	start := min((page-1)*searchCategoriesPage, len(all))
	c.data(nonNil(all[start:min(start+searchCategoriesPage, len(all))]))
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
	c.data(kick.CategoryV1{ID: cat.id, Name: cat.name, Thumbnail: cat.thumbnail, Tags: slices.Clone(cat.tags), ViewerCount: viewers})
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
	out := []kick.User{}
	for _, id := range xslices.Unique(ids) {
		u := s.st.users[id]
		if u == nil {
			continue
		}
		email := ""
		if id == me {
			email = u.email
		}
		out = append(out, kick.User{UserID: u.id, Username: u.username, Email: email, ProfilePicture: u.profilePicture})
	}
	c.data(out)
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
func (st *state) channelJSON(id int64, withKey bool) kick.Revealed[kick.Channel] {
	ch, u := st.channels[id], st.users[id]
	out := kick.Channel{
		BroadcasterUserID: id, Slug: u.slug(), Description: ch.description, BannerPicture: ch.banner,
		StreamTitle: ch.title, Category: st.categorySummary(ch.categoryID),
		Stream: kick.Stream{
			HasMatureContent: ch.mature, Language: ch.language, Thumbnail: ch.thumbnail, CustomTags: slices.Clone(ch.tags),
		},
		ActiveSubscribersCount: ch.activeSubs, CanceledSubscribersCount: ch.canceledSubs,
	}
	if ls := st.streams[id]; ls != nil {
		out.Stream.IsLive, out.Stream.ViewerCount, out.Stream.StartedAt = true, ls.viewers, seconds(ls.startedAt)
	}
	if withKey {
		out.Stream.URL, out.Stream.Key = ch.streamURL, kick.Secret(ch.streamKey)
	}
	// The stream key in clear: the fake is Kick, which sends it.
	return kick.Reveal(out)
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
	out := []kick.Revealed[kick.Channel]{}
	for _, id := range xslices.Unique(ids) {
		if s.st.channels[id] != nil {
			out = append(out, s.st.channelJSON(id, id == me && c.tok.has("streamkey:read")))
		}
	}
	c.data(out)
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
	var in kick.ChannelUpdateParams
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

func (st *state) livestreamJSON(id int64) kick.Livestream {
	ch, u, ls := st.channels[id], st.users[id], st.streams[id]
	return kick.Livestream{
		ID:               ls.id,
		Broadcaster:      kick.LivestreamBroadcaster{UserID: id, Username: u.username, ProfilePicture: u.profilePicture},
		ChannelSlug:      u.slug(),
		Category:         st.categorySummary(ch.categoryID),
		Title:            ch.title,
		Language:         ch.language,
		CustomTags:       slices.Clone(ch.tags),
		HasMatureContent: ch.mature,
		Thumbnail:        ch.thumbnail,
		ViewerCount:      ls.viewers,
		StartedAt:        seconds(ls.startedAt),
	}
}

func (st *state) livestreamV1JSON(id int64) kick.LivestreamV1 {
	ch, u, ls := st.channels[id], st.users[id], st.streams[id]
	return kick.LivestreamV1{
		BroadcasterUserID: id, ChannelID: ch.id, ChannelSlug: u.slug(), Title: ch.title, Language: ch.language,
		HasMatureContent: ch.mature, ViewerCount: ls.viewers, Thumbnail: ch.thumbnail, ProfilePicture: u.profilePicture,
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
	var all []kick.Livestream
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
	c.page(nonNil(page), next)
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
	out := []kick.LivestreamV1{}
	for _, id := range live {
		ch := s.st.channels[id]
		if (len(ids) > 0 && !slices.Contains(ids, id)) || (cat != 0 && ch.categoryID != cat) || (lang != "" && !strings.EqualFold(lang, ch.language)) {
			continue
		}
		out = append(out, s.st.livestreamV1JSON(id))
	}
	c.data(out[:min(len(out), intParam(c, "limit"))])
}

func (s *Server) getLivestreamStats(c *call) {
	var n int
	s.locked(func() { n = len(s.st.streams) })
	c.data(kick.LivestreamStats{TotalCount: int64(n)})
}

// getUsersLivestreams returns the livestreams of the users who are live, in the order asked.
func (s *Server) getUsersLivestreams(c *call) {
	ids := ints(c.r.URL.Query()["user_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []kick.Livestream{}
	for _, id := range xslices.Unique(ids) {
		if s.st.streams[id] != nil {
			out = append(out, s.st.livestreamJSON(id))
		}
	}
	c.data(out)
}

// ------------------------------------------------------------------ public key, KICKs

func (s *Server) getPublicKey(c *call) {
	c.data(kick.PublicKey{PEM: s.publicKeyPEM()})
}

// getKicksLeaderboard ranks the gifters of the token owner's channel over its lifetime, the
// current calendar month and the current week (from Monday), in UTC of the server's clock.
func (s *Server) getKicksLeaderboard(c *call) {
	top := intParam(c, "top")
	now := s.cfg.now()
	week, month := leaderboardPeriods(now)
	s.mu.Lock()
	defer s.mu.Unlock()
	board := func(since time.Time) []kick.KicksLeaderboardEntry {
		sums := map[int64]int64{}
		for _, g := range s.st.gifts {
			if g.broadcaster == c.userID() && !g.at.Before(since) && !g.at.After(now) {
				sums[g.sender] += g.amount
			}
		}
		out := []kick.KicksLeaderboardEntry{}
		for id, sum := range sums {
			out = append(out, kick.KicksLeaderboardEntry{UserID: id, Username: s.st.users[id].username, GiftedAmount: sum})
		}
		slices.SortFunc(out, func(a, b kick.KicksLeaderboardEntry) int {
			return cmp.Or(cmp.Compare(b.GiftedAmount, a.GiftedAmount), cmp.Compare(a.UserID, b.UserID))
		})
		out = out[:min(len(out), top)]
		for i := range out {
			out[i].Rank = i + 1
		}
		return out
	}
	c.data(kick.KicksLeaderboard{Lifetime: board(time.Time{}), Month: board(month), Week: board(week)})
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
