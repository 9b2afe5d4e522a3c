package relay_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// A delivery posted as Kick posts it reaches a consumer of the channel, decoded into its type,
// with the message id, subscription id, type, version, timestamp and body Kick sent.
func TestDeliveryReachesConsumer(t *testing.T) {
	t.Parallel()
	tr := newTestRelay(t, relayConfig{})
	tok := tr.token(relay.Grant{Name: "bot", Broadcasters: []int64{1001}})
	c, _ := subscribe(t, tr.eventsURL(), tok, relay.Filter{}, relay.WithStart(relay.ID{}))
	d := tr.delivery(1001, "hello")
	tr.mustPost(d)
	got := c.waitFor(t, 1)[0]
	if diff := cmp.Diff(&d, got); diff != "" {
		t.Errorf("delivery (-posted +received):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hello"}, contents(t, []*webhook.Delivery{got})); diff != "" {
		t.Error(diff)
	}
}
