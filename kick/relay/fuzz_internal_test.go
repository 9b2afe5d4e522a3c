package relay

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// FuzzConsumerStream reads any bytes as a relay's stream, as a consumer does: events are parsed
// within their bounds, and a delivery that decodes is the one a relay would have encoded.
func FuzzConsumerStream(f *testing.F) {
	r := &Record{ID: ID{Ms: 1733540000000, Seq: 2}, BroadcasterUserID: 1001, Delivery: webhook.Delivery{MessageID: "01J", SubscriptionID: "s",
		Type: kicktypes.EventChatMessageSent, Version: 1, Timestamp: time.Date(2025, 1, 14, 16, 8, 6, 0, time.UTC), Body: []byte(`{"a":1}`)}}
	f.Add(deliveryFrame(r))
	r.Delivery.Body = []byte("{\n}")
	f.Add(append(append([]byte(": ping\n\n"), gapFrame(ID{Ms: 1}, ID{Ms: 2}, "retention")...), deliveryFrame(r)...))
	f.Add([]byte("data: x\r\ndata: y\n\nevent: delivery\ndata: {\"message_id\":\"\"}\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sr := &sseReader{r: bufio.NewReaderSize(bytes.NewReader(b), 64)}
		for range 100 {
			ev, err := sr.next(func() {})
			if err != nil {
				return
			}
			if len(ev.data) > maxEventBytes {
				t.Fatalf("an event of %d bytes", len(ev.data))
			}
			switch ev.name {
			case EventDelivery:
				d, err := decodeDelivery(ev.data)
				if err != nil {
					continue
				}
				id, err := ParseID(ev.id)
				if err != nil {
					continue
				}
				// Encoding it again and decoding gives the same delivery.
				again, err := decodeDelivery(bytes.TrimPrefix(bytes.Split(deliveryFrame(&Record{ID: id, Delivery: *d}), []byte("\n"))[2], []byte("data: ")))
				if err != nil || again.MessageID != d.MessageID || !bytes.Equal(again.Body, d.Body) || again.Type != d.Type {
					t.Fatalf("round trip of %q: %+v, %v", ev.data, again, err)
				}
			case EventGap:
				_, _ = decodeGap(ev.data)
			}
		}
	})
}

// FuzzDecodeRecord decodes any bytes as a bbolt record: an error or a record, never a panic.
func FuzzDecodeRecord(f *testing.F) {
	r := &Record{Prev: ID{Ms: 1}, BroadcasterUserID: 5, Delivery: webhook.Delivery{MessageID: "m", Type: "t", Version: 1,
		Timestamp: time.Date(2025, 1, 14, 16, 8, 6, 0, time.UTC), Body: []byte("{}")}}
	f.Add(encodeRecord([]byte(r.Key()), r))
	f.Add([]byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeRecord(b)
		if err != nil {
			return
		}
		back, err := decodeRecord(encodeRecord(recordKey(b), &got))
		if err != nil || back.Delivery.MessageID != got.Delivery.MessageID || !bytes.Equal(back.Delivery.Body, got.Delivery.Body) {
			t.Fatalf("round trip: %+v, %v", back, err)
		}
	})
}
