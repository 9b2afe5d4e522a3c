package webhook_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// testKey is the fixed key of testdata/test-signing-key.pem. Tests, fuzz corpora and benchmarks
// share it: the corpora's signatures must verify on every run, and no test waits for a key to be
// generated.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	data, err := os.ReadFile(filepath.Join("testdata", "test-signing-key.pem"))
	if err != nil {
		panic(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		panic("testdata/test-signing-key.pem: no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		panic(err)
	}
	return k.(*rsa.PrivateKey)
})

func testSigner() *webhooktest.Signer { return webhooktest.NewSignerFromKey(testKey()) }

// fixedClock returns a clock stopped at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func newVerifier(t testing.TB, opts ...webhook.VerifierOption) *webhook.Verifier {
	t.Helper()
	v, err := webhook.NewVerifier(append([]webhook.VerifierOption{webhook.WithPublicKey(testSigner().PublicKey())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
