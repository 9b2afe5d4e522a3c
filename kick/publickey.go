package kick

import (
	"context"
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/pemkey"
)

// PublicKeyService gets the public key that verifies the signatures of Kick's webhook deliveries.
// Kick docs: Public Key.
type PublicKeyService service

// PublicKey is Kick's webhook signing key. Kick's schema: PublicKey.
type PublicKey struct {
	// PEM is the key as Kick sends it: a PEM "PUBLIC KEY" block holding a PKIX RSA key.
	PEM string `json:"public_key"`
}

// RSA parses the key for signature verification (RSASSA-PKCS1-v1_5 with SHA-256), by the rules
// of webhook.ParsePublicKeyPEM: PEM must hold one "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY"
// (PKCS #1) block, without headers, of an RSA key of at least 2048 bits, in at most 64 KiB.
func (k *PublicKey) RSA() (*rsa.PublicKey, error) {
	key, err := pemkey.Parse([]byte(k.PEM))
	if err != nil {
		return nil, fmt.Errorf("kick: public key: %w", err)
	}
	return key, nil
}

// Get returns the key that verifies webhook signatures. Kick also publishes it in its docs;
// fetching it lets a verifier follow a rotation should Kick ever rotate it.
//
// Token: none; no Authorization header is sent. Operation getPublicKey.
//
// Kick API docs: https://docs.kick.com/apis/public-key
func (s *PublicKeyService) Get(ctx context.Context, opts ...RequestOption) (*PublicKey, error) {
	var env data[PublicKey]
	if err := s.client.fetch(ctx, gen.GetPublicKey.Request(), opts, &env); err != nil {
		return nil, err
	}
	if strings.TrimSpace(env.Data.PEM) == "" {
		return nil, fmt.Errorf("kick: %s: no public key in the response: %w", gen.GetPublicKey.ID, ErrUnexpectedResponse)
	}
	return &env.Data, nil
}

// PEM returns the PEM of the key that verifies webhook signatures: Get's PublicKey.PEM. Its
// method value is a webhook.FetchFunc, for a key source that follows a rotation:
//
//	keys, err := webhook.NewFetchingKeySource(client.PublicKey.PEM)
//
// Token: none; no Authorization header is sent. Operation getPublicKey.
//
// Kick API docs: https://docs.kick.com/apis/public-key
func (s *PublicKeyService) PEM(ctx context.Context) (string, error) {
	k, err := s.Get(ctx)
	if err != nil {
		return "", err
	}
	return k.PEM, nil
}
