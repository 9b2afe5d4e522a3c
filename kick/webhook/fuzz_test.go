package webhook_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// The fuzz targets' seed corpora are the files under testdata/fuzz/<FuzzName>/, written by
// fuzzSeeds. After changing fuzzSeeds, rewrite them with
//
//	go test -run=TestFuzzCorpus ./kick/webhook/ -update-corpus
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpora under testdata/fuzz")

// verifySentinels are the errors Verify may return, each matched by errors.Is.
var verifySentinels = []error{
	webhook.ErrMissingHeader, webhook.ErrInvalidHeader, webhook.ErrInvalidTimestamp,
	webhook.ErrInvalidSignatureEncoding, webhook.ErrSignatureMismatch, webhook.ErrTooOld, webhook.ErrTooNew,
}

// rawSignatureValid is the independent check: base64, SHA-256 over the concatenation,
// rsa.VerifyPKCS1v15.
func rawSignatureValid(id, ts, sig string, body []byte) bool {
	s, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(id + "." + ts + "." + string(body)))
	return rsa.VerifyPKCS1v15(testSigner().PublicKey(), crypto.SHA256, digest[:], s) == nil
}

// fuzzHeaders builds delivery headers, leaving out empty values. A typ of "drops" gives the Drops
// claim webhook's header set.
func fuzzHeaders(id, ts, typ, version, sig string) http.Header {
	h := http.Header{}
	set := func(k, v string) {
		if v != "" {
			h[k] = []string{v} // as received: no canonicalisation or validation of the value
		}
	}
	set(webhook.HeaderMessageID, id)
	set(webhook.HeaderSignature, sig)
	if typ == "drops" {
		set(webhook.HeaderDropsTimestamp, ts)
		return h
	}
	set(webhook.HeaderMessageTimestamp, ts)
	set(webhook.HeaderEventType, typ)
	set(webhook.HeaderEventVersion, version)
	return h
}

// FuzzVerify checks that Verify never panics, fails only with its sentinels, and accepts only
// deliveries whose signature an independent check accepts and whose time is within tolerance.
func FuzzVerify(f *testing.F) {
	v := newVerifier(f, webhook.WithClock(fixedClock(testTime)))
	f.Fuzz(func(t *testing.T, id, ts, typ, version, sig string, body []byte) {
		d, err := v.Verify(context.Background(), fuzzHeaders(id, ts, typ, version, sig), body)
		if err != nil {
			if d != nil {
				t.Fatalf("a delivery with the error %v", err)
			}
			if !slices.ContainsFunc(verifySentinels, func(s error) bool { return errors.Is(err, s) }) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if !rawSignatureValid(id, ts, sig, body) {
			t.Fatalf("accepted a signature the raw check rejects: id=%q ts=%q", id, ts)
		}
		if strings.Contains(id, ".") {
			t.Fatalf("accepted a message id with a dot: %q", id)
		}
		if age := testTime.Sub(d.Timestamp); age > webhook.DefaultTolerance || -age > webhook.DefaultTolerance {
			t.Fatalf("accepted a timestamp %v from the clock", age)
		}
		if d.MessageID != id || !bytes.Equal(d.Body, body) {
			t.Fatalf("delivery %+v does not match its input", d)
		}
		// Any change to the body breaks the signature.
		changed := append(bytes.Clone(body), ' ')
		if _, err := v.Verify(context.Background(), fuzzHeaders(id, ts, typ, version, sig), changed); !errors.Is(err, webhook.ErrSignatureMismatch) {
			t.Fatalf("a changed body: %v", err)
		}
	})
}

// FuzzDecode checks that Decode never panics, fails only with ErrDecode for types it knows, keeps
// unknown types raw, that a decoded event survives encoding to JSON and decoding again, and that
// a known type's payload decodes as it did with encoding/json v1 (checkLikeV1).
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, typ string, version int, body []byte) {
		e, err := webhook.Decode(kick.EventType(typ), version, body)
		known := webhook.Known(kick.EventType(typ), version)
		if known {
			checkLikeV1(t, kick.EventType(typ), version, body)
		}
		if err != nil {
			if !errors.Is(err, webhook.ErrDecode) || !known || e != nil {
				t.Fatalf("Decode = %v, %v (known: %v)", e, err, known)
			}
			return
		}
		if u, ok := e.(*webhook.UnknownEvent); ok {
			if known || !bytes.Equal(u.Raw, body) || u.Err != nil {
				t.Fatalf("UnknownEvent %+v for a known type or with another body", u)
			}
			return
		}
		if !known || string(e.EventType()) != typ || e.EventVersion() != version {
			t.Fatalf("%T for %q version %d", e, typ, version)
		}
		data, err := json.Marshal(e)
		if err != nil {
			return // such as a year past 9999, which encoding/json cannot write
		}
		again, err := webhook.Decode(kick.EventType(typ), version, data)
		if err != nil {
			t.Fatalf("decoding the encoded event: %v\n%s", err, data)
		}
		if diff := cmp.Diff(e, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzHandler checks that the Handler never panics, answers only its documented statuses, and
// calls user code only for deliveries with a valid signature.
func FuzzHandler(f *testing.F) {
	v := newVerifier(f, webhook.WithClock(fixedClock(testTime)))
	f.Fuzz(func(t *testing.T, method, id, ts, typ, version, sig string, body []byte) {
		h, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithMaxBodyBytes(8<<10))
		if err != nil {
			t.Fatal(err)
		}
		var calls, typed atomic.Int32
		count := func() error { calls.Add(1); return nil }
		countTyped := func() error { typed.Add(1); return count() }
		h.OnChatMessageSent(func(context.Context, *webhook.Delivery, *webhook.ChatMessageSent) error { return countTyped() })
		h.OnKicksGifted(func(context.Context, *webhook.Delivery, *webhook.KicksGifted) error { return countTyped() })
		h.OnDropsClaim(func(context.Context, *webhook.Delivery, *webhook.DropsClaim) error { return countTyped() })
		h.OnDefault(func(context.Context, *webhook.Delivery, webhook.Event) error { return count() })

		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		if method != "" && method != http.MethodPost && !strings.ContainsAny(method, " \t\r\n") {
			req.Method = method
		}
		req.Header = fuzzHeaders(id, ts, typ, version, sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)

		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusForbidden, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d", w.Code)
		}
		if w.Code != http.StatusOK {
			if calls.Load() != 0 {
				t.Fatalf("user code called, then status %d", w.Code)
			}
			if got := strings.TrimSpace(w.Body.String()); got != http.StatusText(w.Code) {
				t.Fatalf("status %d with body %q", w.Code, got)
			}
			return
		}
		if req.Method != http.MethodPost || !rawSignatureValid(id, ts, sig, body) {
			t.Fatalf("200 for %s with an invalid signature", req.Method)
		}
		if calls.Load() > 1 {
			t.Fatalf("%d calls for one delivery", calls.Load())
		}
		// A typed function gets only a payload that fits its label, which Kick does not sign.
		if typed.Load() == 1 {
			label, v := kick.EventType(typ), webhook.ParseVersion(version)
			if typ == "drops" {
				label, v = webhook.EventDropsClaim, 0
			}
			if e, err := webhook.Decode(label, v, body); err != nil || e.EventType() != label {
				t.Fatalf("a typed function got a %s payload that decodes as %v, %v", label, e, err)
			}
		}
	})
}

// fuzzSeeds returns the seed corpus of each fuzz target: valid signed deliveries of every docs
// example and Drops claim, and a few of each kind of broken one.
func fuzzSeeds(t *testing.T) map[string]map[string][]any {
	s := testSigner()
	verify := map[string][]any{}
	decode := map[string][]any{}
	handler := map[string][]any{}
	for _, f := range fixtures(t) {
		if f.fromSpec {
			continue
		}
		name := strings.TrimSuffix(strings.ReplaceAll(f.name, "/", "-"), ".json")
		typ, version := string(f.typ), versionHeader(f.version)
		if f.typ == webhook.EventDropsClaim {
			typ = "drops"
		}
		sig := s.Sign(testMessageID, testTimestamp, f.body)
		verify["valid-"+name] = []any{testMessageID, testTimestamp, typ, version, sig, f.body}
		handler["valid-"+name] = []any{"POST", testMessageID, testTimestamp, typ, version, sig, f.body}
		decode[name] = []any{string(f.typ), f.version, f.body}
	}
	body := chatBody(t)
	sig := s.Sign(testMessageID, testTimestamp, body)
	chat := string(kick.EventChatMessageSent)
	offset := "2025-01-15T03:08:06.25+11:00"
	verify["valid-offset-timestamp"] = []any{testMessageID, offset, chat, "1", s.Sign(testMessageID, offset, body), body}
	verify["valid-uuid-id"] = []any{"6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a", testTimestamp, chat, "1", s.Sign("6f0c4e1a-7d2b-4c1e-9a8f-3b5d2e1c0f9a", testTimestamp, body), body}
	verify["bad-signature-encoding"] = []any{testMessageID, testTimestamp, chat, "1", "not base64!", body}
	verify["bad-dotted-id"] = []any{testMessageID + ".2025", testTimestamp, chat, "1", sig, body}
	verify["bad-missing-type"] = []any{testMessageID, testTimestamp, "", "1", sig, body}
	verify["bad-stale"] = []any{testMessageID, "2025-01-14T15:08:06Z", chat, "1", s.Sign(testMessageID, "2025-01-14T15:08:06Z", body), body}
	verify["bad-timestamp"] = []any{testMessageID, "2025-01-14 16:08:06", chat, "1", sig, body}
	verify["bad-empty"] = []any{"", "", "", "", "", []byte{}}

	decode["emote-id-number"] = []any{chat, 1, []byte(`{"emotes":[{"emote_id":37226,"positions":[{"s":0,"e":17}]}]}`)}
	decode["capitalised-category"] = []any{string(kick.EventLivestreamMetadataUpdated), 1, []byte(`{"metadata":{"Category":{"id":15,"name":"Just Chatting"}}}`)}
	decode["unknown-type"] = []any{"channel.raid", 1, []byte(`{"viewers":3}`)}
	decode["unknown-version"] = []any{chat, 2, body}
	decode["bad-null"] = []any{chat, 1, []byte(`null`)}
	decode["bad-user-id"] = []any{string(kick.EventChannelFollowed), 1, []byte(`{"follower":{"user_id":"1"}}`)}
	// Relabelled payloads: Kick does not sign the type. Only the last one fits its new label.
	for _, r := range []struct{ from, as kick.EventType }{
		{kick.EventChatMessageSent, kick.EventChannelFollowed},
		{kick.EventModerationBanned, kick.EventLivestreamMetadataUpdated},
		{kick.EventChannelFollowed, kick.EventKicksGifted},
		{kick.EventChannelSubscriptionNew, kick.EventChannelSubscriptionRenewal},
	} {
		decode["relabel-"+string(r.from)+"-as-"+string(r.as)] = []any{string(r.as), 1, fixtureBody(t, string(r.from)+".json")}
	}
	decode["relabel-chat-as-drops"] = []any{string(webhook.EventDropsClaim), 0, body}
	// Deliveries shaped as Kick really sent them (testdata/webhooks/real).
	for _, rd := range realDeliveries(t) {
		decode["real-"+strings.TrimSuffix(rd.name, ".json")] = []any{string(rd.d.Type), rd.d.Version, rd.d.Body}
	}

	handler["bad-method"] = []any{"GET", testMessageID, testTimestamp, chat, "1", sig, body}
	handler["bad-signature"] = []any{"POST", testMessageID, testTimestamp, chat, "1", s.Sign("x", testTimestamp, body), body}
	handler["bad-stale"] = []any{"POST", testMessageID, "2025-01-14T15:08:06Z", chat, "1", s.Sign(testMessageID, "2025-01-14T15:08:06Z", body), body}
	handler["bad-too-large"] = []any{"POST", testMessageID, testTimestamp, chat, "1", sig, bytes.Repeat([]byte("x"), 9<<10)}
	handler["valid-unknown-type"] = []any{"POST", testMessageID, testTimestamp, "channel.raid", "1", s.Sign(testMessageID, testTimestamp, []byte(`{}`)), []byte(`{}`)}
	for _, as := range []string{string(kick.EventChannelFollowed), string(kick.EventKicksGifted), "drops", "channel.raid"} {
		handler["relabel-chat-as-"+as] = []any{"POST", testMessageID, testTimestamp, as, "1", sig, body}
	}
	handler["relabel-chat-as-version-2"] = []any{"POST", testMessageID, testTimestamp, chat, "2", sig, body}
	gifted := fixtureBody(t, "kicks.gifted.json")
	handler["relabel-kicks-as-chat"] = []any{"POST", testMessageID, testTimestamp, chat, "1", s.Sign(testMessageID, testTimestamp, gifted), gifted}
	undecodable := []byte(`{"sender":"nobody"}`)
	handler["valid-undecodable"] = []any{"POST", testMessageID, testTimestamp, chat, "1", s.Sign(testMessageID, testTimestamp, undecodable), undecodable}
	return map[string]map[string][]any{"FuzzVerify": verify, "FuzzDecode": decode, "FuzzHandler": handler}
}

// versionHeader is the Kick-Event-Version of a version: "" for 0, a Drops claim's.
func versionHeader(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// fixtureBody returns the payload file name of testdata/webhooks.
func fixtureBody(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// corpusFile encodes one seed in the format of Go's fuzzing corpus files.
func corpusFile(values []any) []byte {
	var b bytes.Buffer
	b.WriteString("go test fuzz v1\n")
	for _, v := range values {
		switch v := v.(type) {
		case string:
			fmt.Fprintf(&b, "string(%s)\n", strconv.Quote(v))
		case int:
			fmt.Fprintf(&b, "int(%d)\n", v)
		case []byte:
			fmt.Fprintf(&b, "[]byte(%s)\n", strconv.Quote(string(v)))
		default:
			panic(fmt.Sprintf("corpus value of type %T", v))
		}
	}
	return b.Bytes()
}

// The seed corpora on disk are the ones fuzzSeeds writes; -update-corpus rewrites them.
func TestFuzzCorpus(t *testing.T) {
	t.Parallel()
	for target, seeds := range fuzzSeeds(t) {
		dir := filepath.Join("testdata", "fuzz", target)
		if *updateCorpus {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for name, values := range seeds {
			path := filepath.Join(dir, name)
			want := corpusFile(values)
			if *updateCorpus {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%v; run go test -run=TestFuzzCorpus ./kick/webhook/ -update-corpus", err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is stale; run go test -run=TestFuzzCorpus ./kick/webhook/ -update-corpus", path)
			}
		}
	}
}
