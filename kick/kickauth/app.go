package kickauth

import (
	"context"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// AppSource is an oauth2.TokenSource of app access tokens (the client credentials grant). It
// fetches a token when the first one is needed and a new one before the current one expires;
// one fetch at a time, shared by every caller waiting for it. It is safe for concurrent use.
//
// Kick's app tokens have lasted 60 days and carry no scopes and no refresh token. Each source
// fetches its own, unless WithAppTokenStore makes sources share one through a store.
type AppSource struct {
	cc       *clientcredentials.Config
	opts     options
	clientID string
	c        cache
}

// AppTokenSource returns a source of app access tokens for cfg's client id and secret, fetched
// from cfg's token endpoint with grant_type=client_credentials and the credentials in the form
// body. cfg's scopes and redirect URL are not sent: Kick's client credentials grant takes none.
//
// Tokens are fetched with ctx's values (an *http.Client under oauth2.HTTPClient, unless
// WithHTTPClient is given); Token waits no longer than ctx lives.
func AppTokenSource(ctx context.Context, cfg *oauth2.Config, opts ...Option) *AppSource {
	o := newOptions(opts)
	if o.app != nil && o.app.key == "" {
		o.app = &appStore{store: o.app.store, key: AppStoreKey(cfg.ClientID)}
	}
	return &AppSource{
		cc: &clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     cfg.Endpoint.TokenURL,
			AuthStyle:    oauth2.AuthStyleInParams,
		},
		opts:     o,
		clientID: cfg.ClientID,
		c:        cache{ctx: ctx, margin: o.margin},
	}
}

// Token returns a valid app access token, fetching one if the current one expires within the
// refresh margin or was invalidated. Never log the token; see Redact.
func (s *AppSource) Token() (*oauth2.Token, error) { return s.TokenContext(s.c.ctx) }

// TokenContext is Token, waiting for a fetch no longer than ctx lives. A fetch that ctx abandons
// still completes for the next caller.
func (s *AppSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	return s.c.token(ctx, s.fetch)
}

// Invalidate reports that Kick rejected accessToken (a 401): if it is still the current token,
// the next Token fetches a new one. However many goroutines report the same token, one fetch
// follows; a report about a token already replaced is ignored.
func (s *AppSource) Invalidate(accessToken string) { s.c.invalidate(accessToken) }

func (s *AppSource) fetch() (*oauth2.Token, error) {
	ctx, cancel := s.opts.fetchContext(s.c.ctx)
	defer cancel()
	if s.opts.app != nil {
		return s.fetchShared(ctx)
	}
	return s.fetchOwn(ctx)
}

// fetchOwn fetches a new app token from the token endpoint and makes it the current one.
func (s *AppSource) fetchOwn(ctx context.Context) (*oauth2.Token, error) {
	tok, err := s.cc.Token(ctx)
	if err != nil {
		err = requestError("fetch an app token", err, s.cc.ClientSecret)
		s.opts.logger.LogAttrs(ctx, slog.LevelWarn, "kickauth: app token fetch failed",
			slog.String("client_id", s.clientID), slog.String("error", err.Error()))
		return nil, err
	}
	s.c.mu.Lock()
	s.c.setLocked(tok, true)
	s.c.mu.Unlock()
	s.opts.logger.LogAttrs(ctx, slog.LevelDebug, "kickauth: fetched app token",
		slog.String("client_id", s.clientID), slog.Time("expiry", tok.Expiry))
	return tok, nil
}

// String describes the source and its token without the token's value.
func (s *AppSource) String() string {
	return fmt.Sprintf("kickauth.AppSource{ClientID: %q, Token: %s}", s.clientID, describeToken(s.c.current()))
}

// GoString is String.
func (s *AppSource) GoString() string { return s.String() }

// Format prints String for every verb.
func (s *AppSource) Format(f fmt.State, verb rune) { writeRedacted(f, verb, s.String()) }

// LogValue logs the client id and the token's expiry, never the token.
func (s *AppSource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", s.clientID), slog.Any("token", tokenLogValue(s.c.current())))
}
