package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
)

// parse decodes a success response of operation id through the generated client's own parser and
// returns the decoded JSON body (JSON200). It finds the operation's method on
// gen.ClientWithResponses by the generator's naming (<Id>WithResponse, or
// <Id>WithFormdataBodyWithResponse for a form body), calls it with zero arguments on a client
// whose doer answers rsp, and reads the parsed response's JSON200.
func parse(t *testing.T, id string, rsp *http.Response) (any, error) {
	t.Helper()
	client, err := gen.NewClientWithResponses("https://api.kick.example", gen.WithHTTPClient(doerFunc(func(*http.Request) (*http.Response, error) {
		return rsp, nil
	})))
	if err != nil {
		t.Fatal(err)
	}
	name := strings.ToUpper(id[:1]) + id[1:]
	m := reflect.ValueOf(client).MethodByName(name + "WithResponse")
	if !m.IsValid() {
		m = reflect.ValueOf(client).MethodByName(name + "WithFormdataBodyWithResponse")
	}
	if !m.IsValid() {
		t.Fatalf("gen.ClientWithResponses has no method for operation %s", id)
	}
	typ := m.Type()
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	for i := 1; i < typ.NumIn(); i++ {
		if typ.IsVariadic() && i == typ.NumIn()-1 {
			break
		}
		args = append(args, reflect.Zero(typ.In(i)))
	}
	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		return nil, err
	}
	body := out[0].Elem().FieldByName("JSON200")
	if !body.IsValid() {
		t.Fatalf("%s: %v has no JSON200", id, out[0].Type())
	}
	return body.Interface(), nil
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func fakeResponse(status int, contentType string, body []byte) *http.Response {
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {contentType}},
		Body:       io.NopCloser(bytes.NewReader(body)),
	}
}

// strictDecode decodes data into a new value of v's type and fails on any field the type lacks:
// the generated types (and so the spec) must describe every field Kick sends.
func strictDecode(t *testing.T, data []byte, typ reflect.Type) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(reflect.New(typ).Interface()); err != nil {
		t.Errorf("strict decode into %v: %v", typ, err)
	}
}

// TestResponseFixturesDecodeIntoGeneratedTypes runs every response fixture through the generated
// client's parser and checks that the generated type holds every field of the fixture.
func TestResponseFixturesDecodeIntoGeneratedTypes(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "responses", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := doc(t)
	ops := map[string]*openapi3.Operation{}
	for _, op := range operations(d) {
		ops[op.id] = d.Paths.Value(op.path).GetOperation(op.method)
	}
	for _, file := range files {
		id := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			op := ops[id]
			if op == nil {
				t.Fatalf("a fixture for %s, which is not an operation of the spec", id)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parse(t, id, fakeResponse(http.StatusOK, "application/json", data))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			v := reflect.ValueOf(got)
			if v.IsNil() {
				t.Fatal("JSON200 is nil")
			}
			// An envelope's generated type has the Data its schema requires.
			_, resp := successResponse(t, op)
			envelope := slices.Contains(resp.Content.Get("application/json").Schema.Value.Required, "data")
			has := v.Elem().Kind() == reflect.Struct && v.Elem().FieldByName("Data").IsValid()
			if has != envelope {
				t.Errorf("%T has a Data field: %t; the schema requires data: %t", got, has, envelope)
			}
			strictDecode(t, data, v.Type().Elem())
		})
	}
}

func TestRevokeFixtureDecodes(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "responses", "revokeToken.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := gen.ParseRevokeTokenResponse(fakeResponse(http.StatusOK, "text/plain", data))
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != "OK" || r.StatusCode() != http.StatusOK {
		t.Errorf("revoke: %d %q", r.StatusCode(), r.Body)
	}
}

// TestWebhookExamplesDecodeIntoGeneratedTypes decodes each webhook example into the generated type
// of its event, strictly.
func TestWebhookExamplesDecodeIntoGeneratedTypes(t *testing.T) {
	t.Parallel()
	types := map[string]reflect.Type{
		"chat.message.sent":                 reflect.TypeFor[gen.ChatMessageSentEvent](),
		"channel.followed":                  reflect.TypeFor[gen.ChannelFollowedEvent](),
		"channel.subscription.renewal":      reflect.TypeFor[gen.ChannelSubscriptionRenewalEvent](),
		"channel.subscription.gifts":        reflect.TypeFor[gen.ChannelSubscriptionGiftsEvent](),
		"channel.subscription.new":          reflect.TypeFor[gen.ChannelSubscriptionNewEvent](),
		"channel.reward.redemption.updated": reflect.TypeFor[gen.ChannelRewardRedemptionUpdatedEvent](),
		"livestream.status.updated":         reflect.TypeFor[gen.LivestreamStatusUpdatedEvent](),
		"livestream.metadata.updated":       reflect.TypeFor[gen.LivestreamMetadataUpdatedEvent](),
		"moderation.banned":                 reflect.TypeFor[gen.ModerationBannedEvent](),
		"kicks.gifted":                      reflect.TypeFor[gen.KicksGiftedEvent](),
		"":                                  reflect.TypeFor[gen.DropsClaimEvent](),
	}
	var headers map[string]struct{ Type, Version string }
	readJSON(t, filepath.Join("..", "testdata", "webhooks", "headers.json"), &headers)
	for file, h := range headers {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			typ, ok := types[h.Type]
			if !ok {
				t.Fatalf("no generated type for %q", h.Type)
			}
			data, err := os.ReadFile(filepath.Join("..", "testdata", "webhooks", filepath.FromSlash(file)))
			if err != nil {
				t.Fatal(err)
			}
			strictDecode(t, data, typ)
		})
	}
}

// TestGeneratedClientHasEveryOperation checks that package gen is the spec's: a method of
// gen.ClientInterface per operation, and no other (`make generate` refreshes it).
func TestGeneratedClientHasEveryOperation(t *testing.T) {
	t.Parallel()
	want := map[string]bool{}
	for _, op := range operations(doc(t)) {
		want[strings.ToUpper(op.id[:1])+op.id[1:]] = true
	}
	iface := reflect.TypeFor[gen.ClientInterface]()
	got := map[string]bool{}
	for i := range iface.NumMethod() {
		// UpdateChannelWithBody and RequestTokenWithFormdataBody are variants of their operation's method.
		name := strings.TrimSuffix(strings.TrimSuffix(iface.Method(i).Name, "WithBody"), "WithFormdataBody")
		got[name] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-spec +gen.ClientInterface):\n%s", diff)
	}
}
