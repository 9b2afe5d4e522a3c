package kickauth_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

const (
	testClientID     = "01TESTCLIENTID"
	testClientSecret = "client-secret-4f1e9c"
	testRedirectURL  = "http://localhost:8080/callback"
)

// fakeKick is a fake id.kick.com: /oauth/authorize and /oauth/token with the three grants. It
// checks requests the way Kick documents them and fails the test on anything else: client
// credentials in the form body (never a header), the registered redirect URI, PKCE S256. Refresh
// tokens rotate: a used one is answered with invalid_grant.
type fakeKick struct {
	t   testing.TB
	srv *httptest.Server
	mux *http.ServeMux

	// Set before the first request.
	userExpiresIn int // seconds; 7200 by default, like Kick
	appExpiresIn  int // seconds; 5184000 by default, like Kick
	// keepRefreshToken makes refresh answers carry no refresh_token (the old one stays valid).
	keepRefreshToken bool
	// beforeRefreshAnswer runs in the handler after a refresh succeeded, before the answer is
	// written; it gets the new token.
	beforeRefreshAnswer func(access, refresh string)
	// echoSecrets makes invalid_grant answers echo the form in the error description, like a
	// misbehaving server, to prove errors are scrubbed.
	echoSecrets bool
	// failStatus, if set, answers refresh requests with this status and an HTML page.
	failStatus int
	// onRefresh, if set, runs as each refresh request arrives, before it is handled, with the
	// refresh token it presents.
	onRefresh func(refreshToken string)
	// arrived, if set, receives the grant type of each token request as it arrives; gate, if set,
	// holds each token request until a value is received from it (or it is closed).
	arrived chan string
	gate    chan struct{}

	mu      sync.Mutex
	codes   map[string]authorization // issued, unused codes
	refresh map[string]bool          // valid refresh tokens
	issued  []string                 // every token issued, for leak checks
	counts  map[string]int           // requests per grant_type
	seq     int
}

type authorization struct {
	challenge, redirectURI, scope string
}

func newFakeKick(t testing.TB) *fakeKick {
	f := &fakeKick{t: t, userExpiresIn: 7200, appExpiresIn: 5184000,
		codes: map[string]authorization{}, refresh: map[string]bool{}, counts: map[string]int{}}
	f.mux = http.NewServeMux()
	f.mux.HandleFunc("GET /oauth/authorize", f.authorize)
	f.mux.HandleFunc("POST /oauth/token", f.token)
	f.srv = httptest.NewServer(f.mux)
	t.Cleanup(f.srv.Close)
	return f
}

// config returns a config for the fake with the given scopes.
func (f *fakeKick) config(scopes ...kick.Scope) *oauth2.Config {
	cfg := kickauth.NewConfig(testClientID, testClientSecret, testRedirectURL, scopes...)
	cfg.Endpoint = kickauth.EndpointAt(f.srv.URL)
	return cfg
}

// count returns how many token requests of grantType the fake answered (successfully or not).
func (f *fakeKick) count(grantType string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[grantType]
}

// secrets returns every token the fake issued, plus the client secret.
func (f *fakeKick) secrets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{testClientSecret}, f.issued...)
}

// seedUserToken registers a valid refresh token, as if issued earlier, and returns a user token
// holding it that expires at expiry.
func (f *fakeKick) seedUserToken(expiry time.Time) *oauth2.Token {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, rt := f.newTokenLocked("at"), f.newTokenLocked("rt")
	f.refresh[rt] = true
	tok := &oauth2.Token{AccessToken: at, TokenType: "Bearer", RefreshToken: rt, Expiry: expiry}
	return tok.WithExtra(map[string]any{"scope": "user:read"})
}

// lastIssued returns the last token the fake issued.
func (f *fakeKick) lastIssued() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.issued[len(f.issued)-1]
}

// setBarrier makes GET /barrier answer once n requests are waiting on it.
func (f *fakeKick) setBarrier(n int) {
	all := make(chan struct{})
	var mu sync.Mutex
	arrived := 0
	f.mux.HandleFunc("GET /barrier", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if arrived++; arrived == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
		case <-r.Context().Done():
		}
	})
}

// revokeAll makes every refresh token invalid, like a user revoking the app.
func (f *fakeKick) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.refresh)
}

func (f *fakeKick) newTokenLocked(kind string) string {
	f.seq++
	b := make([]byte, 12)
	rand.Read(b)
	s := fmt.Sprintf("%s-%03d-%s", kind, f.seq, hex.EncodeToString(b))
	f.issued = append(f.issued, s)
	return s
}

func (f *fakeKick) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k, want := range map[string]string{"response_type": "code", "client_id": testClientID,
		"redirect_uri": testRedirectURL, "code_challenge_method": "S256"} {
		if got := q.Get(k); got != want {
			f.t.Errorf("authorize: %s = %q, want %q", k, got, want)
			http.Error(w, `{"error":"Invalid request"}`, http.StatusBadRequest)
			return
		}
	}
	if q.Get("state") == "" || len(q.Get("code_challenge")) != 43 {
		f.t.Errorf("authorize: state %q, code_challenge %q", q.Get("state"), q.Get("code_challenge"))
		http.Error(w, `{"error":"Invalid request"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	code := f.newTokenLocked("code")
	f.codes[code] = authorization{challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri"), scope: q.Get("scope")}
	f.mu.Unlock()
	to, _ := url.Parse(q.Get("redirect_uri"))
	to.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

func (f *fakeKick) token(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		f.t.Errorf("token: Content-Type %q", ct)
	}
	if h := r.Header.Get("Authorization"); h != "" {
		f.t.Errorf("token: Authorization header sent; Kick wants the client credentials in the body")
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("token: %v", err)
	}
	form := r.PostForm
	if len(r.URL.RawQuery) > 0 {
		f.t.Errorf("token: query string %q; everything belongs in the body", r.URL.RawQuery)
	}
	grant := form.Get("grant_type")
	if f.arrived != nil {
		f.arrived <- grant
	}
	if f.gate != nil {
		<-f.gate
	}
	if f.onRefresh != nil && grant == "refresh_token" {
		f.onRefresh(form.Get("refresh_token"))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[grant]++
	if form.Get("client_id") != testClientID || form.Get("client_secret") != testClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "bad client credentials")
		return
	}
	switch grant {
	case "authorization_code":
		a, ok := f.codes[form.Get("code")]
		delete(f.codes, form.Get("code"))
		switch {
		case !ok:
			f.invalidGrant(w, "The authorization code is invalid or was already used.", form)
		case form.Get("redirect_uri") != a.redirectURI:
			f.invalidGrant(w, "redirect_uri does not match", form)
		case oauth2.S256ChallengeFromVerifier(form.Get("code_verifier")) != a.challenge:
			f.invalidGrant(w, "code_verifier does not match the challenge", form)
		default:
			f.issueUserTokenLocked(w, a.scope, "")
		}
	case "client_credentials":
		if len(form) != 3 {
			f.t.Errorf("token: client_credentials form has extra fields: %v", keys(form))
		}
		_ = json.NewEncoder(setJSON(w)).Encode(map[string]any{"access_token": f.newTokenLocked("app"),
			"token_type": "Bearer", "expires_in": f.appExpiresIn})
	case "refresh_token":
		if f.failStatus != 0 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.failStatus)
			fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1>\n<p>upstream down</p></body></html>")
			return
		}
		rt := form.Get("refresh_token")
		if !f.refresh[rt] {
			f.invalidGrant(w, "The refresh token is invalid, expired or revoked.", form)
			return
		}
		if f.keepRefreshToken {
			f.issueUserTokenLocked(w, "user:read", rt)
			return
		}
		delete(f.refresh, rt) // rotation: the old refresh token is spent
		f.issueUserTokenLocked(w, "user:read", "")
	default:
		f.t.Errorf("token: grant_type %q", grant)
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "")
	}
}

// issueUserTokenLocked answers with a new user token; keptRefresh != "" means the answer carries
// no refresh token.
func (f *fakeKick) issueUserTokenLocked(w http.ResponseWriter, scope, keptRefresh string) {
	at := f.newTokenLocked("at")
	body := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": f.userExpiresIn, "scope": scope}
	rt := keptRefresh
	if rt == "" {
		rt = f.newTokenLocked("rt")
		f.refresh[rt] = true
		body["refresh_token"] = rt
	}
	if f.beforeRefreshAnswer != nil {
		f.beforeRefreshAnswer(at, rt)
	}
	_ = json.NewEncoder(setJSON(w)).Encode(body)
}

// invalidGrant answers invalid_grant, echoing the form if echoSecrets is set.
func (f *fakeKick) invalidGrant(w http.ResponseWriter, desc string, form url.Values) {
	if f.echoSecrets {
		desc += " Form: " + form.Encode()
	}
	oauthError(w, http.StatusBadRequest, "invalid_grant", desc)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	setJSON(w).WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func setJSON(w http.ResponseWriter) http.ResponseWriter {
	w.Header().Set("Content-Type", "application/json")
	return w
}

func keys(v url.Values) []string {
	var ks []string
	for k := range v {
		ks = append(ks, k)
	}
	return ks
}
