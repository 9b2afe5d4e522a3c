package kick

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// outgoing is one service method's request, as the method describes it from its endpoint: the
// client builds the *http.Request (newRequest) and reads the answer into into. Services build
// requests themselves rather than through the generated client: its request builders parse the
// base URL and format the path on every call, and encode parameters through reflection (one
// allocation per value); the parameters' wire names come from the spec all the same
// (tools/kickgen's param constants) and kicktest checks every request against the spec.
type outgoing struct {
	// pathArg is the value of the path's one parameter ({message_id}); "" for a path without.
	pathArg string
	// query is the query string, in the form style the spec's parameters use.
	query query
	// body is sent as the request body with contentType; nil sends none. contentType alone (a
	// revocation's form header) is sent without a body.
	body        []byte
	contentType string
	// into receives a 2xx JSON answer, decoded with tolerant.Unmarshal: the generated type of the
	// operation's success schema. nil reads nothing: the answer only has to carry the operation's data.
	into any
}

// The header values the client sends, shared by every request: a request's header map is its
// own, but net/http never changes a value slice it was given (each has its capacity, so an append
// copies).
var (
	jsonContentType = []string{"application/json"}[:1:1]
	formContentType = []string{"application/x-www-form-urlencoded"}[:1:1]
)

const (
	contentTypeJSON = "application/json"
	contentTypeForm = "application/x-www-form-urlencoded"
)

// contentTypeValue is the shared header value of a content type.
func contentTypeValue(ct string) []string {
	switch ct {
	case contentTypeJSON:
		return jsonContentType
	case contentTypeForm:
		return formContentType
	}
	return []string{ct}
}

func (o *outgoing) send(ctx context.Context, c *Client, ep endpoint, ci *callInfo) (*http.Response, error) {
	req := c.newRequest(ctx, ep, ci, o)
	return c.http.Do(req) //nolint:gosec // G704: the URL is the endpoint's, under the client's base URL
}

func (o *outgoing) decode(ep endpoint, rsp *http.Response, body []byte) error {
	if o.into == nil {
		return errNoDecoder
	}
	// A JSON answer of a success status is the operation's documented body: Kick answers 200, and
	// 202 has been seen ("Accepted", the Ads API); 204 has no body.
	if ct := rsp.Header.Get("Content-Type"); rsp.StatusCode < 200 || rsp.StatusCode > 299 || rsp.StatusCode == http.StatusNoContent || !strings.Contains(ct, "json") {
		return fmt.Errorf("kick: %s: %d response with Content-Type %q: %w", ep.id, rsp.StatusCode, ct, ErrUnexpectedResponse)
	}
	// One pass of the v2 decoder, with encoding/json v1's tolerance; it keeps no reference to the
	// body, whose buffer is reused.
	if err := tolerant.Unmarshal(body, o.into); err != nil {
		return fmt.Errorf("kick: %s: decode %d response: %w: %w", ep.id, rsp.StatusCode, ErrUnexpectedResponse, err)
	}
	return nil
}

// newRequest builds the request of o to ep, under the API's base URL or, for a path under
// /oauth, the OAuth server's: a URL copied from the parsed base URL (nothing is parsed), and
// headers from values the client holds (User-Agent, Content-Type and the call's first token,
// whose header value its token cache keeps), so that authTransport sends it without a copy.
func (c *Client) newRequest(ctx context.Context, ep endpoint, ci *callInfo, o *outgoing) *http.Request {
	base := c.apiURL
	if onOAuthServer(ep.path) {
		base = c.oauthURL
	}
	u := new(url.URL)
	*u = *base
	path, escaped := ep.path, ""
	if o.pathArg != "" {
		path, escaped = expandPath(ep.path, o.pathArg)
	}
	u.Path = base.Path + path
	if escaped != "" || base.RawPath != "" {
		u.RawPath = base.EscapedPath() + cmpOrString(escaped, path)
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = o.query.String(), false, "", ""

	h := make(http.Header, 3)
	h["User-Agent"] = c.userAgent
	if o.contentType != "" {
		h["Content-Type"] = contentTypeValue(o.contentType)
	}
	ci.authorizeFirst(h)
	r := http.Request{
		Method:     ep.method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
	}
	if o.body != nil {
		// An io.NopCloser over a *bytes.Reader, as http.NewRequest makes: net/http knows it holds
		// the whole body, and writes headers and body at once (another reader gets its headers
		// flushed on their own first, a write more per request).
		b := o.body
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		if len(b) == 0 {
			r.Body, r.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
		}
	}
	return r.WithContext(ctx)
}

// onOAuthServer reports whether a path is served by the OAuth server (id.kick.com) rather than the
// API: the spec gives /oauth and the paths under it their own server (TestOAuthPathsMatchSpecServers
// holds this to the spec). newRequest and NewRequest both route by it.
func onOAuthServer(path string) bool {
	return path == "/oauth" || strings.HasPrefix(path, "/oauth/")
}

// cmpOrString returns a, or b when a is empty.
func cmpOrString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fetch sends o to ep and decodes the 200 JSON answer into o.into (which must be set).
func (c *Client) fetch(ctx context.Context, ep endpoint, opts []RequestOption, o *outgoing) error {
	_, err := c.exchange(ctx, ep, opts, o, nil, false) //nolint:bodyclose // not bare: exchange closes the body and returns no response
	return err
}

// exec sends o to ep, whose success answer carries nothing the caller needs (204, or an envelope
// whose data, when the operation documents one, must still be there).
func (c *Client) exec(ctx context.Context, ep endpoint, opts []RequestOption, o *outgoing) error {
	o.into = nil
	return c.fetch(ctx, ep, opts, o)
}

// jsonRequest is a request whose body is v encoded as encoding/json encodes it, as the generated
// client encoded the spec's request types; into receives the answer, as in outgoing.
func jsonRequest(ep endpoint, v, into any) (*outgoing, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("kick: %s: encode body: %w", ep.id, err)
	}
	return &outgoing{body: b, contentType: contentTypeJSON, into: into}, nil
}

// scratch pools the slices a list answer is decoded into: the generated items, which the service
// converts to kick's at once and no longer needs. Decoding into room already there spares the
// growing of a slice from nothing (1, 2, 4, ... items: about twice the list in garbage) and the
// list itself. A slice goes back zeroed, so that the pool holds nothing of an answer, and only up
// to maxScratchItems items, so that a rare huge page is left to the collector.
type scratch[T any] struct {
	pool sync.Pool
	// reset, when set, zeroes an item but keeps the room of the slices in it, emptied: decoding
	// merges into the items of the room (as encoding/json v1 did), so nested lists reuse theirs.
	reset func(*T)
}

const maxScratchItems = 1000

// get returns an empty slice, with room when the pool has one.
func (s *scratch[T]) get() []T {
	if p, ok := s.pool.Get().(*[]T); ok {
		return (*p)[:0]
	}
	return nil
}

// put gives v back to the pool; v must not be used after.
func (s *scratch[T]) put(v []T) {
	if cap(v) == 0 || cap(v) > maxScratchItems {
		return
	}
	if s.reset != nil {
		for i := range v[:cap(v)] {
			s.reset(&v[:cap(v)][i])
		}
	} else {
		clear(v[:cap(v)])
	}
	s.pool.Put(&v)
}

// The scratch slices of the list answers, by generated item type.
var (
	scratchUsers         scratch[gen.User]
	scratchChannels      scratch[gen.Channel]
	scratchLivestreams   scratch[gen.Livestream]
	scratchLivestreamsV1 scratch[gen.LivestreamV1]
	scratchCategories    scratch[gen.Category]
	scratchCategoriesV1  scratch[gen.CategorySummary]
	scratchClaims        scratch[gen.DropsClaim]
	scratchSubscriptions scratch[gen.EventSubscription]
	scratchResults       scratch[gen.EventSubscriptionResult]
	scratchLeaderboard   scratch[gen.KicksLeaderboardEntry]
	scratchRewards       scratch[gen.ChannelReward]
	scratchGroups        = scratch[gen.RedemptionGroup]{reset: func(g *gen.RedemptionGroup) {
		r := g.Redemptions[:cap(g.Redemptions)]
		clear(r)
		*g = gen.RedemptionGroup{Redemptions: r[:0]}
	}}
	scratchFailed scratch[gen.FailedRedemption]
)
