package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// storedRefresh is the stored refresh token as refreshTokenAge saw it.
type storedRefresh struct {
	token string // compared with the stored one after the run's token requests, then dropped
	age   time.Duration
}

// Fixes shared by several checks.
const (
	fixReauthorize = "Authorize the user again (kick auth login, or kickauth.NewAuthRequest and Exchange) and save the token with UserSource.SetToken."
	fixSync        = "Subscribe with client.Events.Sync (or kick doctor --fix), at every start and periodically: Kick drops an event's subscriptions when its deliveries fail for a day, and all of them when the app's webhooks are switched off."
)

// refreshTokenAge loads the user token from the store, before any request could refresh it, and
// checks its refresh token's age: the time since its access token was issued, as Kick issues a
// new refresh token with each.
func (d *run) refreshTokenAge(ctx context.Context) {
	if d.p.Store == nil {
		return
	}
	tok, err := d.p.Store.Load(ctx, d.p.StoreKey)
	switch {
	case errors.Is(err, kickauth.ErrNoToken):
		d.add(CheckRefreshToken, Fail, fmt.Sprintf("The store holds no user token under key %q.", d.p.StoreKey), fixReauthorize, err)
	case err != nil:
		d.add(CheckRefreshToken, Fail, fmt.Sprintf("Loading the user token from the store failed: %v.", err),
			"Make the token store readable (its directory, file permissions, or database).", err)
	case tok.RefreshToken == "":
		d.add(CheckRefreshToken, Fail, "The stored user token has no refresh token: once its access token expires, the user must authorize the app again.",
			fixReauthorize, nil)
	case tok.Expiry.IsZero():
		d.add(CheckRefreshToken, Warn, "The stored user token has no expiry, so the age of its refresh token is unknown.",
			"Keep the token's Expiry in the store (TokenStore.Save must save it).", nil)
	default:
		life := userTokenLifetime
		if tok.ExpiresIn > 0 {
			life = time.Duration(tok.ExpiresIn) * time.Second
		}
		age := max(d.now().Sub(tok.Expiry.Add(-life)), 0)
		d.refresh = &storedRefresh{token: tok.RefreshToken, age: age}
		if age >= RefreshTokenAge {
			d.add(CheckRefreshToken, Warn, fmt.Sprintf("The stored refresh token was issued about %s ago; Kick's refresh tokens have been seen to stop working after 30 to 90 days.", since(age)),
				"Use the token at least daily (a UserSource refreshes it on use, and Kick then issues a new refresh token), and authorize the user again when a refresh fails with kickauth.ErrReauthorize.", nil)
			return
		}
		d.add(CheckRefreshToken, OK, fmt.Sprintf("The stored refresh token was issued about %s ago (Kick's have been seen to stop working after 30 to 90 days).", since(age)), "", nil)
	}
}

// refreshTokenAfter looks at the store again after the token checks: when they refreshed an old
// refresh token, Kick issued a new one, and the warning no longer holds.
func (d *run) refreshTokenAfter(ctx context.Context) {
	r := d.refresh
	if r == nil {
		return
	}
	d.refresh = nil
	if r.age < RefreshTokenAge {
		return
	}
	tok, err := d.p.Store.Load(ctx, d.p.StoreKey)
	if err != nil || tok.RefreshToken == "" || tok.RefreshToken == r.token {
		return
	}
	d.replace(Check{ID: CheckRefreshToken, Verdict: OK,
		Seen: fmt.Sprintf("The stored refresh token was about %s old; this run refreshed the user token, and Kick issued a new refresh token.", since(r.age))})
}

// tokens checks the app and user tokens, and decides which kind subscribes.
func (d *run) tokens(ctx context.Context) {
	client := d.p.Client
	app, appErr := client.Tokens.Introspect(ctx, kick.WithTokenKind(kick.TokenKindApp))
	d.track(appErr)
	user, userErr := client.Tokens.Introspect(ctx, kick.WithTokenKind(kick.TokenKindUser))
	d.track(userErr)
	d.hasApp, d.hasUser = !errors.Is(appErr, kick.ErrMissingToken), !errors.Is(userErr, kick.ErrMissingToken)
	appOK := d.appToken(app, appErr)
	userOK := d.userToken(ctx, user, userErr, app, appOK)
	switch {
	case appOK:
		d.subKind = kick.TokenKindApp
	case userOK:
		d.subKind = kick.TokenKindUser
	default:
		return
	}
	d.scopes()
}

// appToken checks the app token; it reports whether the token is usable.
func (d *run) appToken(info *kick.TokenInfo, err error) bool {
	switch {
	case !d.hasApp && d.hasUser:
		d.add(CheckAppToken, OK, "No app token source is configured; the user token subscribes, to its own channel only.", "", nil)
	case !d.hasApp:
		d.add(CheckAppToken, Fail, "The client has neither an app token source nor a user token source.",
			"Give the client a token source: kick.WithAppTokenSource(kickauth.AppTokenSource(ctx, cfg)) gives an app token, which subscribes to any channel.", err)
	case err != nil:
		d.add(CheckAppToken, Fail, fmt.Sprintf("Getting or introspecting the app token failed: %v.", err), tokenFix(err, kick.TokenKindApp), err)
	case !info.Active:
		d.add(CheckAppToken, Fail, "Kick says the app token is not active.",
			"Get a new app token (kickauth.AppTokenSource does); if that fails too, check the app's client id and secret.", nil)
	case info.Kind != kick.TokenKindApp:
		d.add(CheckAppToken, Fail, fmt.Sprintf("The app token source gives a token of kind %q, not an app token.", info.Kind),
			"Give kick.WithAppTokenSource an app token (the client credentials grant), and the user's token to kick.WithUserTokenSource.", nil)
	default:
		d.add(CheckAppToken, OK, fmt.Sprintf("The app token is active (app %s%s).", info.ClientID, expires(info.ExpiresAt, d.now())), "", nil)
		return true
	}
	return false
}

// userToken checks the user token and finds its user; it reports whether the token is usable.
func (d *run) userToken(ctx context.Context, info *kick.TokenInfo, err error, app *kick.TokenInfo, appOK bool) bool {
	switch {
	case !d.hasUser && d.hasApp:
		d.add(CheckUserToken, OK, "No user token source is configured; the app token subscribes.", "", nil)
		return false
	case !d.hasUser:
		d.add(CheckUserToken, Fail, "The client has no user token source.",
			"Give the client a user token source (kickauth.UserTokenSource) with the token of the channel's broadcaster.", err)
		return false
	case err != nil:
		d.add(CheckUserToken, Fail, fmt.Sprintf("Getting or introspecting the user token failed: %v.", err), tokenFix(err, kick.TokenKindUser), err)
		return false
	case !info.Active:
		d.add(CheckUserToken, Fail, "Kick says the user token is not active: revoked, or expired.", fixReauthorize, nil)
		return false
	case info.Kind != kick.TokenKindUser:
		d.add(CheckUserToken, Fail, fmt.Sprintf("The user token source gives a token of kind %q, not a user token.", info.Kind),
			"Give kick.WithUserTokenSource the user's token (the authorization code grant), and the app token to kick.WithAppTokenSource.", nil)
		return false
	case appOK && app.ClientID != info.ClientID:
		d.add(CheckUserToken, Fail, fmt.Sprintf("The user token was issued to app %s and the app token to app %s; subscriptions and deliveries belong to one app.", info.ClientID, app.ClientID),
			"Get both tokens with the same app's client id and secret.", nil)
		return false
	}
	d.userScopes = info.Scopes
	who := ""
	me, err := d.p.Client.Users.Me(ctx)
	d.track(err)
	if err == nil {
		d.ownID = me.UserID
		who = fmt.Sprintf("user %s, id %d; ", me.Username, me.UserID)
	} else {
		d.meErr = err
	}
	d.add(CheckUserToken, OK, fmt.Sprintf("The user token is active (%sscopes: %s%s).", who, scopeList(info.Scopes), expires(info.ExpiresAt, d.now())), "", nil)
	return true
}

// scopes checks that the token that subscribes may, and that the proof can send a chat message.
func (d *run) scopes() {
	verdict, seen, fix := OK, "The app token subscribes; it needs no scope.", ""
	if d.subKind == kick.TokenKindUser {
		if !slices.Contains(d.userScopes, kick.ScopeEventsSubscribe) {
			d.add(CheckScopes, Fail, fmt.Sprintf("The user token subscribes (there is no usable app token), but it lacks %s; it has: %s.", kick.ScopeEventsSubscribe, scopeList(d.userScopes)),
				"Authorize the user again with events:subscribe (kick auth login --scopes ...,events:subscribe), or give the client an app token.", nil)
			return
		}
		seen = "The user token subscribes, and it has events:subscribe."
	}
	if d.p.Listener != nil && d.hasUser && d.userScopes != nil && !slices.Contains(d.userScopes, kick.ScopeChatWrite) {
		verdict = Warn
		seen += " The user token lacks chat:write, so the delivery proof cannot make Kick send an event; it waits for one instead."
		fix = "Authorize the user with chat:write, so that the proof can send a chat message."
	}
	d.add(CheckScopes, verdict, seen, fix, nil)
}

// tokenFix is the fix for a failure to get or introspect a token of kind.
func tokenFix(err error, kind kick.TokenKind) string {
	switch {
	case errors.Is(err, kickauth.ErrReauthorize):
		return fixReauthorize
	case kind == kick.TokenKindUser && errors.Is(err, kick.ErrUnauthorized):
		return fixReauthorize
	case kind == kick.TokenKindUser:
		return requestFix(err, "Check that id.kick.com is reachable from here, and authorize the user again if the failure persists.")
	}
	return requestFix(err, "Check the app's client id and secret (kick.com, Settings, Developer) and that id.kick.com is reachable from here.")
}

// scopeList is scopes space-separated, or "none".
func scopeList(scopes []kick.Scope) string {
	if len(scopes) == 0 {
		return "none"
	}
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return strings.Join(s, " ")
}

// expires is ", expires in 1h" for a known expiry.
func expires(at, now time.Time) string {
	if at.IsZero() {
		return ""
	}
	if left := at.Sub(now); left > 0 {
		return ", expires in " + since(left)
	}
	return ", expired " + since(now.Sub(at)) + " ago"
}
