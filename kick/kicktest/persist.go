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
	s.mu.Lock()
	snap := s.st.snapshot()
	snap.Version = stateVersion
	snap.ClientID = s.app.ClientID
	snap.WebhookURL = s.app.WebhookURL
	snap.Authorizer = s.authorizer
	s.mu.Unlock()
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(snap); err != nil {
		return fmt.Errorf("kicktest: SaveState: %w", err)
	}
	return nil
}

// ErrStateMismatch is returned by LoadState for the state of a server of another app.
var ErrStateMismatch = errors.New("kicktest: the state belongs to another app")

// LoadState replaces the server's state with one SaveState wrote, the webhook URL and the
// authorize endpoint's user included. It fails, changing nothing, on a state of another version
// or of an app with another client id (ErrStateMismatch): its tokens would not be the app's.
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
		return fmt.Errorf("%w: client id %q, not %q", ErrStateMismatch, snap.ClientID, s.app.ClientID)
	}
	s.st = snap.restore()
	s.app.WebhookURL = snap.WebhookURL
	s.App.WebhookURL = snap.WebhookURL
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

// sortedKeys returns the keys of a set, sorted, for a stable file.
func sortedKeys[K int64 | string, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }

// snapshot copies the state into its saved form; Server.mu is held. The records are built
// without field names, so that a field added to one fails to compile until it is saved too.
func (st *state) snapshot() savedState {
	out := savedState{NextUserID: st.nextUserID, NextChannel: st.nextChannel}
	for _, id := range st.userOrder {
		u := st.users[id]
		out.Users = append(out.Users, savedUser{u.id, u.username, u.email, u.profilePicture, u.verified, u.color})
	}
	for _, id := range sortedKeys(st.channels) {
		c := st.channels[id]
		out.Channels = append(out.Channels, savedChannel{
			ID: c.id, Broadcaster: c.broadcaster, Description: c.description, Banner: c.banner, Title: c.title,
			CategoryID: c.categoryID, Language: c.language, Mature: c.mature, Tags: c.tags, StreamURL: c.streamURL,
			StreamKey: c.streamKey, Thumbnail: c.thumbnail, ActiveSubs: c.activeSubs, CanceledSubs: c.canceledSubs,
			Mods: sortedKeys(c.mods), Followers: sortedKeys(c.followers), Subscribers: c.subscribers, Gifted: c.gifted, Bans: c.bans,
		})
	}
	for _, id := range st.catOrder {
		c := st.categories[id]
		out.Categories = append(out.Categories, savedCategory{c.id, c.name, c.tags, c.thumbnail})
	}
	for _, id := range sortedKeys(st.streams) {
		l := st.streams[id]
		out.Streams = append(out.Streams, savedStream{id, l.id, l.startedAt, l.viewers})
	}
	for _, id := range st.rewardOrder {
		r := st.rewards[id]
		out.Rewards = append(out.Rewards, savedReward{r.id, r.broadcaster, r.title, r.description, r.cost, r.color,
			r.enabled, r.paused, r.inputRequired, r.skipQueue, r.createdBy, r.deleted})
	}
	for _, id := range st.redeemOrder {
		r := st.redemptions[id]
		out.Redemptions = append(out.Redemptions, savedRedemption{r.id, r.rewardID, r.broadcaster, r.userID, r.input, r.status, r.redeemedAt})
	}
	for _, id := range st.msgOrder {
		out.Messages = append(out.Messages, st.messages[id])
	}
	for _, g := range st.gifts {
		out.Gifts = append(out.Gifts, savedGift{g.sender, g.broadcaster, g.amount, g.at})
	}
	for _, id := range st.claimOrder {
		c := st.claims[id]
		out.Claims = append(out.Claims, savedClaim{c.id, c.campaignID, c.rewardID, c.externalID, c.status, c.userID, c.created, c.updated})
	}
	for _, id := range st.subOrder {
		if sub := st.subs[id]; sub != nil {
			out.Subs = append(out.Subs, savedSub{sub.id, sub.broadcaster, sub.event, sub.version, sub.created})
		}
	}
	for _, k := range sortedKeys(st.tokens) {
		t := st.tokens[k]
		out.Tokens = append(out.Tokens, savedToken{t.access, t.kind, t.userID, t.scopes, t.expires, t.revoked, t.refresh, t.grant})
	}
	for _, k := range sortedKeys(st.refresh) {
		r := st.refresh[k]
		out.Refresh = append(out.Refresh, savedRefresh{r.value, r.userID, r.scopes, r.used, r.revoked, r.grant})
	}
	for _, k := range sortedKeys(st.codes) {
		c := st.codes[k]
		out.Codes = append(out.Codes, savedCode{k, c.userID, c.scopes, c.redirectURI, c.challenge, c.expires, c.used})
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
	for _, u := range snap.Users {
		st.users[u.ID] = &user{u.ID, u.Username, u.Email, u.ProfilePicture, u.Verified, u.Color}
		st.userOrder = append(st.userOrder, u.ID)
	}
	set := func(ids []int64) map[int64]bool {
		m := make(map[int64]bool, len(ids))
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	orEmpty := func(m map[int64]int) map[int64]int {
		if m == nil {
			return map[int64]int{}
		}
		return m
	}
	for _, c := range snap.Channels {
		ch := &channel{
			id: c.ID, broadcaster: c.Broadcaster, description: c.Description, banner: c.Banner, title: c.Title,
			categoryID: c.CategoryID, language: c.Language, mature: c.Mature, tags: c.Tags, streamURL: c.StreamURL,
			streamKey: c.StreamKey, thumbnail: c.Thumbnail, activeSubs: c.ActiveSubs, canceledSubs: c.CanceledSubs,
			mods: set(c.Mods), followers: set(c.Followers), subscribers: orEmpty(c.Subscribers), gifted: orEmpty(c.Gifted), bans: c.Bans,
		}
		if ch.tags == nil {
			ch.tags = []string{}
		}
		if ch.bans == nil {
			ch.bans = map[int64]*Ban{}
		}
		st.channels[c.Broadcaster] = ch
	}
	for _, c := range snap.Categories {
		st.categories[c.ID] = &category{c.ID, c.Name, c.Tags, c.Thumbnail}
		st.catOrder = append(st.catOrder, c.ID)
	}
	for _, l := range snap.Streams {
		st.streams[l.Broadcaster] = &livestream{l.ID, l.StartedAt, l.Viewers}
	}
	for _, r := range snap.Rewards {
		st.rewards[r.ID] = &reward{r.ID, r.Broadcaster, r.Title, r.Description, r.Cost, r.Color, r.Enabled, r.Paused,
			r.InputRequired, r.SkipQueue, r.CreatedBy, r.Deleted}
		st.rewardOrder = append(st.rewardOrder, r.ID)
	}
	for _, r := range snap.Redemptions {
		st.redemptions[r.ID] = &redemption{r.ID, r.RewardID, r.Broadcaster, r.UserID, r.Input, r.Status, r.RedeemedAt}
		st.redeemOrder = append(st.redeemOrder, r.ID)
	}
	for _, m := range snap.Messages {
		if m == nil {
			continue
		}
		st.messages[m.MessageID] = m
		st.msgOrder = append(st.msgOrder, m.MessageID)
	}
	for _, g := range snap.Gifts {
		st.gifts = append(st.gifts, kicksGift{g.Sender, g.Broadcaster, g.Amount, g.At})
	}
	for _, c := range snap.Claims {
		st.claims[c.ID] = &dropsClaim{c.ID, c.CampaignID, c.RewardID, c.ExternalID, c.Status, c.UserID, c.Created, c.Updated}
		st.claimOrder = append(st.claimOrder, c.ID)
	}
	for _, s := range snap.Subs {
		st.subs[s.ID] = &eventSub{s.ID, s.Broadcaster, s.Event, s.Version, s.Created}
		st.subOrder = append(st.subOrder, s.ID)
	}
	for _, t := range snap.Tokens {
		st.tokens[t.Access] = &token{t.Access, t.Kind, t.UserID, t.Scopes, t.Expires, t.Revoked, t.Refresh, t.Grant}
	}
	for _, r := range snap.Refresh {
		st.refresh[r.Value] = &refreshToken{r.Value, r.UserID, r.Scopes, r.Used, r.Revoked, r.Grant}
	}
	for _, c := range snap.Codes {
		st.codes[c.Code] = &authCode{c.UserID, c.Scopes, c.RedirectURI, c.Challenge, c.Expires, c.Used}
	}
	return st
}
