package webhook_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// testSigner signs with the fixed key of testdata/test-signing-key.pem. Tests, fuzz corpora and
// benchmarks share it: the corpora's signatures must verify on every run, and no test waits for a
// key to be generated.
var testSigner = sync.OnceValue(func() *webhooktest.Signer {
	data, err := os.ReadFile(filepath.Join("testdata", "test-signing-key.pem"))
	if err != nil {
		panic(err)
	}
	s, err := webhooktest.ParseSigner(data)
	if err != nil {
		panic("testdata/test-signing-key.pem: " + err.Error())
	}
	return s
})

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
