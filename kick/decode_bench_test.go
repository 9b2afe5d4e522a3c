package kick

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// BenchmarkDecode measures decoding alone, without HTTP, on the answers BenchmarkOps serves:
// kick's models decoded straight from Kick's JSON with encoding/json v1 (the decoder before #15)
// and with the v2 decoder and tolerant.Options (the client's). It is what BENCHMARKS.md's choice
// of decoder rests on; `make bench` does not run it.
//
//	go test -run='^$' -bench='^BenchmarkDecode$' -benchmem ./kick/
func BenchmarkDecode(b *testing.B) {
	decodeCase[User](b, "Users50", "getUsers", 50)
	decodeCase[Channel](b, "Channels50", "getChannels", 50)
	decodeCase[LivestreamV1](b, "LivestreamsV1_100", "getLivestreamsV1", 100)
	decodeCase[Livestream](b, "Livestreams100", "listLivestreams", 100)
}

func decodeCase[T any](b *testing.B, name, op string, n int) {
	body := scaledBody(b, op, n)
	for _, d := range []struct {
		name      string
		unmarshal func([]byte, any) error
	}{{"v1", json.Unmarshal}, {"v2", tolerant.Unmarshal}} {
		b.Run(name+"/decoder="+d.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var env data[[]T]
				if err := d.unmarshal(body, &env); err != nil || len(env.Data) != n {
					b.Fatalf("%d items, %v", len(env.Data), err)
				}
			}
		})
	}
}

// scaledBody is the fixture of op with its data grown to n items, each with distinct strings.
func scaledBody(b *testing.B, op string, n int) []byte {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "responses", op+".json"))
	if err != nil {
		b.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		b.Fatal(err)
	}
	items := doc["data"].([]any)
	out := make([]any, n)
	for i := range out {
		c, _ := json.Marshal(items[i%len(items)])
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(c))
		d.UseNumber()
		_ = d.Decode(&m)
		for k, v := range m {
			if s, ok := v.(string); ok && k != "language" && k != "language_code" && k != "started_at" && k != "start_time" {
				m[k] = s + strconv.Itoa(i)
			}
		}
		out[i] = m
	}
	doc["data"] = out
	body, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	return body
}
