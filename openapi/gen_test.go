package openapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/gen"
)

// parsers decode a success response through the generated client's own parser and return the
// decoded JSON body.
var parsers = map[string]func(*http.Response) (any, error){
	"requestToken": func(r *http.Response) (any, error) {
		p, err := gen.ParseRequestTokenResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"introspectToken": func(r *http.Response) (any, error) {
		p, err := gen.ParseIntrospectTokenResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"listCategories": func(r *http.Response) (any, error) {
		p, err := gen.ParseListCategoriesResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"searchCategoriesV1": func(r *http.Response) (any, error) {
		p, err := gen.ParseSearchCategoriesV1Response(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getCategoryV1": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetCategoryV1Response(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getUsers": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetUsersResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"introspectTokenV1": func(r *http.Response) (any, error) {
		p, err := gen.ParseIntrospectTokenV1Response(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getChannels": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetChannelsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"listChannelRewards": func(r *http.Response) (any, error) {
		p, err := gen.ParseListChannelRewardsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"createChannelReward": func(r *http.Response) (any, error) {
		p, err := gen.ParseCreateChannelRewardResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"updateChannelReward": func(r *http.Response) (any, error) {
		p, err := gen.ParseUpdateChannelRewardResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"listRewardRedemptions": func(r *http.Response) (any, error) {
		p, err := gen.ParseListRewardRedemptionsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"acceptRewardRedemptions": func(r *http.Response) (any, error) {
		p, err := gen.ParseAcceptRewardRedemptionsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"rejectRewardRedemptions": func(r *http.Response) (any, error) {
		p, err := gen.ParseRejectRewardRedemptionsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"sendChatMessage": func(r *http.Response) (any, error) {
		p, err := gen.ParseSendChatMessageResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"banUser": func(r *http.Response) (any, error) {
		p, err := gen.ParseBanUserResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"unbanUser": func(r *http.Response) (any, error) {
		p, err := gen.ParseUnbanUserResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"listLivestreams": func(r *http.Response) (any, error) {
		p, err := gen.ParseListLivestreamsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getLivestreamsV1": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetLivestreamsV1Response(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getLivestreamStats": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetLivestreamStatsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getUsersLivestreams": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetUsersLivestreamsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getPublicKey": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetPublicKeyResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"getKicksLeaderboard": func(r *http.Response) (any, error) {
		p, err := gen.ParseGetKicksLeaderboardResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"listEventSubscriptions": func(r *http.Response) (any, error) {
		p, err := gen.ParseListEventSubscriptionsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"createEventSubscriptions": func(r *http.Response) (any, error) {
		p, err := gen.ParseCreateEventSubscriptionsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
	"listDropsClaims": func(r *http.Response) (any, error) {
		p, err := gen.ParseListDropsClaimsResponse(r)
		if err != nil {
			return nil, err
		}
		return p.JSON200, nil
	},
}

func fakeResponse(status int, contentType string, body []byte) *http.Response {
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {contentType}},
		Body:       io.NopCloser(bytes.NewReader(body)),
	}
}

// strictDecode decodes data into a new value of v's type and fails on any field the type lacks:
// the generated types (and so the spec) must describe every field Kick sends.
func strictDecode(t *testing.T, data []byte, typ reflect.Type) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(reflect.New(typ).Interface()); err != nil {
		t.Errorf("strict decode into %v: %v", typ, err)
	}
}

// TestResponseFixturesDecodeIntoGeneratedTypes runs every response fixture through the generated
// client's parser and checks that the generated type holds every field of the fixture.
func TestResponseFixturesDecodeIntoGeneratedTypes(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "responses", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(parsers) {
		t.Errorf("%d fixtures, %d parsers: keep them in step", len(files), len(parsers))
	}
	for _, file := range files {
		id := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			parse, ok := parsers[id]
			if !ok {
				t.Fatalf("no parser for %s", id)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parse(fakeResponse(http.StatusOK, "application/json", data))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			v := reflect.ValueOf(got)
			if v.IsNil() {
				t.Fatal("JSON200 is nil")
			}
			if !reflect.ValueOf(got).Elem().FieldByName("Data").IsValid() && id != "requestToken" {
				t.Errorf("%T has no Data field", got)
			}
			strictDecode(t, data, v.Type().Elem())
		})
	}
}

func TestRevokeFixtureDecodes(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "responses", "revokeToken.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := gen.ParseRevokeTokenResponse(fakeResponse(http.StatusOK, "text/plain", data))
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Body) != "OK" || r.StatusCode() != http.StatusOK {
		t.Errorf("revoke: %d %q", r.StatusCode(), r.Body)
	}
}

// TestWebhookExamplesDecodeIntoGeneratedTypes decodes each webhook example into the generated type
// of its event, strictly.
func TestWebhookExamplesDecodeIntoGeneratedTypes(t *testing.T) {
	t.Parallel()
	types := map[string]reflect.Type{
		"chat.message.sent":                 reflect.TypeFor[gen.ChatMessageSentEvent](),
		"channel.followed":                  reflect.TypeFor[gen.ChannelFollowedEvent](),
		"channel.subscription.renewal":      reflect.TypeFor[gen.ChannelSubscriptionRenewalEvent](),
		"channel.subscription.gifts":        reflect.TypeFor[gen.ChannelSubscriptionGiftsEvent](),
		"channel.subscription.new":          reflect.TypeFor[gen.ChannelSubscriptionNewEvent](),
		"channel.reward.redemption.updated": reflect.TypeFor[gen.ChannelRewardRedemptionUpdatedEvent](),
		"livestream.status.updated":         reflect.TypeFor[gen.LivestreamStatusUpdatedEvent](),
		"livestream.metadata.updated":       reflect.TypeFor[gen.LivestreamMetadataUpdatedEvent](),
		"moderation.banned":                 reflect.TypeFor[gen.ModerationBannedEvent](),
		"kicks.gifted":                      reflect.TypeFor[gen.KicksGiftedEvent](),
		"":                                  reflect.TypeFor[gen.DropsClaimEvent](),
	}
	var headers map[string]struct{ Type, Version string }
	readJSON(t, filepath.Join("..", "testdata", "webhooks", "headers.json"), &headers)
	for file, h := range headers {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			typ, ok := types[h.Type]
			if !ok {
				t.Fatalf("no generated type for %q", h.Type)
			}
			data, err := os.ReadFile(filepath.Join("..", "testdata", "webhooks", filepath.FromSlash(file)))
			if err != nil {
				t.Fatal(err)
			}
			strictDecode(t, data, typ)
		})
	}
}
