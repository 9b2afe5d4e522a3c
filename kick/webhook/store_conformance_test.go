package webhook_test

import (
	"testing"

	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// MemoryStore passes the suite users run on their own stores.
func TestMemoryStoreConformance(t *testing.T) {
	t.Parallel()
	webhooktest.TestStore(t, func(*testing.T) webhook.Store { return webhook.NewMemoryStore(0) })
}
