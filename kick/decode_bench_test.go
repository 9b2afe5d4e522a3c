package kick

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// BenchmarkDecode measures decoding alone, without HTTP, on the answers BenchmarkOps serves: the
// generated types with encoding/json v1 and the conversion to kick's types (the path before
// #15), the same with the v2 decoder and tolerant.Options, and kick's types decoded straight. It
// is what BENCHMARKS.md's choice of decode path rests on; `make bench` does not run it.
//
//	go test -run='^$' -bench='^BenchmarkDecode$' -benchmem ./kick/
func BenchmarkDecode(b *testing.B) {
	decodeCase(b, "Users50", "getUsers", 50,
		func(body []byte) (int, error) {
			var env gen.UserList
			err := json.Unmarshal(body, &env)
			return len(convertAll(env.Data, userFromGen)), err
		},
		func(body []byte) (int, error) {
			var env gen.UserList
			err := tolerant.Unmarshal(body, &env)
			return len(convertAll(env.Data, userFromGen)), err
		},
		func(body []byte) (int, error) {
			var env struct {
				Data []User `json:"data"`
			}
			err := tolerant.Unmarshal(body, &env)
			return len(env.Data), err
		})
	decodeCase(b, "Channels50", "getChannels", 50,
		func(body []byte) (int, error) {
			var env gen.ChannelList
			err := json.Unmarshal(body, &env)
			return len(convertAll(env.Data, channelFromGen)), err
		},
		func(body []byte) (int, error) {
			var env gen.ChannelList
			err := tolerant.Unmarshal(body, &env)
			return len(convertAll(env.Data, channelFromGen)), err
		},
		func(body []byte) (int, error) {
			var env struct {
				Data []Channel `json:"data"`
			}
			err := tolerant.Unmarshal(body, &env)
			return len(env.Data), err
		})
	decodeCase(b, "LivestreamsV1_100", "getLivestreamsV1", 100,
		func(body []byte) (int, error) {
			var env gen.LivestreamV1List
			err := json.Unmarshal(body, &env)
			return len(convertAll(env.Data, livestreamV1FromGen)), err
		},
		func(body []byte) (int, error) {
			var env gen.LivestreamV1List
			err := tolerant.Unmarshal(body, &env)
			return len(convertAll(env.Data, livestreamV1FromGen)), err
		},
		func(body []byte) (int, error) {
			var env struct {
				Data []LivestreamV1 `json:"data"`
			}
			err := tolerant.Unmarshal(body, &env)
			return len(env.Data), err
		})
	decodeCase(b, "Livestreams100", "listLivestreams", 100,
		func(body []byte) (int, error) {
			var env gen.LivestreamPage
			err := json.Unmarshal(body, &env)
			return len(convertAll(env.Data, livestreamFromGen)), err
		},
		func(body []byte) (int, error) {
			var env gen.LivestreamPage
			err := tolerant.Unmarshal(body, &env)
			return len(convertAll(env.Data, livestreamFromGen)), err
		},
		func(body []byte) (int, error) {
			var env struct {
				Data []Livestream `json:"data"`
			}
			err := tolerant.Unmarshal(body, &env)
			return len(env.Data), err
		})
}

func decodeCase(b *testing.B, name, op string, n int, v1Gen, v2Gen, v2Kick func([]byte) (int, error)) {
	body := scaledBody(b, op, n)
	for _, d := range []struct {
		name string
		f    func([]byte) (int, error)
	}{{"v1-gen", v1Gen}, {"v2-gen", v2Gen}, {"v2-kick", v2Kick}} {
		b.Run(name+"/decoder="+d.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if got, err := d.f(body); err != nil || got != n {
					b.Fatalf("%d items, %v", got, err)
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
	_ = fmt.Sprint
	return body
}
