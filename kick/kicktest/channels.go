// Channels (https://docs.kick.com/apis/channels).

package kicktest

import (
	"slices"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/xslices"
)

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
