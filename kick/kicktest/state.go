package kicktest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// state is the fake Kick's data. Server.mu guards it.
type state struct {
	clientID string

	users      map[int64]*user
	userOrder  []int64
	channels   map[int64]*channel // by broadcaster user id
	categories map[int64]*category
	catOrder   []int64
	streams    map[int64]*livestream // live streams, by broadcaster user id

	rewards     map[string]*reward
	rewardOrder []string
	redemptions map[string]*redemption
	redeemOrder []string

	messages map[string]*ChatMessage
	msgOrder []string

	gifts       []kicksGift
	claims      map[string]*dropsClaim
	claimOrder  []string // ascending claim ids
	subs        map[string]*eventSub
	subOrder    []string
	nextUserID  int64
	nextChannel int64

	tokens  map[string]*token
	refresh map[string]*refreshToken
	codes   map[string]*authCode

	ads map[int64]*adState // by broadcaster user id; see ads.go
}

type user struct {
	id             int64
	username       string
	email          string
	profilePicture string
	verified       bool
	color          string // username color in chat
}

func (u *user) slug() string { return slugOf(u.username) }

// slugOf is a username's channel slug: lowercase, with "-" for "_", as Kick makes them.
func slugOf(username string) string {
	return strings.ReplaceAll(strings.ToLower(username), "_", "-")
}

type channel struct {
	id           int64 // the channel id of v1 livestreams, distinct from the user id
	broadcaster  int64
	description  string
	banner       string
	title        string
	categoryID   int64
	language     string
	mature       bool
	tags         []string
	streamURL    string
	streamKey    string
	thumbnail    string
	activeSubs   int64
	canceledSubs int64
	mods         map[int64]bool
	followers    map[int64]bool
	subscribers  map[int64]int // months
	gifted       map[int64]int // subscriptions gifted in the channel, per gifter
	bans         map[int64]*Ban
}

type category struct {
	id        int64
	name      string
	tags      []string
	thumbnail string
}

type livestream struct {
	id        string // a UUID
	startedAt time.Time
	viewers   int64
}

type reward struct {
	id            string
	broadcaster   int64
	title         string
	description   string
	cost          int64
	color         string
	enabled       bool
	paused        bool
	inputRequired bool
	skipQueue     bool
	createdBy     string // the client id of the app that created it; "" for kick.com
	deleted       bool
}

type redemption struct {
	id          string
	rewardID    string
	broadcaster int64
	userID      int64
	input       string
	status      kick.RedemptionStatus
	redeemedAt  time.Time
}

type kicksGift struct {
	sender, broadcaster int64
	amount              int64
	at                  time.Time
}

type dropsClaim struct {
	id, campaignID, rewardID, externalID, status string
	userID                                       int64
	created, updated                             time.Time
}

type eventSub struct {
	id          string
	broadcaster int64
	event       kick.EventType
	version     int
	created     time.Time
}

// Token lifetimes Kick has been observed to give.
const (
	userTokenLifetime = 2 * time.Hour
	appTokenLifetime  = 60 * 24 * time.Hour
	authCodeLifetime  = 10 * time.Minute
)

type token struct {
	access  string
	kind    kick.TokenKind
	userID  int64
	scopes  []kick.Scope
	expires time.Time
	revoked bool
	refresh string // the refresh token issued with it (user tokens)
	grant   string // the authorization the token descends from
}

func (t *token) active(now time.Time) bool { return !t.revoked && now.Before(t.expires) }

func (t *token) has(scope string) bool { return slices.Contains(t.scopes, kick.Scope(scope)) }

func (t *token) scope() string { return joinScopes(t.scopes) }

func joinScopes(scopes []kick.Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, " ")
}

// oauth2 returns the token, issued at now on the server's clock, as x/oauth2 holds it, with the
// scope as an extra. Its Expiry is on the caller's clock, time.Now, as an OAuth client computes it
// from expires_in: x/oauth2 and kickauth check it against time.Now, whatever the server's clock.
func (t *token) oauth2(now time.Time) *oauth2.Token {
	tok := &oauth2.Token{AccessToken: t.access, TokenType: "Bearer", RefreshToken: t.refresh, Expiry: time.Now().Add(t.expires.Sub(now))}
	extra := map[string]any{}
	if t.kind == kick.TokenKindUser {
		extra["scope"] = t.scope()
	}
	return tok.WithExtra(extra)
}

type refreshToken struct {
	value   string
	userID  int64
	scopes  []kick.Scope
	used    bool
	revoked bool
	grant   string
}

type authCode struct {
	userID      int64
	scopes      []kick.Scope
	redirectURI string
	challenge   string
	expires     time.Time
	used        bool
}

// issueUser issues a user access token and its refresh token, as a new authorization (grant "")
// or as a refresh of grant.
func (st *state) issueUser(userID int64, scopes []kick.Scope, now time.Time, grant ...string) *token {
	g := newOpaque()
	if len(grant) > 0 && grant[0] != "" {
		g = grant[0]
	}
	t := &token{access: newOpaque(), kind: kick.TokenKindUser, userID: userID, scopes: slices.Clone(scopes), expires: now.Add(userTokenLifetime), refresh: newOpaque(), grant: g}
	st.tokens[t.access] = t
	st.refresh[t.refresh] = &refreshToken{value: t.refresh, userID: userID, scopes: slices.Clone(scopes), grant: g}
	return t
}

func (st *state) issueApp(now time.Time) *token {
	t := &token{access: newOpaque(), kind: kick.TokenKindApp, expires: now.Add(appTokenLifetime), grant: newOpaque()}
	st.tokens[t.access] = t
	return t
}

// revokeGrant revokes every access and refresh token of an authorization.
func (st *state) revokeGrant(grant string) {
	for _, t := range st.tokens {
		if t.grant == grant {
			t.revoked = true
		}
	}
	for _, r := range st.refresh {
		if r.grant == grant {
			r.revoked = true
		}
	}
}

// newOpaque returns a token or code in the style of Kick's: the base64 of a UUID, upper case.
func newOpaque() string {
	return strings.ToUpper(base64.RawStdEncoding.EncodeToString([]byte(newUUID())))
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatUUID(b)
}

// seedUUID returns a version 4 UUID derived from seed: seed data is the same on every start.
func seedUUID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	var b [16]byte
	copy(b[:], sum[:16])
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newULID returns a ULID for time t with random low bits, the form of Kick's reward, redemption,
// subscription and claim ids.
func newULID(t time.Time) string { return webhooktest.NewULID(t) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cursorOf encodes a page position as an opaque cursor, like Kick's base64 JSON cursors.
func cursorOf(key string, v any) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, `{"%s":%v}`, key, v))
}

// offsetCursor decodes a cursor of cursorOf("offset", n); ok is false for a cursor it did not make.
func offsetCursor(c string) (int, bool) {
	if c == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	var n int
	if _, err := fmt.Sscanf(string(b), `{"offset":%d}`, &n); err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
