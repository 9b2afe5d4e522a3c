package kickauth

import (
	"strings"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

// DefaultOAuthBaseURL is the base URL of Kick's OAuth server, kick.DefaultOAuthBaseURL: a
// different host from the API's (kick.DefaultAPIBaseURL).
const DefaultOAuthBaseURL = kick.DefaultOAuthBaseURL

// Endpoint is Kick's OAuth 2.1 endpoint: https://id.kick.com/oauth/authorize and
// https://id.kick.com/oauth/token, with the client id and secret sent in the form body
// (oauth2.AuthStyleInParams), which is the only way Kick documents.
var Endpoint = EndpointAt(DefaultOAuthBaseURL)

// EndpointAt returns Kick's OAuth endpoint on another OAuth base URL, such as a local fake of
// id.kick.com in tests: oauthBaseURL + "/oauth/authorize" and oauthBaseURL + "/oauth/token".
func EndpointAt(oauthBaseURL string) oauth2.Endpoint {
	base := strings.TrimRight(oauthBaseURL, "/")
	return oauth2.Endpoint{
		AuthURL:   base + "/oauth/authorize",
		TokenURL:  base + "/oauth/token",
		AuthStyle: oauth2.AuthStyleInParams,
	}
}

// NewConfig returns an *oauth2.Config for a Kick app: its client id and secret (from the app's
// developer settings on kick.com), the redirect URL registered for the app (it must match exactly),
// and the scopes to ask the user for. The redirect URL and scopes matter only for the
// authorization code flow; pass "" and no scopes for an app that uses app tokens alone.
//
// Set the returned config's Endpoint to EndpointAt(url) to talk to a fake server.
//
// The config holds the client secret in its ClientSecret field, and *oauth2.Config has no method
// that hides it: fmt (%v, %+v, %#v) and log/slog print it. Never print or log the config.
func NewConfig(clientID, clientSecret, redirectURL string, scopes ...kick.Scope) *oauth2.Config {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		RedirectURL:  redirectURL,
		Scopes:       s,
		Endpoint:     Endpoint,
	}
}

// kickConfig returns cfg with the client credentials sent in the form body. Kick accepts no other
// way, and x/oauth2's auto-detection would first send them in a header: a wasted request, and for
// a code exchange, a second use of a single-use code. cfg itself is never modified.
func kickConfig(cfg *oauth2.Config) *oauth2.Config {
	if cfg.Endpoint.AuthStyle == oauth2.AuthStyleInParams {
		return cfg
	}
	// Copy field by field: oauth2.Config holds an internal cache that is not meant to be copied.
	c := &oauth2.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Endpoint:     cfg.Endpoint,
		RedirectURL:  cfg.RedirectURL,
		Scopes:       cfg.Scopes,
	}
	c.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	return c
}
