package kick

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/internal/tolerant"
)

// decodeTargets are the generated types each operation's 200 answer is decoded into (outgoing's
// into), by operation id; nil for an operation whose answer is only checked for its data.
var decodeTargets = map[string]reflect.Type{
	"listCategories":           reflect.TypeFor[gen.CategoryPage](),
	"searchCategoriesV1":       reflect.TypeFor[gen.CategorySummaryList](),
	"getCategoryV1":            reflect.TypeFor[gen.CategoryDetailEnvelope](),
	"getChannels":              reflect.TypeFor[gen.ChannelList](),
	"sendChatMessage":          reflect.TypeFor[gen.SentChatMessageEnvelope](),
	"startAdBreak":             reflect.TypeFor[adBreakEnvelope](),
	"getAdBreakStatus":         reflect.TypeFor[adBreakStatusEnvelope](),
	"enrollAds":                nil,
	"listDropsClaims":          reflect.TypeFor[gen.DropsClaimsEnvelope](),
	"listEventSubscriptions":   reflect.TypeFor[gen.EventSubscriptionList](),
	"createEventSubscriptions": reflect.TypeFor[gen.EventSubscriptionResultList](),
	"getKicksLeaderboard":      reflect.TypeFor[gen.KicksLeaderboardEnvelope](),
	"listLivestreams":          reflect.TypeFor[gen.LivestreamPage](),
	"getUsersLivestreams":      reflect.TypeFor[gen.LivestreamList](),
	"getLivestreamStats":       reflect.TypeFor[gen.LivestreamStatsEnvelope](),
	"getLivestreamsV1":         reflect.TypeFor[gen.LivestreamV1List](),
	"getPublicKey":             reflect.TypeFor[gen.PublicKeyEnvelope](),
	"listChannelRewards":       reflect.TypeFor[gen.ChannelRewardList](),
	"createChannelReward":      reflect.TypeFor[gen.ChannelRewardEnvelope](),
	"updateChannelReward":      reflect.TypeFor[gen.ChannelRewardEnvelope](),
	"listRewardRedemptions":    reflect.TypeFor[gen.RedemptionGroupPage](),
	"acceptRewardRedemptions":  reflect.TypeFor[gen.FailedRedemptionList](),
	"rejectRewardRedemptions":  reflect.TypeFor[gen.FailedRedemptionList](),
	"introspectToken":          reflect.TypeFor[gen.TokenIntrospectionEnvelope](),
	"introspectTokenV1":        reflect.TypeFor[gen.TokenIntrospectionEnvelope](),
	"requestToken":             reflect.TypeFor[gen.Token](),
	"getUsers":                 reflect.TypeFor[gen.UserList](),
	"banUser":                  nil,
	"unbanUser":                nil,
}

// decodeLikeV1 fails t unless tolerant.Unmarshal decodes body into a value of type typ as
// encoding/json v1 does, which the generated parser used: both fail, or both give the same value.
func decodeLikeV1(t *testing.T, op string, typ reflect.Type, body []byte) {
	t.Helper()
	want, got := reflect.New(typ), reflect.New(typ)
	wantErr := json.Unmarshal(body, want.Interface())
	err := tolerant.Unmarshal(body, got.Interface())
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: decoding %q: error %v, encoding/json v1's %v", op, body, err, wantErr)
	}
	if err != nil {
		return
	}
	if diff := cmp.Diff(want.Interface(), got.Interface()); diff != "" {
		t.Fatalf("%s: decoding %q differs from encoding/json v1 (-v1 +now):\n%s", op, body, diff)
	}
}

// responseFixture reads testdata/responses/<op>.json.
func responseFixture(t testing.TB, op string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "testdata", "responses", op+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

var memberName = regexp.MustCompile(`"([A-Za-z_]+)"\s*:`)

// responseVariants returns body and changed copies of it that exercise the tolerance: each member
// name in other cases and repeated (after a null, before a null, after an object), unknown
// members, nulls (also after a value), invalid UTF-8 and escapes, numbers and times that do not fit, syntax errors.
func responseVariants(body []byte) [][]byte {
	s := string(body)
	out := []string{s}
	seen := map[string]bool{}
	for _, m := range memberName.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if seen[name] {
			continue
		}
		seen[name] = true
		key := m[0]
		for _, r := range []string{
			`"` + strings.ToUpper(name) + `":`,
			`"` + strings.ToUpper(name[:1]) + name[1:] + `":`,
			`"` + strings.ReplaceAll(name, "_", "") + `":`,
			`"` + name + `":null,` + key,
			`"` + name + `":{},` + key,
			`"` + name + `":"x",` + key,
			`"` + name + `":[1],"` + name + `":null,` + key,
			`"\u00` + hexByte(name[0]) + name[1:] + `":`,
		} {
			out = append(out, strings.Replace(s, key, r, 1))
		}
	}
	for _, r := range [][2]string{
		{`{`, `{"zz_unknown":{"deep":[1,{"a":null}]},"n":-1.5e-7,`},
		{`: "`, ": \"\xff\xfe bad \xc3"},
		{`: "`, `: "\ud800\udc00 \ud800 x \udfff`},
		{`: "`, `: "\u00e9\n\t\"\\\/`},
		{`: 1`, `: 1.5, "w": 1`},
		{`: 1`, `: 1e2, "w": 1`},
		{`: 1`, `: 99999999999999999999, "w": 1`},
		{`: 1`, `: "1", "w": 1`},
		{`: true`, `: "true", "w": true`},
		{`: true`, `: null, "w": true`},
		{`Z"`, `.123456789+05:30"`},
		{`T0`, `T`},
		{`Z"`, `"`},
		{`[`, `[null,`},
		{`"data": {`, `"data": null, "data": {`},
		{`"data": [`, `"data": {"a":1}, "data": [`},
	} {
		if strings.Contains(s, r[0]) {
			out = append(out, strings.Replace(s, r[0], r[1], 1))
		}
	}
	// A repeat that ends in null: v1 keeps the value (MergeWithLegacySemantics).
	if i := strings.LastIndexByte(s, '}'); i > 0 {
		for _, tail := range []string{`,"data":null`, `,"message":null`, `,"data":{"zz":1}`} {
			out = append(out, s[:i]+tail+s[i:])
		}
	}
	out = append(out, s+"x", s[:len(s)/2], strings.Replace(s, ":", "::", 1), " \n"+s+"\n ", "null", "[]", "{}")
	res := make([][]byte, len(out))
	for i, v := range out {
		res[i] = []byte(v)
	}
	return res
}

func hexByte(c byte) string {
	const hex = "0123456789abcdef"
	return string([]byte{hex[c>>4], hex[c&15]})
}

// TestDecodeLikeV1 holds the one decode path of Kick's answers (the v2 decoder with
// tolerant.Options into the generated types, then the conversions to kick's types) to the one it
// replaced (encoding/json v1 through the generated parsers, and the same conversions): on every
// operation's fixture and its variants, both fail or both decode the same value. Every type
// decoded into fits tolerant.Options (tolerant.Check), and every operation with a JSON answer has
// its type here.
func TestDecodeLikeV1(t *testing.T) {
	t.Parallel()
	var ids []string
	for _, ep := range endpoints {
		ids = append(ids, ep.id)
		typ, known := decodeTargets[ep.id]
		body, err := os.ReadFile(filepath.Join("..", "testdata", "responses", ep.id+".json"))
		switch {
		case err != nil && !known:
			continue // an answer without a body (204) or not JSON (revokeToken)
		case err != nil:
			t.Errorf("%s: a decode target and no fixture", ep.id)
			continue
		case !known:
			t.Errorf("%s: a JSON fixture and no decode target in decodeTargets", ep.id)
			continue
		case typ == nil:
			continue
		}
		if err := tolerant.Check(typ); err != nil {
			t.Errorf("%s: %v", ep.id, err)
		}
		for _, v := range responseVariants(body) {
			decodeLikeV1(t, ep.id, typ, v)
		}
	}
	for id := range decodeTargets {
		if !slices.Contains(ids, id) {
			t.Errorf("decodeTargets has %s, which the spec does not", id)
		}
	}
}

// FuzzDecodeLikeV1 holds the decode path to encoding/json v1 (as TestDecodeLikeV1) on any answer
// to any operation, from the fixtures on.
func FuzzDecodeLikeV1(f *testing.F) {
	var ops []string
	for _, ep := range endpoints {
		if decodeTargets[ep.id] != nil {
			ops = append(ops, ep.id)
		}
	}
	for i, op := range ops {
		for _, v := range responseVariants(responseFixture(f, op))[:3] {
			f.Add(uint8(i), v)
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		id := ops[int(op)%len(ops)]
		decodeLikeV1(t, id, decodeTargets[id], body)
	})
}
