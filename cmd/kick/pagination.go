package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// defaultMaxPages bounds --all, --limit and kick api --paginate: a server whose every page has a
// new cursor would otherwise be followed for ever. 1000 pages of Kick's largest (100 streams)
// is 100,000 items, more than Kick has live.
const defaultMaxPages = 1000

// maxPagesFlag registers --max-pages.
func maxPagesFlag(c *cobra.Command, p *int) {
	c.Flags().IntVar(p, "max-pages", defaultMaxPages, "stop with an error after `N` pages, saying how to go on")
}

// checkMaxPages refuses a --max-pages below 1.
func checkMaxPages(n int) error {
	if n < 1 {
		return usagef("invalid --max-pages %d: want 1 or more", n)
	}
	return nil
}

// pager is the pagination flags of a list: --limit caps the items in all, as gh's does, over as
// many pages as it takes; --page-size is Kick's page size; --cursor starts at a page; --all
// fetches every page; --max-pages bounds the pages of --all and --limit.
type pager struct {
	limit    int
	pageSize int
	cursor   string
	all      bool
	maxPages int

	path string // the operation's path in the spec, for its page size range
	noun string // what the items are, for the progress line
}

// addPager registers the pagination flags of c, a list of the spec's operation at path whose
// default page size is kickDefault.
func addPager(c *cobra.Command, path, noun string, kickDefault int) *pager {
	p := &pager{path: path, noun: noun}
	fs := c.Flags()
	fs.IntVarP(&p.limit, "limit", "L", 0, "print at most `N` "+noun+" in all, over as many pages as it takes (default: one page)")
	fs.IntVar(&p.pageSize, "page-size", 0, fmt.Sprintf("ask Kick for pages of `N` %s (Kick's default: %d)", noun, kickDefault))
	fs.StringVar(&p.cursor, "cursor", "", "start at the page of this `cursor`, as printed after a page")
	fs.BoolVar(&p.all, "all", false, "fetch every page (with progress on a terminal), up to --max-pages")
	maxPagesFlag(c, &p.maxPages)
	c.MarkFlagsMutuallyExclusive("limit", "all")
	_ = fs.SetAnnotation("page-size", kickFieldAnnotation, []string{"Limit"})
	_ = fs.SetAnnotation("cursor", kickFieldAnnotation, []string{"Cursor"})
	return p
}

func (p *pager) check() error {
	if p.limit < 0 {
		return usagef("invalid --limit %d: want a positive number", p.limit)
	}
	if p.pageSize < 0 {
		return usagef("invalid --page-size %d: want a positive number", p.pageSize)
	}
	return checkMaxPages(p.maxPages)
}

// specDoc is the embedded spec, loaded the first time a command needs it.
var specDoc = sync.OnceValues(func() (*openapi3.T, error) {
	return openapi3.NewLoader().LoadFromData(openapi.Spec)
})

// userTokenScheme is the spec's security scheme of user tokens, whose scopes an operation lists.
const userTokenScheme = "UserAccessToken"

// specPageSizes holds the maximum page size of the spec's list operations, by path: read from
// the embedded spec the first time a --limit needs it.
var specPageSizes = sync.OnceValues(func() (map[string]int, error) {
	doc, err := specDoc()
	if err != nil {
		return nil, err
	}
	sizes := map[string]int{}
	for path, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		if p := item.Get.Parameters.GetByInAndName("query", "limit"); p != nil && p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Max != nil {
			sizes[path] = int(*p.Schema.Value.Max)
		}
	}
	return sizes, nil
})

// maxPageSize is the largest page Kick serves for the pager's operation, as the spec says.
func (p *pager) maxPageSize() (int, error) {
	sizes, err := specPageSizes()
	if err != nil {
		return 0, fmt.Errorf("reading the spec's page sizes: %w", err)
	}
	n, ok := sizes[p.path]
	if !ok {
		return 0, fmt.Errorf("the spec gives no page size for %s", p.path)
	}
	return n, nil
}

// fetchPages gets one page, or with --limit pages until it has that many items (each page asked
// for no more than it needs, so that the next cursor continues right after the last item), or
// with --all every page, at most --max-pages of them. Kick validates --page-size (and the cursor)
// against the spec's limits. each, when not nil, takes each page's items as they come, which are
// then not kept in the page returned; without it they are. When a later page fails, or
// --max-pages ends the list, the error says so and the page returned has the cursor to go on at.
func fetchPages[T any](ctx context.Context, a *app, p *pager, list func(ctx context.Context, size int, cursor string) (kick.Page[T], error),
	each func([]T) error) (kick.Page[T], error) {
	out := kick.Page[T]{Items: []T{}}
	maxSize := 0
	if p.limit > 0 && p.pageSize == 0 {
		n, err := p.maxPageSize()
		if err != nil {
			return out, err
		}
		maxSize = n
	}
	prog := a.newProgress(p.noun, p.all || p.limit > 0)
	defer prog.done()
	cursor := p.cursor
	seen := map[string]bool{cursor: true}
	count := 0
	for pages := 1; ; pages++ {
		size := p.pageSize
		if p.limit > 0 {
			if size == 0 {
				size = maxSize
			}
			size = min(size, p.limit-count)
		}
		page, err := list(ctx, size, cursor)
		if err != nil {
			if pages > 1 && ctx.Err() == nil {
				out.NextCursor = cursor
				return out, &partialError{err: err, pages: pages - 1}
			}
			return out, err
		}
		items := page.Items
		if p.limit > 0 {
			items = items[:min(len(items), p.limit-count)]
		}
		count += len(items)
		if each != nil {
			if err := each(items); err != nil {
				return out, err
			}
		} else {
			out.Items = append(out.Items, items...)
		}
		out.NextCursor = page.NextCursor
		prog.update(count, pages)
		switch {
		case p.limit > 0 && count >= p.limit:
			return out, nil
		case !p.all && p.limit == 0:
			return out, nil
		case page.NextCursor == "" || len(page.Items) == 0:
			return out, nil
		case seen[page.NextCursor]:
			out.NextCursor = "" // Kick gave a cursor already followed: there is no next page
			return out, nil
		case pages >= p.maxPages:
			return out, &partialError{err: fmt.Errorf("stopped after %s (--max-pages)", plural(pages, "page")), pages: pages, limit: true}
		}
		cursor = page.NextCursor
		seen[cursor] = true
	}
}

// partialError is a list that failed after some pages, or that --max-pages ended (limit): what
// came is printed, then this.
type partialError struct {
	err   error
	pages int
	limit bool
}

func (e *partialError) Error() string {
	if e.limit {
		return e.err.Error()
	}
	return fmt.Sprintf("stopped after %s: %v", plural(e.pages, "page"), e.err)
}

func (e *partialError) Unwrap() error { return e.err }

// printPage prints a list: in JSON a kick.Page, {"data": [...], "next_cursor": ...}; as a table,
// the rows and, on stderr, the command that gets the next page.
func printPage[T any](ctx context.Context, a *app, c *cobra.Command, o *output, page kick.Page[T], fetchErr error, table func() error) error {
	if err := a.print(ctx, o, page, table); err != nil {
		return err
	}
	return pageHint(a, c, o, page, fetchErr)
}

// pageHint prints, after a table, the command that gets the next page, and returns fetchErr.
func pageHint[T any](a *app, c *cobra.Command, o *output, page kick.Page[T], fetchErr error) error {
	if page.NextCursor != "" && !o.json() {
		what := "More results"
		if fetchErr != nil {
			what = "To go on"
		}
		fmt.Fprintf(a.stderr, "%s: %s\n", what, nextPageCommand(c, page.NextCursor))
	}
	return fetchErr
}

// nextPageCommand is the command line that gets the page of cursor: the command as given, with
// every flag it was given but --cursor and --all (and the secret of the deprecated
// --client-secret), its arguments, and --cursor.
func nextPageCommand(c *cobra.Command, cursor string) string {
	words := strings.Fields(c.CommandPath())
	c.Flags().Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "cursor", "all", "client-secret", "help":
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				words = append(words, "--"+f.Name, shellQuote(v))
			}
			return
		}
		if f.Value.Type() == "bool" {
			if f.Value.String() == "true" {
				words = append(words, "--"+f.Name)
			} else {
				words = append(words, "--"+f.Name+"="+f.Value.String())
			}
			return
		}
		words = append(words, "--"+f.Name, shellQuote(f.Value.String()))
	})
	for _, arg := range c.Flags().Args() {
		words = append(words, shellQuote(arg))
	}
	return strings.Join(append(words, "--cursor", shellQuote(cursor)), " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=@%+,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// progress shows on a terminal's stderr how many items have come, on one line it rewrites.
type progress struct {
	a     *app
	noun  string
	on    bool
	shown bool
}

func (a *app) newProgress(noun string, wanted bool) *progress {
	return &progress{a: a, noun: noun, on: wanted && a.terminalOf(a.stderr).tty}
}

func (p *progress) update(items, pages int) {
	if !p.on {
		return
	}
	p.shown = true
	fmt.Fprintf(p.a.stderr, "\rFetched %s %s (%s)…", strconv.Itoa(items), p.noun, plural(pages, "page"))
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.a.stderr, "\r\x1b[K")
	}
}

// plural is "1 page", "2 pages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// errorIsPartial reports whether err is a list that failed after some pages.
func errorIsPartial(err error) bool {
	var pe *partialError
	return errors.As(err, &pe)
}
