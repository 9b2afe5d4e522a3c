package kicktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// stateVersion is the version of the format SaveState writes.
const stateVersion = 1

// maxStateFile bounds what LoadState reads.
const maxStateFile = 64 << 20

// SaveState writes the server's state as JSON: users, channels, categories, livestreams, rewards
// and redemptions, chat, bans, follows and subscriptions, KICKs, Drops claims, event
// subscriptions, the app's webhook URL, the authorize endpoint's user, and every token, refresh
// token and authorization code issued. LoadState reads it back into a server of the same app,
// such as the next run of `kick mock serve --state FILE`, so that logins and subscriptions outlive
// a restart. Deliveries, requests, faults and violations are not saved. The file holds live
// tokens: keep it private.
func (s *Server) SaveState(w io.Writer) error {
	// The snapshot shares the state's maps and slices: it is encoded under the lock, and only
	// the bytes are written after.
	s.mu.Lock()
	snap := s.st.snapshot()
	snap.Version = stateVersion
	snap.ClientID = s.app.ClientID
	snap.WebhookURL = s.app.WebhookURL
	snap.Authorizer = s.authorizer
	data, err := json.MarshalIndent(snap, "", " ")
	s.mu.Unlock()
	if err == nil {
		_, err = w.Write(append(data, '\n'))
	}
	if err != nil {
		return fmt.Errorf("kicktest: SaveState: %w", err)
	}
	return nil
}

// ErrOtherApp is returned by LoadState for the state of a server of another app.
var ErrOtherApp = errors.New("kicktest: the state belongs to another app")

// LoadState replaces the server's state with one SaveState wrote, the webhook URL and the
// authorize endpoint's user included. It fails, changing nothing, on a state of another version
// or of an app with another client id (ErrOtherApp): its tokens would not be the app's.
func (s *Server) LoadState(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, maxStateFile+1))
	if err != nil {
		return fmt.Errorf("kicktest: LoadState: %w", err)
	}
	if len(data) > maxStateFile {
		return fmt.Errorf("kicktest: LoadState: over %d bytes", maxStateFile)
	}
	var snap savedState
	if err := json.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("kicktest: LoadState: %w", err)
	}
	if snap.Version != stateVersion {
		return fmt.Errorf("kicktest: LoadState: state version %d, want %d", snap.Version, stateVersion)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if snap.ClientID != s.app.ClientID {
		return fmt.Errorf("%w: client id %q, not %q", ErrOtherApp, snap.ClientID, s.app.ClientID)
	}
	s.st = snap.restore()
	s.setWebhookURLLocked(snap.WebhookURL)
	if snap.Authorizer != 0 {
		s.authorizer = snap.Authorizer
	}
	return nil
}

// savedState is the JSON of SaveState: the state's unexported records, spelled out.
type savedState struct {
	Version    int    `json:"version"`
	ClientID   string `json:"client_id"`
	WebhookURL string `json:"webhook_url"`
	Authorizer int64  `json:"authorizer"`

	Users       []savedUser       `json:"users"`
	Channels    []savedChannel    `json:"channels"`
	Categories  []savedCategory   `json:"categories"`
	Streams     []savedStream     `json:"livestreams"`
	Rewards     []savedReward     `json:"rewards"`
	Redemptions []savedRedemption `json:"redemptions"`
	Messages    []*ChatMessage    `json:"messages"`
	Gifts       []savedGift       `json:"kicks_gifts"`
	Claims      []savedClaim      `json:"drops_claims"`
	Subs        []savedSub        `json:"event_subscriptions"`
	Tokens      []savedToken      `json:"tokens"`
	Refresh     []savedRefresh    `json:"refresh_tokens"`
	Codes       []savedCode       `json:"codes"`
	NextUserID  int64             `json:"next_user_id"`
	NextChannel int64             `json:"next_channel_id"`
}

type savedUser struct {
	ID             int64  `json:"id"`
	Username       string `json:"username"`
	Email          string `json:"email"`
	ProfilePicture string `json:"profile_picture"`
	Verified       bool   `json:"verified"`
	Color          string `json:"color"`
}

type savedChannel struct {
	ID           int64          `json:"id"`
	Broadcaster  int64          `json:"broadcaster"`
	Description  string         `json:"description"`
	Banner       string         `json:"banner"`
	Title        string         `json:"title"`
	CategoryID   int64          `json:"category_id"`
	Language     string         `json:"language"`
	Mature       bool           `json:"mature"`
	Tags         []string       `json:"tags"`
	StreamURL    string         `json:"stream_url"`
	StreamKey    string         `json:"stream_key"`
	Thumbnail    string         `json:"thumbnail"`
	ActiveSubs   int64          `json:"active_subs"`
	CanceledSubs int64          `json:"canceled_subs"`
	Mods         []int64        `json:"mods"`
	Followers    []int64        `json:"followers"`
	Subscribers  map[int64]int  `json:"subscribers"`
	Gifted       map[int64]int  `json:"gifted"`
	Bans         map[int64]*Ban `json:"bans"`
}

type savedCategory struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Tags      []string `json:"tags"`
	Thumbnail string   `json:"thumbnail"`
}

type savedStream struct {
	Broadcaster int64     `json:"broadcaster"`
	ID          string    `json:"id"`
	StartedAt   time.Time `json:"started_at"`
	Viewers     int64     `json:"viewers"`
}

type savedReward struct {
	ID            string `json:"id"`
	Broadcaster   int64  `json:"broadcaster"`
	Title         string `json:"title"`
	Description   string `json:"description"`
	Cost          int64  `json:"cost"`
	Color         string `json:"color"`
	Enabled       bool   `json:"enabled"`
	Paused        bool   `json:"paused"`
	InputRequired bool   `json:"input_required"`
	SkipQueue     bool   `json:"skip_queue"`
	CreatedBy     string `json:"created_by"`
	Deleted       bool   `json:"deleted"`
}

type savedRedemption struct {
	ID          string                `json:"id"`
	RewardID    string                `json:"reward_id"`
	Broadcaster int64                 `json:"broadcaster"`
	UserID      int64                 `json:"user_id"`
	Input       string                `json:"input"`
	Status      kick.RedemptionStatus `json:"status"`
	RedeemedAt  time.Time             `json:"redeemed_at"`
}

type savedGift struct {
	Sender      int64     `json:"sender"`
	Broadcaster int64     `json:"broadcaster"`
	Amount      int64     `json:"amount"`
	At          time.Time `json:"at"`
}

type savedClaim struct {
	ID         string    `json:"id"`
	CampaignID string    `json:"campaign_id"`
	RewardID   string    `json:"reward_id"`
	ExternalID string    `json:"external_id"`
	Status     string    `json:"status"`
	UserID     int64     `json:"user_id"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

type savedSub struct {
	ID          string         `json:"id"`
	Broadcaster int64          `json:"broadcaster"`
	Event       kick.EventType `json:"event"`
	Version     int            `json:"version"`
	Created     time.Time      `json:"created"`
}

type savedToken struct {
	Access  string         `json:"access"`
	Kind    kick.TokenKind `json:"kind"`
	UserID  int64          `json:"user_id"`
	Scopes  []kick.Scope   `json:"scopes"`
	Expires time.Time      `json:"expires"`
	Revoked bool           `json:"revoked"`
	Refresh string         `json:"refresh"`
	Grant   string         `json:"grant"`
}

type savedRefresh struct {
	Value   string       `json:"value"`
	UserID  int64        `json:"user_id"`
	Scopes  []kick.Scope `json:"scopes"`
	Used    bool         `json:"used"`
	Revoked bool         `json:"revoked"`
	Grant   string       `json:"grant"`
}

type savedCode struct {
	Code        string       `json:"code"`
	UserID      int64        `json:"user_id"`
	Scopes      []kick.Scope `json:"scopes"`
	RedirectURI string       `json:"redirect_uri"`
	Challenge   string       `json:"challenge"`
	Expires     time.Time    `json:"expires"`
	Used        bool         `json:"used"`
}

// sortedKeys returns the keys of a map, sorted, for a stable file.
func sortedKeys[K int64 | string, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }

// saved returns the records of m under keys, in that order, each in its saved form; a key m no
// longer holds (a deleted message) is left out.
func saved[K comparable, V, S any](keys []K, m map[K]V, save func(K, V) S) []S {
	out := make([]S, 0, len(keys))
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out = append(out, save(k, v))
		}
	}
	return out
}

// restored puts each saved record into m, under the key restore gives it, and returns the keys
// in the records' order.
func restored[K comparable, V, S any](recs []S, m map[K]V, restore func(S) (K, V)) []K {
	keys := make([]K, 0, len(recs))
	for _, r := range recs {
		k, v := restore(r)
		m[k] = v
		keys = append(keys, k)
	}
	return keys
}

// snapshot copies the state into its saved form, which shares the state's maps and slices:
// Server.mu is held until it is encoded. The records are built
// without field names, in both directions (restore), so that a field added to one fails to
// compile until it is saved too.
func (st *state) snapshot() savedState {
	out := savedState{
		NextUserID: st.nextUserID, NextChannel: st.nextChannel,
		Users: saved(st.userOrder, st.users, func(_ int64, u *user) savedUser {
			return savedUser{u.id, u.username, u.email, u.profilePicture, u.verified, u.color}
		}),
		Channels: saved(sortedKeys(st.channels), st.channels, func(_ int64, c *channel) savedChannel {
			return savedChannel{c.id, c.broadcaster, c.description, c.banner, c.title, c.categoryID, c.language,
				c.mature, c.tags, c.streamURL, c.streamKey, c.thumbnail, c.activeSubs, c.canceledSubs,
				sortedKeys(c.mods), sortedKeys(c.followers), c.subscribers, c.gifted, c.bans}
		}),
		Categories: saved(st.catOrder, st.categories, func(_ int64, c *category) savedCategory {
			return savedCategory{c.id, c.name, c.tags, c.thumbnail}
		}),
		Streams: saved(sortedKeys(st.streams), st.streams, func(broadcaster int64, l *livestream) savedStream {
			return savedStream{broadcaster, l.id, l.startedAt, l.viewers}
		}),
		Rewards: saved(st.rewardOrder, st.rewards, func(_ string, r *reward) savedReward {
			return savedReward{r.id, r.broadcaster, r.title, r.description, r.cost, r.color,
				r.enabled, r.paused, r.inputRequired, r.skipQueue, r.createdBy, r.deleted}
		}),
		Redemptions: saved(st.redeemOrder, st.redemptions, func(_ string, r *redemption) savedRedemption {
			return savedRedemption{r.id, r.rewardID, r.broadcaster, r.userID, r.input, r.status, r.redeemedAt}
		}),
		Messages: saved(st.msgOrder, st.messages, func(_ string, m *ChatMessage) *ChatMessage { return m }),
		Claims: saved(st.claimOrder, st.claims, func(_ string, c *dropsClaim) savedClaim {
			return savedClaim{c.id, c.campaignID, c.rewardID, c.externalID, c.status, c.userID, c.created, c.updated}
		}),
		Subs: saved(st.subOrder, st.subs, func(_ string, s *eventSub) savedSub {
			return savedSub{s.id, s.broadcaster, s.event, s.version, s.created}
		}),
		Tokens: saved(sortedKeys(st.tokens), st.tokens, func(_ string, t *token) savedToken {
			return savedToken{t.access, t.kind, t.userID, t.scopes, t.expires, t.revoked, t.refresh, t.grant}
		}),
		Refresh: saved(sortedKeys(st.refresh), st.refresh, func(_ string, r *refreshToken) savedRefresh {
			return savedRefresh{r.value, r.userID, r.scopes, r.used, r.revoked, r.grant}
		}),
		Codes: saved(sortedKeys(st.codes), st.codes, func(code string, c *authCode) savedCode {
			return savedCode{code, c.userID, c.scopes, c.redirectURI, c.challenge, c.expires, c.used}
		}),
	}
	for _, g := range st.gifts {
		out.Gifts = append(out.Gifts, savedGift{g.sender, g.broadcaster, g.amount, g.at})
	}
	return out
}

// emptyState is a state with nothing in it, for the app clientID.
func emptyState(clientID string) *state {
	return &state{
		clientID:    clientID,
		users:       map[int64]*user{},
		channels:    map[int64]*channel{},
		categories:  map[int64]*category{},
		streams:     map[int64]*livestream{},
		rewards:     map[string]*reward{},
		redemptions: map[string]*redemption{},
		messages:    map[string]*ChatMessage{},
		claims:      map[string]*dropsClaim{},
		subs:        map[string]*eventSub{},
		tokens:      map[string]*token{},
		refresh:     map[string]*refreshToken{},
		codes:       map[string]*authCode{},
	}
}

// restore builds a state from its saved form.
func (snap savedState) restore() *state {
	st := emptyState(snap.ClientID)
	st.nextUserID, st.nextChannel = snap.NextUserID, snap.NextChannel
	st.userOrder = restored(snap.Users, st.users, func(u savedUser) (int64, *user) {
		return u.ID, &user{u.ID, u.Username, u.Email, u.ProfilePicture, u.Verified, u.Color}
	})
	restored(snap.Channels, st.channels, func(c savedChannel) (int64, *channel) {
		return c.Broadcaster, &channel{c.ID, c.Broadcaster, c.Description, c.Banner, c.Title, c.CategoryID, c.Language,
			c.Mature, nonNil(c.Tags), c.StreamURL, c.StreamKey, c.Thumbnail, c.ActiveSubs, c.CanceledSubs,
			setOf(c.Mods), setOf(c.Followers), mapOrEmpty(c.Subscribers), mapOrEmpty(c.Gifted), mapOrEmpty(c.Bans)}
	})
	st.catOrder = restored(snap.Categories, st.categories, func(c savedCategory) (int64, *category) {
		return c.ID, &category{c.ID, c.Name, c.Tags, c.Thumbnail}
	})
	restored(snap.Streams, st.streams, func(l savedStream) (int64, *livestream) {
		return l.Broadcaster, &livestream{l.ID, l.StartedAt, l.Viewers}
	})
	st.rewardOrder = restored(snap.Rewards, st.rewards, func(r savedReward) (string, *reward) {
		return r.ID, &reward{r.ID, r.Broadcaster, r.Title, r.Description, r.Cost, r.Color, r.Enabled, r.Paused,
			r.InputRequired, r.SkipQueue, r.CreatedBy, r.Deleted}
	})
	st.redeemOrder = restored(snap.Redemptions, st.redemptions, func(r savedRedemption) (string, *redemption) {
		return r.ID, &redemption{r.ID, r.RewardID, r.Broadcaster, r.UserID, r.Input, r.Status, r.RedeemedAt}
	})
	// A state saved before deleted messages were left out holds null for each.
	messages := slices.DeleteFunc(snap.Messages, func(m *ChatMessage) bool { return m == nil })
	st.msgOrder = restored(messages, st.messages, func(m *ChatMessage) (string, *ChatMessage) { return m.MessageID, m })
	for _, g := range snap.Gifts {
		st.gifts = append(st.gifts, kicksGift{g.Sender, g.Broadcaster, g.Amount, g.At})
	}
	st.claimOrder = restored(snap.Claims, st.claims, func(c savedClaim) (string, *dropsClaim) {
		return c.ID, &dropsClaim{c.ID, c.CampaignID, c.RewardID, c.ExternalID, c.Status, c.UserID, c.Created, c.Updated}
	})
	st.subOrder = restored(snap.Subs, st.subs, func(s savedSub) (string, *eventSub) {
		return s.ID, &eventSub{s.ID, s.Broadcaster, s.Event, s.Version, s.Created}
	})
	restored(snap.Tokens, st.tokens, func(t savedToken) (string, *token) {
		return t.Access, &token{t.Access, t.Kind, t.UserID, t.Scopes, t.Expires, t.Revoked, t.Refresh, t.Grant}
	})
	restored(snap.Refresh, st.refresh, func(r savedRefresh) (string, *refreshToken) {
		return r.Value, &refreshToken{r.Value, r.UserID, r.Scopes, r.Used, r.Revoked, r.Grant}
	})
	restored(snap.Codes, st.codes, func(c savedCode) (string, *authCode) {
		return c.Code, &authCode{c.UserID, c.Scopes, c.RedirectURI, c.Challenge, c.Expires, c.Used}
	})
	return st
}

// setOf returns the set of ids.
func setOf(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// mapOrEmpty returns m, or an empty map for nil: the state writes into its maps.
func mapOrEmpty[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}
