// Package webhook receives Kick's webhook deliveries: it verifies them, protects against replays,
// decodes every event type and dispatches it.
package webhook
