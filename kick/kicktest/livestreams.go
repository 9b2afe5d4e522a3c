// Livestreams (https://docs.kick.com/apis/livestreams): the v2 list, its stats, by users, and the
// deprecated v1 list.

package kicktest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/xslices"
)

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
