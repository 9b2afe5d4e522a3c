// Package pemkey parses the PEM-encoded RSA public keys that verify Kick's webhook signatures. It
// is the one parser behind kick.PublicKey.RSA and webhook.ParsePublicKeyPEM, so that a key Kick
// serves and a key a user configures are held to the same rules.
package pemkey

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// MinBits is the smallest RSA modulus accepted. Kick's key has 2048 bits; a smaller one can be
// factored, and a verifier trusting it would accept forged deliveries.
const MinBits = 2048

// MaxBytes bounds the PEM document Parse reads: a public key is under 1 KiB, and a document is
// untrusted input (a fetched answer, a file).
const MaxBytes = 64 << 10

// Parse parses one RSA public key from a PEM document: a "PUBLIC KEY" block (PKIX, what Kick
// serves) or an "RSA PUBLIC KEY" block (PKCS #1), with no PEM headers, of at least MinBits bits.
// Text before and after the block is ignored, as RFC 7468 allows; a second PEM block is an error,
// since it is unclear which key to trust. The error says what is wrong; of the input it quotes at
// most the type of the PEM block.
func Parse(data []byte) (*rsa.PublicKey, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("PEM larger than %d bytes", MaxBytes)
	}
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, errors.New("more than one PEM block")
	}
	if len(block.Headers) > 0 {
		return nil, fmt.Errorf("PEM block %q has headers; a public key has none", block.Type)
	}
	var key *rsa.PublicKey
	switch block.Type {
	case "PUBLIC KEY":
		parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		k, ok := parsed.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("a %T, not an RSA key", parsed)
		}
		key = k
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		key = k
	default:
		return nil, fmt.Errorf("PEM block is %q, want \"PUBLIC KEY\" or \"RSA PUBLIC KEY\"", block.Type)
	}
	if err := Check(key); err != nil {
		return nil, err
	}
	return key, nil
}

// Check reports whether k is an RSA public key a verifier may trust: not nil, and of at least
// MinBits bits.
func Check(k *rsa.PublicKey) error {
	if k == nil || k.N == nil {
		return errors.New("nil key")
	}
	if bits := k.N.BitLen(); bits < MinBits {
		return fmt.Errorf("%d-bit RSA key, want at least %d", bits, MinBits)
	}
	return nil
}
