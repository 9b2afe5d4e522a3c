package kick_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

// revealCases are the models that hold secrets, each with the secrets it holds.
func revealCases() []struct {
	name    string
	value   any // the model
	reveal  json.Marshaler
	decoded func([]byte) (any, error)
	secrets []string
} {
	ch := fixtureChannels[0]
	tok := kick.Token{AccessToken: "at-7f3c", TokenType: "Bearer", RefreshToken: "rt-91ab", ExpiresIn: 2 * time.Hour, Scopes: []kick.Scope{kick.ScopeUserRead, kick.ScopeChatWrite}}
	req := kick.TokenRequestParams{GrantType: kick.GrantAuthorizationCode, ClientID: "cid", ClientSecret: "cs-5d2e", Code: "code-8c1f",
		RedirectURI: "http://127.0.0.1:8080/cb", CodeVerifier: kick.Secret(strings.Repeat("v", 43)), RefreshToken: "rt-33aa"}
	// decode unmarshals into a new value of v's type.
	decode := func(v any) func([]byte) (any, error) {
		return func(b []byte) (any, error) {
			out := reflect.New(reflect.TypeOf(v))
			err := json.Unmarshal(b, out.Interface())
			return out.Elem().Interface(), err
		}
	}
	return []struct {
		name    string
		value   any
		reveal  json.Marshaler
		decoded func([]byte) (any, error)
		secrets []string
	}{
		{"Channel", ch, kick.Reveal(ch), decode(ch), []string{fixtureStreamKey}},
		{"Stream", ch.Stream, kick.Reveal(ch.Stream), decode(ch.Stream), []string{fixtureStreamKey}},
		{"Token", tok, kick.Reveal(tok), decode(tok), []string{"at-7f3c", "rt-91ab"}},
		{"TokenRequestParams", req, kick.Reveal(req), decode(req), []string{"cs-5d2e", "code-8c1f", strings.Repeat("v", 43), "rt-33aa"}},
		{"Secret", kick.Secret("s3cr3t"), kick.Reveal(kick.Secret("s3cr3t")), decode(kick.Secret("")), []string{"s3cr3t"}},
	}
}

// A model's JSON never holds its secrets; Reveal's JSON holds them all and decodes back into the
// same model.
func TestRevealMarshalsSecrets(t *testing.T) {
	t.Parallel()
	for _, tc := range revealCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plain, err := json.Marshal(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.secrets {
				if bytes.Contains(plain, []byte(s)) {
					t.Errorf("json.Marshal leaks %q: %s", s, plain)
				}
			}
			if !bytes.Contains(plain, []byte(`"REDACTED"`)) {
				t.Errorf("json.Marshal has no REDACTED: %s", plain)
			}
			revealed, err := json.Marshal(tc.reveal)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.secrets {
				if !bytes.Contains(revealed, []byte(fmt.Sprintf("%q", s))) {
					t.Errorf("json.Marshal(Reveal) lacks %q: %s", s, revealed)
				}
			}
			got, err := tc.decoded(revealed)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.value, got); diff != "" {
				t.Errorf("Reveal's JSON does not round-trip (-want +got):\n%s", diff)
			}
			// fmt still redacts a Revealed value: only JSON reveals.
			if out := fmt.Sprintf("%v %+v", tc.reveal, tc.reveal); strings.Contains(out, tc.secrets[0]) {
				t.Errorf("fmt of Reveal(...) leaks: %s", out)
			}
		})
	}
}

// Revealed unmarshals into its value, a pointer included, so that a struct of the user's with a
// Revealed field round-trips.
func TestRevealedUnmarshal(t *testing.T) {
	t.Parallel()
	type stored struct {
		Token   kick.Revealed[kick.Token]    `json:"token"`
		Channel kick.Revealed[*kick.Channel] `json:"channel"`
	}
	ch := fixtureChannels[0]
	in := stored{Token: kick.Reveal(kick.Token{AccessToken: "at", TokenType: "Bearer", ExpiresIn: time.Minute}), Channel: kick.Reveal(&ch)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out stored
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if out.Channel.Value.Stream.Key.Reveal() != fixtureStreamKey {
		t.Errorf("stream key = %q after the round trip", out.Channel.Value.Stream.Key.Reveal())
	}
}

// An empty secret is "" everywhere, and omitted from a model's JSON where Kick's field is optional.
func TestSecretEmpty(t *testing.T) {
	t.Parallel()
	var s kick.Secret
	if s.String() != "" || s.GoString() != `""` || s.LogValue().String() != "" {
		t.Errorf("empty secret prints %q %q %q", s.String(), s.GoString(), s.LogValue())
	}
	b, err := json.Marshal(kick.Stream{Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`"key"`)) || bytes.Contains(b, []byte(`"url"`)) {
		t.Errorf("stream without key: %s", b)
	}
}
