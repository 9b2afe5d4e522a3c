// Categories (https://docs.kick.com/apis/categories): the v2 list and the deprecated v1 search and
// get.

package kicktest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

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
