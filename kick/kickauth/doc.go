// Package kickauth is OAuth 2.1 for Kick apps, built on golang.org/x/oauth2: the endpoint of
// id.kick.com, the authorization code flow with PKCE, and token sources for app and user tokens.
package kickauth
