package kick_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/benchpair"
)

// noContent answers every request 204 without a network.
type noContent struct{}

func (noContent) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusNoContent, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

// BenchmarkClientOverhead is what the client costs over the raw baseline without the network:
// both send to a RoundTripper that answers 204 at once, so that the time is the clients' own
// (building the request, the transports, reading the answer), which the loopback server of
// BenchmarkOps dilutes fifty times. kick/raw is the pairs' median ratio (benchpair.Pair). It is a
// diagnostic for profiling the per-request path; `make bench` holds BenchmarkOps to the targets.
//
//	go test -run='^$' -bench='^BenchmarkClientOverhead$' ./kick/
func BenchmarkClientOverhead(b *testing.B) {
	ctx := context.Background()
	c, err := kick.NewClient(kick.WithAPIBaseURL("http://api.kick.invalid"), kick.WithHTTPClient(&http.Client{Transport: noContent{}}),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: benchToken})))
	if err != nil {
		b.Fatal(err)
	}
	rc := &rawClient{hc: &http.Client{Transport: noContent{}}, api: "http://api.kick.invalid", bearerToken: benchToken}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Run("op=Chat.Delete", func(b *testing.B) {
		benchpair.Pair(b, func() {
			must(rc.send(ctx, http.MethodDelete, "/public/v1/chat/"+benchUUID, nil, nil, nil))
		}, func() {
			must(c.Chat.Delete(ctx, benchUUID))
		})
	})
	b.Run("op=Channels.Update", func(b *testing.B) {
		benchpair.Pair(b, func() {
			in := struct {
				CategoryID  int64  `json:"category_id"`
				StreamTitle string `json:"stream_title"`
			}{12, "FORCE WIPE DAY"}
			must(rc.send(ctx, http.MethodPatch, "/public/v1/channels", nil, in, nil))
		}, func() {
			must(c.Channels.Update(ctx, kick.ChannelUpdateParams{StreamTitle: kick.Ptr("FORCE WIPE DAY"), CategoryID: kick.Ptr(int64(12))}))
		})
	})
}
