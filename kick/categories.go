package kick

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// CategoriesService lists and searches the stream categories of Kick. Kick docs: Categories.
type CategoriesService service

// Category is a stream category with its tags, as listed by CategoriesService.List. Kick's
// schema: Category.
type Category struct {
	// ID is the category's id.
	ID int64 `json:"id"`
	// Name is the category's name, such as "Just Chatting".
	Name string `json:"name"`
	// Tags are the category's tags, such as "FPS".
	Tags []string `json:"tags"`
	// Thumbnail is the URL of the category's image.
	Thumbnail string `json:"thumbnail"`
}

// CategorySummary is a category as channels, livestreams and webhook events embed it, and as the
// deprecated CategoriesService.SearchV1 finds it: without tags. It is kicktypes.CategorySummary,
// which package webhook uses too. Kick's schema: CategorySummary.
type CategorySummary = kicktypes.CategorySummary

// CategoryV1 is a category as returned by the deprecated CategoriesService.GetV1: a Category with
// a viewer count. Kick's schema: CategoryDetail.
type CategoryV1 struct {
	// ID is the category's id.
	ID int64 `json:"id"`
	// Name is the category's name.
	Name string `json:"name"`
	// Thumbnail is the URL of the category's image.
	Thumbnail string `json:"thumbnail"`
	// Tags are the category's tags.
	Tags []string `json:"tags,omitempty"`
	// ViewerCount is the number of viewers in the category. Kick is reported to no longer fill it:
	// 0 may mean unknown.
	ViewerCount int64 `json:"viewer_count,omitempty"`
}

// CategoryListParams filters CategoriesService.List and All. The zero value lists every category
// with Kick's default page size (25). The filters are sent as repeated keys (name=a&name=b), like
// every array parameter; Kick has not confirmed the encoding for this endpoint. It marshals with
// the query parameters' names.
type CategoryListParams struct {
	// Names matches categories by name; each at least 3 characters.
	Names []string `json:"name,omitempty"`
	// Tags matches categories by tag; each at least 3 characters.
	Tags []string `json:"tag,omitempty"`
	// IDs matches categories by id.
	IDs []int64 `json:"id,omitempty"`
	// Limit is the page size, 1 to 1000; 0 leaves Kick's default.
	Limit int `json:"limit,omitempty"`
	// Cursor starts at the page after the one whose Page.NextCursor it is; "" starts at the first.
	Cursor string `json:"cursor,omitempty"`
}

func (p CategoryListParams) check(op string) error {
	if err := checkCategoryTerms(op, "Names", p.Names, gen.LimitListCategoriesNameItemsMinLength); err != nil {
		return err
	}
	if err := checkCategoryTerms(op, "Tags", p.Tags, gen.LimitListCategoriesTagItemsMinLength); err != nil {
		return err
	}
	if err := checkIDs(op, "IDs", p.IDs); err != nil {
		return err
	}
	// Kick raised the largest page from 100 to 1000 on 2026-01-28.
	if p.Limit < 0 || p.Limit > gen.LimitListCategoriesLimitMaximum {
		return invalid(op, "Limit", "%d is not between %d and %d (0 leaves Kick's default)", p.Limit, gen.LimitListCategoriesLimitMinimum, gen.LimitListCategoriesLimitMaximum)
	}
	return nil
}

// checkCategoryTerms checks the names or tags of listCategories: at least minLen characters each
// (the spec's minLength).
func checkCategoryTerms(op, field string, terms []string, minLen int) error {
	for i, t := range terms {
		if n := utf8.RuneCountInString(t); n < minLen {
			return invalid(op, elem(field, i), "has %d characters, at least %d required", n, minLen)
		}
	}
	return nil
}

// List returns one page of categories matching p. Pass the page's NextCursor as p.Cursor for the
// next page, or use All.
//
// Token: a user token (no scope needed) or an app token. Operation listCategories.
//
// Kick API docs: https://docs.kick.com/apis/categories
func (s *CategoriesService) List(ctx context.Context, p CategoryListParams, opts ...RequestOption) (Page[Category], error) {
	if err := p.check(gen.ListCategories.ID); err != nil {
		return Page[Category]{}, err
	}
	var env pageData[Category]
	if err := s.client.fetch(ctx, gen.ListCategories.Request(p.Cursor, int64(p.Limit), p.Names, p.Tags, p.IDs), opts, &env); err != nil {
		return Page[Category]{}, err
	}
	return env.page(), nil
}

// All iterates over every category matching p, from p.Cursor on, fetching each page when the
// previous one is consumed. It stops after the first error, which it yields.
//
// Token: a user token (no scope needed) or an app token. Operation listCategories.
//
// Kick API docs: https://docs.kick.com/apis/categories
func (s *CategoriesService) All(ctx context.Context, p CategoryListParams, opts ...RequestOption) iter.Seq2[Category, error] {
	return paginate(ctx, p.Cursor, func(ctx context.Context, cursor string) (Page[Category], error) {
		p := p // a copy per page: ranges do not share it
		p.Cursor = cursor
		return s.List(ctx, p, opts...)
	})
}

// Get returns the category with the given id. When Kick has no such category, the error matches
// ErrNotFound (errors.Is); no *APIError is involved, since Kick answers an empty list.
//
// Token: a user token (no scope needed) or an app token. Operation listCategories with the id and
// a limit of 1.
//
// Kick API docs: https://docs.kick.com/apis/categories
func (s *CategoriesService) Get(ctx context.Context, id int64, opts ...RequestOption) (*Category, error) {
	if id <= 0 {
		return nil, invalid(gen.ListCategories.ID, "id", "%d is not a positive id", id)
	}
	page, err := s.List(ctx, CategoryListParams{IDs: []int64{id}, Limit: 1}, opts...)
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		if page.Items[i].ID == id {
			return &page.Items[i], nil
		}
	}
	if len(page.Items) > 0 {
		// Kick ignored the filter: say so rather than pretend the category does not exist.
		return nil, fmt.Errorf("kick: %s: asked for category %d, got category %d: %w", gen.ListCategories.ID, id, page.Items[0].ID, ErrUnexpectedResponse)
	}
	return nil, fmt.Errorf("kick: %s: category %d: %w", gen.ListCategories.ID, id, ErrNotFound)
}

// SearchV1 returns one page (up to 100) of the categories matching the free-text query. page
// counts from 1; 0 leaves Kick's default, the first page. An empty result means no more pages.
//
// Token: a user token (no scope needed) or an app token. Operation searchCategoriesV1.
//
// Kick API docs: https://docs.kick.com/apis/categories
//
// Deprecated: use List with CategoryListParams.Names instead; Kick will remove this endpoint.
func (s *CategoriesService) SearchV1(ctx context.Context, query string, page int, opts ...RequestOption) ([]CategorySummary, error) {
	if query == "" {
		return nil, invalid(gen.SearchCategoriesV1.ID, "query", "is empty")
	}
	if page < 0 || page > math.MaxInt32 {
		return nil, invalid(gen.SearchCategoriesV1.ID, "page", "%d is not a page number from 1 (0 leaves Kick's default)", page)
	}
	var env data[[]CategorySummary]
	if err := s.client.fetch(ctx, gen.SearchCategoriesV1.Request(query, int64(page)), opts, &env); err != nil {
		return nil, err
	}
	return list(env.Data), nil
}

// SearchAllV1 iterates over every category matching the free-text query, fetching pages 1, 2, …
// one at a time as the previous one is consumed, until an empty page. It also stops when a page
// repeats the previous one (a server ignoring the page number), and after the first error, which
// it yields, including ctx's error.
//
// Token: a user token (no scope needed) or an app token. Operation searchCategoriesV1.
//
// Kick API docs: https://docs.kick.com/apis/categories
//
// Deprecated: use All with CategoryListParams.Names instead; Kick will remove this endpoint.
func (s *CategoriesService) SearchAllV1(ctx context.Context, query string, opts ...RequestOption) iter.Seq2[CategorySummary, error] {
	return func(yield func(CategorySummary, error) bool) {
		var prev []CategorySummary
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(CategorySummary{}, err)
				return
			}
			items, err := s.SearchV1(ctx, query, page, opts...)
			if err != nil {
				yield(CategorySummary{}, err)
				return
			}
			if len(items) == 0 || slices.Equal(items, prev) {
				return
			}
			for _, c := range items {
				if !yield(c, nil) {
					return
				}
			}
			prev = items
		}
	}
}

// GetV1 returns the category with the given id, with its viewer count. An unknown id gives an
// *APIError matching ErrNotFound.
//
// Token: a user token (no scope needed) or an app token. Operation getCategoryV1.
//
// Kick API docs: https://docs.kick.com/apis/categories
//
// Deprecated: use Get instead; Kick will remove this endpoint.
func (s *CategoriesService) GetV1(ctx context.Context, id int64, opts ...RequestOption) (*CategoryV1, error) {
	if id <= 0 {
		return nil, invalid(gen.GetCategoryV1.ID, "id", "%d is not a positive id", id)
	}
	var env data[CategoryV1]
	if err := s.client.fetch(ctx, gen.GetCategoryV1.Request(id), opts, &env); err != nil {
		return nil, err
	}
	return &env.Data, nil
}
