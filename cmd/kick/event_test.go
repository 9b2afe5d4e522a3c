package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// testKey is an RSA key of the tests, for --key and --public-key.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// writeTestKeys writes testKey's private key (PKCS #8) and public key as PEM files.
func writeTestKeys(t *testing.T) (private, public string) {
	t.Helper()
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(testKey())
	if err != nil {
		t.Fatal(err)
	}
	private = filepath.Join(dir, "key.pem")
	writeFile(t, private, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	public = filepath.Join(dir, "pub.pem")
	writeFile(t, public, []byte(webhooktest.NewSignerFromKey(testKey()).PublicKeyPEM()))
	return private, public
}

// received is what a test webhook handler got.
type received struct {
	mu     sync.Mutex
	events []webhook.Event
	errs   []error
}

// webhookServer runs a webhook.Handler that trusts key and records the events it gets.
func webhookServer(t *testing.T, key *rsa.PublicKey) (*httptest.Server, *received) {
	t.Helper()
	rec := &received{}
	v, err := webhook.NewVerifier(webhook.WithPublicKey(key))
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithErrorHook(func(_ *http.Request, _ *webhook.Delivery, err error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.errs = append(rec.errs, err)
	}))
	if err != nil {
		t.Fatal(err)
	}
	h.OnDefault(func(_ context.Context, _ *webhook.Delivery, e webhook.Event) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.events = append(rec.events, e)
		return nil
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, rec
}

func TestEventTriggerEveryTypeWithKey(t *testing.T) {
	t.Parallel()
	private, _ := writeTestKeys(t)
	srv, rec := webhookServer(t, &testKey().PublicKey)
	env := cliEnv(t)
	for _, typ := range sampleTypes() {
		args := []string{"event", "trigger", string(typ), "--to", srv.URL + "/kick/webhook", "--key", private, "--broadcaster", "555"}
		r := runCLI(t, env, args...)
		wantCode(t, r, 0, args...)
		if !strings.HasPrefix(r.stdout, "200 OK "+srv.URL+"/kick/webhook ("+string(typ)) {
			t.Errorf("kick %s: stdout %q", strings.Join(args, " "), r.stdout)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errs) > 0 {
		t.Errorf("the handler reported errors: %v", rec.errs)
	}
	var got []kick.EventType
	for _, e := range rec.events {
		if u, ok := e.(*webhook.UnknownEvent); ok {
			t.Errorf("%s arrived as an unknown event: %v", u.Type, u.Err)
			continue
		}
		got = append(got, e.EventType())
	}
	if diff := cmp.Diff(sampleTypes(), got); diff != "" {
		t.Errorf("event types received (-want +got):\n%s", diff)
	}
}

func TestEventTriggerRefusedByAnotherKey(t *testing.T) {
	t.Parallel()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	private, _ := writeTestKeys(t)
	srv, _ := webhookServer(t, &other.PublicKey)
	r := runCLI(t, cliEnv(t), "event", "trigger", "channel.followed", "--to", srv.URL, "--key", private)
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stdout, "403 Forbidden ") || !strings.Contains(r.stderr, "error: the receiver answered 403 Forbidden") {
		t.Errorf("a refused delivery:\n%s", r)
	}
}

func TestEventTriggerPayloadFile(t *testing.T) {
	t.Parallel()
	private, _ := writeTestKeys(t)
	var gotBody []byte
	var gotHeader http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotBody, _ = io.ReadAll(r.Body)
		gotHeader = r.Header.Clone()
	}))
	defer srv.Close()
	payload := `{"something":"new","x":1}`
	r := runCLIIn(t, cliEnv(t), payload, "event", "trigger", "future.event", "--to", srv.URL, "--key", private,
		"--payload", "-", "--version", "2", "--subscription-id", "sub-1")
	wantCode(t, r, 0)
	if string(gotBody) != payload {
		t.Errorf("body %q, want %q", gotBody, payload)
	}
	for name, want := range map[string]string{
		webhook.HeaderEventType: "future.event", webhook.HeaderEventVersion: "2", webhook.HeaderSubscriptionID: "sub-1",
	} {
		if got := gotHeader.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{webhook.HeaderMessageID, webhook.HeaderMessageTimestamp, webhook.HeaderSignature} {
		if gotHeader.Get(name) == "" {
			t.Errorf("no %s header", name)
		}
	}
}

// capture is a delivery as a test writes it to files for kick event verify.
type capture struct {
	header http.Header
	body   []byte
}

// signedCapture signs a sample delivery of typ at time at with testKey.
func signedCapture(t *testing.T, typ kick.EventType, at time.Time) capture {
	t.Helper()
	body, err := samplePayload(typ, 0, at)
	if err != nil {
		t.Fatal(err)
	}
	d := webhooktest.NewDelivery(typ, body)
	d.Timestamp = at
	return capture{webhooktest.NewSignerFromKey(testKey()).Headers(d), body}
}

// write writes the capture's headers ("Name: value" lines, or JSON) and body to files.
func (c capture) write(t *testing.T, asJSON bool) (headers, body string) {
	t.Helper()
	dir := t.TempDir()
	headers, body = filepath.Join(dir, "headers"), filepath.Join(dir, "body")
	var h strings.Builder
	if asJSON {
		b, err := json.Marshal(c.header)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	} else {
		h.WriteString("POST /kick/webhook HTTP/1.1\r\n")
		if err := c.header.Write(&h); err != nil {
			t.Fatal(err)
		}
		h.WriteString("\r\n")
	}
	writeFile(t, headers, []byte(h.String()))
	writeFile(t, body, c.body)
	return headers, body
}

func TestEventVerify(t *testing.T) {
	t.Parallel()
	_, public := writeTestKeys(t)
	env := cliEnv(t)
	fresh := signedCapture(t, kick.EventChatMessageSent, time.Now())
	old := signedCapture(t, kick.EventModerationBanned, time.Date(2025, 1, 14, 16, 8, 6, 0, time.UTC))
	tampered := fresh
	tampered.body = []byte(strings.Replace(string(fresh.body), "Hello", "Hellp", 1))

	tests := []struct {
		name     string
		c        capture
		json     bool
		flags    []string
		wantCode int
		want     string // in stdout on success, in stderr on failure
	}{
		{"good", fresh, false, nil, 0, "Signature:        valid (" + public + ")"},
		{"good JSON headers", fresh, true, nil, 0, `kickgo_viewer in kickgo_streamer's chat: "Hello from kick event trigger [emote:37226:KEKW]"`},
		{"tampered", tampered, false, nil, 1, "error: the delivery does not verify with " + public + ": webhook: signature mismatch\n" +
			"hint: a delivery of 'kick mock serve' or 'kick event trigger' is signed with the development key: try --dev-key"},
		{"Kick's key", fresh, false, []string{"--kick-key"}, 1, "error: the delivery does not verify with Kick's public key: webhook: signature mismatch"},
		{"old", old, false, nil, 1, "webhook: timestamp too old: sent 2025-01-14T16:08:06Z"},
		{"old: the hint", old, false, nil, 1, "hint: a capture older than five minutes fails the time check: give --at with the time it was received, or --no-time-check"},
		{"old, no time check", old, false, []string{"--no-time-check"}, 0, "kickgo_mod timed out until 2025-01-14T16:18:06Z kickgo_bot in kickgo_streamer's chat"},
		{"old, at its time", old, true, []string{"--at", "2025-01-14T16:09:00Z"}, 0, "Type:             moderation.banned (version 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			headers, body := tt.c.write(t, tt.json)
			args := append([]string{"event", "verify", "--headers", headers, "--body", body}, tt.flags...)
			if !strings.HasPrefix(strings.Join(tt.flags, " "), "--kick-key") {
				args = append(args, "--public-key", public)
			}
			r := runCLI(t, env, args...)
			wantCode(t, r, tt.wantCode, args...)
			out := r.stdout
			if tt.wantCode != 0 {
				out = r.stderr
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output does not contain %q:\n%s", tt.want, r)
			}
		})
	}
}

func TestEventVerifyJSON(t *testing.T) {
	t.Parallel()
	_, public := writeTestKeys(t)
	c := signedCapture(t, kick.EventKicksGifted, time.Now())
	headers, body := c.write(t, false)
	r := runCLI(t, cliEnv(t), "event", "verify", "--headers", headers, "--body", body, "--public-key", public, "-o", "json")
	wantCode(t, r, 0)
	var got struct {
		Valid     bool
		Type      kick.EventType
		Version   int
		MessageID string `json:"message_id"`
		Event     webhook.KicksGifted
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if !got.Valid || got.Type != kick.EventKicksGifted || got.Version != 1 || got.MessageID != c.header.Get(webhook.HeaderMessageID) ||
		got.Event.Gift.Amount != 500 || got.Event.Sender.Username != "kickgo_viewer" {
		t.Errorf("kick event verify -o json:\n%s", r.stdout)
	}
}

func TestParseHeaders(t *testing.T) {
	t.Parallel()
	want := http.Header{"Kick-Event-Type": {"chat.message.sent"}, "Kick-Event-Message-Id": {"01J"}, "X-Two": {"a", "b"}}
	for _, in := range []string{
		"Kick-Event-Type: chat.message.sent\nkick-event-message-id:01J\nX-Two: a\nX-Two: b\n",
		"POST /hook HTTP/1.1\r\nKick-Event-Type: chat.message.sent\r\nKick-Event-Message-Id: 01J\r\nX-Two: a\r\nX-Two: b\r\n\r\n{\"body\": 1}",
		"\n\nKick-Event-Type:  chat.message.sent  \nKick-Event-Message-Id: 01J\nX-Two: a\nX-Two: b",
		`{"Kick-Event-Type": "chat.message.sent", "Kick-Event-Message-Id": ["01J"], "X-Two": ["a", "b"]}`,
	} {
		got, err := parseHeaders([]byte(in))
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", in, diff)
		}
	}
	for _, in := range []string{"", "\n\n", "just text\n", "Bad Name: x\n", `{"A": 1}`, `{"A": `} {
		if h, err := parseHeaders([]byte(in)); err == nil {
			t.Errorf("%q: no error, got %v", in, h)
		}
	}
}

// TestSamplesDecode checks every sample against the webhook package's decoder, strictly: every
// field of the sample is a field of the type.
func TestSamplesDecode(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, typ := range sampleTypes() {
		body, err := samplePayload(typ, 0, now)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		version := 1
		if typ == webhook.EventDropsClaim {
			version = 0
		}
		ev, err := webhook.Decode(typ, version, body)
		if err != nil {
			t.Errorf("%s: %v", typ, err)
			continue
		}
		if _, unknown := ev.(*webhook.UnknownEvent); unknown {
			t.Errorf("%s: decoded as an unknown event", typ)
			continue
		}
		if s := summarize(ev); s == "" || strings.Contains(s, "%!") {
			t.Errorf("%s: summary %q", typ, s)
		}
		// Encoding the decoded event again gives back every field of the sample.
		again, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(jsonKeys(t, body), jsonKeys(t, again)); diff != "" {
			t.Errorf("%s: fields of the sample and of the decoded event (-sample +decoded):\n%s", typ, diff)
		}
	}
	if _, err := samplePayload("no.such.type", 0, now); err == nil {
		t.Error("a sample of an unknown type")
	}
}

// jsonKeys lists the object keys of a JSON document as paths.
func jsonKeys(t *testing.T, data []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var keys []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				keys = append(keys, prefix+k)
				walk(prefix+k+".", e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s%d.", prefix, i), e)
			}
		}
	}
	walk("", v)
	return slices.Sorted(slices.Values(keys))
}

// devWebhookServer runs a webhook.Handler that trusts kicktest's development key.
func devWebhookServer(t *testing.T) (*httptest.Server, *received) {
	t.Helper()
	key, err := webhook.ParsePublicKeyPEM([]byte(kicktest.PublicKeyPEM()))
	if err != nil {
		t.Fatal(err)
	}
	return webhookServer(t, key)
}

func TestEventTriggerWithTheDevKey(t *testing.T) {
	t.Parallel()
	srv, rec := devWebhookServer(t)
	r := runCLI(t, cliEnv(t), "event", "trigger", "chat.message.sent", "--to", srv.URL+"/kick/webhook")
	wantCode(t, r, 0)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.events) != 1 {
		t.Fatalf("%d events, errors %v", len(rec.events), rec.errs)
	}
	e, ok := rec.events[0].(*webhook.ChatMessageSent)
	if !ok {
		t.Fatalf("got a %T", rec.events[0])
	}
	if e.Broadcaster.UserID != kicktest.Streamer.UserID || e.Sender.UserID != kicktest.Viewer.UserID || e.MessageID == "" ||
		time.Since(e.CreatedAt) > time.Minute {
		t.Errorf("event %+v", e)
	}
}

// TestEventVerifyCapturedTrigger captures a delivery of kick event trigger as a receiver gets it,
// and verifies it as it is, and tampered.
func TestEventVerifyCapturedTrigger(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		header http.Header
		body   []byte
	)
	capturer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		header = r.Header.Clone()
		body, _ = io.ReadAll(r.Body)
	}))
	defer capturer.Close()
	env := cliEnv(t)
	wantCode(t, runCLI(t, env, "event", "trigger", "channel.subscription.gifts", "--to", capturer.URL), 0)

	mu.Lock()
	c := capture{header: header, body: body}
	mu.Unlock()
	headers, bodyFile := c.write(t, false)
	r := runCLI(t, env, "event", "verify", "--headers", headers, "--body", bodyFile, "--dev-key")
	wantCode(t, r, 0)
	for _, want := range []string{
		"Signature:        valid (kicktest's development key)",
		"Type:             channel.subscription.gifts (version 1)",
		"Summary:          kickgo_viewer gifted 2 subscription(s) to kickgo_streamer's viewers",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout does not contain %q:\n%s", want, r.stdout)
		}
	}

	tampered := capture{header: c.header, body: bytes.Replace(c.body, []byte(`"duration"`), []byte(`"Duration"`), 1)}
	if bytes.Equal(tampered.body, c.body) {
		tampered.body = append(bytes.Clone(c.body), ' ')
	}
	headers, bodyFile = tampered.write(t, false)
	r = runCLI(t, env, "event", "verify", "--headers", headers, "--body", bodyFile, "--dev-key")
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stderr, "error: the delivery does not verify with kicktest's development key: webhook: signature mismatch\n"+
		"hint: a delivery of Kick is signed with Kick's key: drop --dev-key") || r.stdout != "" {
		t.Errorf("a tampered capture:\n%s", r)
	}

	// The body from stdin.
	headers, _ = c.write(t, true)
	r = runCLIIn(t, env, string(c.body), "event", "verify", "--headers", headers, "--body", "-", "--dev-key")
	wantCode(t, r, 0)
}
