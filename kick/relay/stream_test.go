package relay_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// openStream opens the events path with the headers given and returns the response.
func openStream(t *testing.T, tr *testRelay, token, lastEventID, query string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tr.eventsURL()+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// readFrames reads n events (blank-line separated blocks) of a stream, comments skipped.
func readFrames(t *testing.T, r *bufio.Reader, n int) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	for len(out) < n {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d events: %v", len(out), err)
		}
		switch {
		case line == "\n":
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		case strings.HasPrefix(line, ":"):
		default:
			cur.WriteString(line)
		}
	}
	return out
}

// The wire format a consumer in any language reads: Server-Sent Events with the record id, the
// event name and one data line of JSON holding the delivery, its body as Kick's JSON (or base64
// when it spans lines); resuming with Last-Event-ID or ?after=; heartbeats.
func TestStreamWireFormat(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{opts: []relay.Option{relay.WithHeartbeat(20 * time.Millisecond)}})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	d1 := tr.delivery(1001, "one")
	tr.mustPost(d1)
	indented := webhooktest.NewDelivery(kicktypes.EventChatMessageSent, []byte("{\n  \"broadcaster\": {\"user_id\": 1001},\n  \"content\": \"two\"\n}"))
	indented.Timestamp = tr.clock.Now()
	tr.mustPost(indented)

	resp := openStream(t, tr, tok, "0", "")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	frames := readFrames(t, bufio.NewReader(resp.Body), 2)
	recs, err := tr.log.Read(context.Background(), relay.ID{}, 10)
	if err != nil || len(recs) != 2 {
		t.Fatalf("log: %d records, %v", len(recs), err)
	}
	ts := d1.Timestamp.Format(time.RFC3339Nano)
	want := "id: " + recs[0].ID.String() + "\nevent: delivery\ndata: {\"message_id\":\"" + d1.MessageID + "\",\"subscription_id\":\"" +
		d1.SubscriptionID + "\",\"type\":\"chat.message.sent\",\"version\":1,\"timestamp\":\"" + ts + "\",\"broadcaster_user_id\":1001,\"body\":" + string(d1.Body) + "}\n"
	if diff := cmp.Diff(want, frames[0]); diff != "" {
		t.Errorf("first event (-want +got):\n%s", diff)
	}
	data := strings.TrimPrefix(strings.Split(frames[1], "\n")[2], "data: ")
	var second struct {
		Body       json.RawMessage `json:"body"`
		BodyBase64 []byte          `json:"body_base64"`
	}
	if err := json.Unmarshal([]byte(data), &second); err != nil || second.Body != nil || string(second.BodyBase64) != string(indented.Body) {
		t.Errorf("indented body: %s, %v", data, err)
	}

	// Resuming after the first: the second only, by header or by parameter.
	for _, r := range []*http.Response{openStream(t, tr, tok, recs[0].ID.String(), ""), openStream(t, tr, tok, "", "?after="+recs[0].ID.String())} {
		if got := readFrames(t, bufio.NewReader(r.Body), 1)[0]; !strings.HasPrefix(got, "id: "+recs[1].ID.String()+"\n") {
			t.Errorf("resumed: %q", got)
		}
	}
	// No cursor: the next record appended, and heartbeats meanwhile.
	live := bufio.NewReader(openStream(t, tr, tok, "", "").Body)
	if line, err := live.ReadString('\n'); err != nil || line != ": ping\n" {
		t.Errorf("heartbeat: %q, %v", line, err)
	}
	d3 := tr.delivery(1001, "three")
	tr.mustPost(d3)
	if got := readFrames(t, live, 1)[0]; !strings.Contains(got, d3.MessageID) {
		t.Errorf("live: %q", got)
	}
}

// A cursor the log never gave (another relay's, or from before the log was wiped) gets a gap
// event and everything the log holds; a malformed one is refused.
func TestUnknownCursor(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	d := tr.delivery(1001, "one")
	tr.mustPost(d)
	frames := readFrames(t, bufio.NewReader(openStream(t, tr, tok, "99999999999999-0", "").Body), 2)
	if !strings.HasPrefix(frames[0], "id: 0-0\nevent: gap\ndata: {\"after\":\"99999999999999-0\",\"resume_after\":\"0-0\",\"reason\":\"unknown cursor\"}") ||
		!strings.Contains(frames[1], d.MessageID) {
		t.Errorf("frames: %q", frames)
	}
	for _, id := range []string{"x", "-1", "1-2-3", "1-", strings.Repeat("9", 30)} {
		if resp := openStream(t, tr, tok, id, ""); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("Last-Event-ID %q: %d", id, resp.StatusCode)
		}
	}
}

// The routes: POST only on the webhook path (the Handler's 405), GET and HEAD on the events path,
// /healthz, 404 elsewhere; a bearer token is required with a challenge.
func TestRoutes(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, relay.DefaultWebhookPath, http.StatusMethodNotAllowed},
		{http.MethodPost, relay.DefaultEventsPath, http.StatusMethodNotAllowed},
		{http.MethodGet, relay.DefaultEventsPath, http.StatusUnauthorized},
		{http.MethodGet, "/healthz", http.StatusOK},
		{http.MethodGet, "/", http.StatusNotFound},
	} {
		req, _ := http.NewRequest(tc.method, tr.http.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
		if tc.want == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") != `Bearer realm="kick relay"` {
			t.Errorf("challenge: %q", resp.Header.Get("WWW-Authenticate"))
		}
	}
	tok := tr.token(relay.Grant{Broadcasters: []int64{1001}})
	for q, want := range map[string]int{"?broadcaster_user_id=x": 400, "?broadcaster_user_id=2002": 403, "?broadcaster_user_id=1001&type=chat.message.sent": 200} {
		if got := streamStatus(t, tr, tok, q); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
}

// The relay logs consumers coming and going with the token's id, never the token.
func TestLogsHoldNoToken(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	tok := tr.token(relay.Grant{Name: "laptop", Broadcasters: []int64{1001}})
	resp := openStream(t, tr, tok, "", "")
	_ = resp.Body.Close()
	waitUntil(t, "the disconnection", func() bool { return strings.Contains(tr.logText(), "consumer disconnected") })
	text := tr.logText()
	if strings.Contains(text, tok) || strings.Contains(text, strings.TrimPrefix(tok, relay.TokenPrefix)) || !strings.Contains(text, "name=laptop") {
		t.Errorf("log:\n%s", text)
	}
}
