package kicktest

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// The helpers below are for code without a testing.TB — an Example, a demo program, `kick mock
// serve` — and for the webhook side of a test: what makes the fake Kick a few lines to use.

// MustNewServer is NewServer for a program or an Example: it panics if the server cannot start,
// as httptest.NewServer does. Close it when done.
func MustNewServer(opts ...Option) *Server {
	s, err := NewServer(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// MustClient is Client for a program or an Example: it panics if the client cannot be built.
func (s *Server) MustClient(userID int64, opts ...kick.Option) *kick.Client {
	c, err := s.Client(userID, opts...)
	if err != nil {
		panic(fmt.Sprintf("kicktest: MustClient: %v", err))
	}
	return c
}

// UserTokenSource returns a token source of a user token of userID with the given scopes (all
// scopes when none are given), as UserToken issues, which refreshes against OAuthBaseURL when the
// token expires: what kick.WithUserTokenSource takes. It panics if userID is not a user of the
// server.
func (s *Server) UserTokenSource(userID int64, scopes ...kick.Scope) oauth2.TokenSource {
	tok := s.UserToken(userID, scopes...)
	return oauth2.ReuseTokenSource(tok, s.OAuthConfig("", scopes...).TokenSource(context.Background(), tok))
}

// AppTokenSource returns a token source of app tokens from the server's token endpoint (the
// client credentials grant), as kickauth.AppTokenSource gets them from Kick: what
// kick.WithAppTokenSource takes.
func (s *Server) AppTokenSource() oauth2.TokenSource {
	return kickauth.AppTokenSource(context.Background(), s.OAuthConfig(""))
}

// Verifier returns a webhook verifier that trusts the key kicktest signs its deliveries with
// (PublicKeyPEM), configured further by opts (a clock, a tolerance). A verifier of
// webhook.NewVerifier() trusts only Kick's key, and refuses every delivery of kicktest.
func Verifier(opts ...webhook.VerifierOption) (*webhook.Verifier, error) {
	return webhook.NewVerifier(append([]webhook.VerifierOption{webhook.WithPublicKey(Signer().PublicKey())}, opts...)...)
}

// NewHandler returns a webhook handler that verifies deliveries with Verifier(), configured
// further by opts: webhook.NewHandler(webhook.WithVerifier(v), opts...). It is the handler of a
// program under test, with kicktest's key in place of Kick's.
func NewHandler(opts ...webhook.HandlerOption) (*webhook.Handler, error) {
	v, err := Verifier()
	if err != nil {
		return nil, err
	}
	return webhook.NewHandler(append([]webhook.HandlerOption{webhook.WithVerifier(v)}, opts...)...)
}
