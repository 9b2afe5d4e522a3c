package kick_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// The raw baseline: what a careful hand-written client does for each operation with net/http and
// encoding/json (v1): url.Values for the query, json.Marshal of a plain struct for a JSON body,
// http.NewRequestWithContext with the bearer token, User-Agent and Content-Type, Client.Do, a
// status check, json.NewDecoder(body).Decode into plain structs with JSON tags and value fields,
// and the body drained so that the connection is reused. (io.ReadAll + json.Unmarshal measures
// the same time with more memory.) Its http.Client has a 30 s timeout and a transport of its own,
// configured as http.DefaultTransport, as the SDK's.

// rawClient sends the raw requests to the API and OAuth base URLs (the same loopback server).
type rawClient struct {
	hc          *http.Client
	api, oauth  string
	bearerToken string
}

// rawCall is one raw request. A nil out reads no body but drains it.
type rawCall struct {
	method, base, path string
	query              url.Values
	contentType        string
	body               []byte
	bearer             bool
	out                any
}

func (rc *rawClient) do(ctx context.Context, call rawCall) error {
	u := call.base + call.path
	if len(call.query) > 0 {
		u += "?" + call.query.Encode()
	}
	var body io.Reader
	if call.body != nil {
		body = bytes.NewReader(call.body)
	}
	req, err := http.NewRequestWithContext(ctx, call.method, u, body)
	if err != nil {
		return err
	}
	if call.bearer {
		req.Header.Set("Authorization", "Bearer "+rc.bearerToken)
	}
	req.Header.Set("User-Agent", kick.DefaultUserAgent)
	if call.contentType != "" {
		req.Header.Set("Content-Type", call.contentType)
	}
	rsp, err := rc.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = rsp.Body.Close() }()
	if rsp.StatusCode < 200 || rsp.StatusCode > 299 {
		return fmt.Errorf("%s %s: status %d", call.method, call.path, rsp.StatusCode)
	}
	if call.out != nil {
		if err := json.NewDecoder(rsp.Body).Decode(call.out); err != nil {
			return err
		}
	}
	_, err = io.Copy(io.Discard, rsp.Body)
	return err
}

// get is a GET with the bearer token into out.
func (rc *rawClient) get(ctx context.Context, path string, q url.Values, out any) error {
	return rc.do(ctx, rawCall{method: http.MethodGet, base: rc.api, path: path, query: q, bearer: true, out: out})
}

// send is a request with a JSON body (nil for none) and the bearer token, into out.
func (rc *rawClient) send(ctx context.Context, method, path string, q url.Values, in, out any) error {
	call := rawCall{method: method, base: rc.api, path: path, query: q, bearer: true, out: out}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		call.body, call.contentType = b, "application/json"
	}
	return rc.do(ctx, call)
}

// rawEnvelope is Kick's answer: data, message and, on pages, the pagination.
type rawEnvelope[T any] struct {
	Data       T      `json:"data"`
	Message    string `json:"message"`
	Pagination struct {
		NextCursor string `json:"next_cursor"`
	} `json:"pagination"`
}

// The plain structs of the raw client, one per schema of Kick's answers.
type (
	rawUser struct {
		UserID         int64  `json:"user_id"`
		Name           string `json:"name"`
		Email          string `json:"email"`
		ProfilePicture string `json:"profile_picture"`
	}
	rawCategorySummary struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Thumbnail string `json:"thumbnail"`
	}
	rawCategory struct {
		ID        int64    `json:"id"`
		Name      string   `json:"name"`
		Tags      []string `json:"tags"`
		Thumbnail string   `json:"thumbnail"`
	}
	rawCategoryDetail struct {
		ID          int64    `json:"id"`
		Name        string   `json:"name"`
		Tags        []string `json:"tags"`
		Thumbnail   string   `json:"thumbnail"`
		ViewerCount int64    `json:"viewer_count"`
	}
	rawChannel struct {
		BroadcasterUserID  int64              `json:"broadcaster_user_id"`
		Slug               string             `json:"slug"`
		ChannelDescription string             `json:"channel_description"`
		BannerPicture      string             `json:"banner_picture"`
		StreamTitle        string             `json:"stream_title"`
		Category           rawCategorySummary `json:"category"`
		Stream             struct {
			URL         string    `json:"url"`
			Key         string    `json:"key"`
			IsLive      bool      `json:"is_live"`
			IsMature    bool      `json:"is_mature"`
			Language    string    `json:"language"`
			StartTime   time.Time `json:"start_time"`
			Thumbnail   string    `json:"thumbnail"`
			ViewerCount int64     `json:"viewer_count"`
			CustomTags  []string  `json:"custom_tags"`
		} `json:"stream"`
		ActiveSubscribersCount   int64 `json:"active_subscribers_count"`
		CanceledSubscribersCount int64 `json:"canceled_subscribers_count"`
	}
	rawLivestream struct {
		ID              string `json:"id"`
		BroadcasterUser struct {
			ID             int64  `json:"id"`
			Username       string `json:"username"`
			ProfilePicture string `json:"profile_picture"`
		} `json:"broadcaster_user"`
		Channel struct {
			Slug string `json:"slug"`
		} `json:"channel"`
		Category         rawCategorySummary `json:"category"`
		Title            string             `json:"title"`
		LanguageCode     string             `json:"language_code"`
		Tags             []string           `json:"tags"`
		HasMatureContent bool               `json:"has_mature_content"`
		Thumbnail        string             `json:"thumbnail"`
		ViewerCount      int64              `json:"viewer_count"`
		StartedAt        time.Time          `json:"started_at"`
	}
	rawLivestreamV1 struct {
		BroadcasterUserID int64              `json:"broadcaster_user_id"`
		ChannelID         int64              `json:"channel_id"`
		Slug              string             `json:"slug"`
		StreamTitle       string             `json:"stream_title"`
		Language          string             `json:"language"`
		HasMatureContent  bool               `json:"has_mature_content"`
		ViewerCount       int64              `json:"viewer_count"`
		Thumbnail         string             `json:"thumbnail"`
		ProfilePicture    string             `json:"profile_picture"`
		StartedAt         time.Time          `json:"started_at"`
		Category          rawCategorySummary `json:"category"`
		CustomTags        []string           `json:"custom_tags"`
	}
	rawReward struct {
		ID                                string `json:"id"`
		Title                             string `json:"title"`
		Description                       string `json:"description"`
		Cost                              int64  `json:"cost"`
		BackgroundColor                   string `json:"background_color"`
		IsEnabled                         bool   `json:"is_enabled"`
		IsPaused                          bool   `json:"is_paused"`
		IsUserInputRequired               bool   `json:"is_user_input_required"`
		ShouldRedemptionsSkipRequestQueue bool   `json:"should_redemptions_skip_request_queue"`
	}
	rawRedemptionGroup struct {
		Reward struct {
			ID          string `json:"id"`
			Title       string `json:"title"`
			Cost        int64  `json:"cost"`
			Description string `json:"description"`
			CanManage   bool   `json:"can_manage"`
			IsDeleted   bool   `json:"is_deleted"`
		} `json:"reward"`
		Redemptions []struct {
			ID         string    `json:"id"`
			RedeemedAt time.Time `json:"redeemed_at"`
			Redeemer   struct {
				UserID int64 `json:"user_id"`
			} `json:"redeemer"`
			Status    string `json:"status"`
			UserInput string `json:"user_input"`
		} `json:"redemptions"`
	}
	rawFailedRedemption struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	}
	rawDropsClaim struct {
		ClaimID        string    `json:"claim_id"`
		UserID         int64     `json:"user_id"`
		CampaignID     string    `json:"campaign_id"`
		RewardID       string    `json:"reward_id"`
		ExternalID     string    `json:"external_id"`
		ExternalStatus string    `json:"external_status"`
		CreatedAt      time.Time `json:"created_at"`
		UpdatedAt      time.Time `json:"updated_at"`
	}
	rawDropsClaims struct {
		Claims []rawDropsClaim `json:"claims"`
		Cursor string          `json:"cursor"`
	}
	rawEventSubscription struct {
		ID                string    `json:"id"`
		AppID             string    `json:"app_id"`
		BroadcasterUserID int64     `json:"broadcaster_user_id"`
		Event             string    `json:"event"`
		Version           int       `json:"version"`
		Method            string    `json:"method"`
		CreatedAt         time.Time `json:"created_at"`
		UpdatedAt         time.Time `json:"updated_at"`
	}
	rawSubscriptionResult struct {
		Name           string `json:"name"`
		Version        int    `json:"version"`
		SubscriptionID string `json:"subscription_id"`
		Error          string `json:"error"`
	}
	rawLeaderboardEntry struct {
		Rank         int    `json:"rank"`
		UserID       int64  `json:"user_id"`
		Username     string `json:"username"`
		GiftedAmount int64  `json:"gifted_amount"`
	}
	rawLeaderboard struct {
		Lifetime []rawLeaderboardEntry `json:"lifetime"`
		Month    []rawLeaderboardEntry `json:"month"`
		Week     []rawLeaderboardEntry `json:"week"`
	}
	rawTokenInfo struct {
		Active    bool   `json:"active"`
		ClientID  string `json:"client_id"`
		TokenType string `json:"token_type"`
		Scope     string `json:"scope"`
		Exp       int64  `json:"exp"`
	}
	rawToken struct {
		AccessToken  string `json:"access_token"`
		TokenType    string `json:"token_type"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
		Scope        string `json:"scope"`
	}
	rawSentChatMessage struct {
		IsSent    bool   `json:"is_sent"`
		MessageID string `json:"message_id"`
	}
)

// rawForm is a form body.
func rawForm(q url.Values) []byte { return []byte(q.Encode()) }
