package kicktest_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func TestChatIsStoredAndDeleted(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	viewer := client(t, s, kicktest.Viewer.UserID)
	mod := client(t, s, kicktest.Moderator.UserID)
	sent, err := viewer.Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "gg"})
	if err != nil || !sent.IsSent {
		t.Fatalf("Send = %+v, %v", sent, err)
	}
	reply, err := mod.Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "ty", ReplyToMessageID: sent.MessageID})
	if err != nil {
		t.Fatal(err)
	}
	bot, err := client(t, s, kicktest.Streamer.UserID).Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageBot, Content: "!discord"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages(kicktest.Streamer.UserID)
	got := make([]string, len(msgs))
	for i, m := range msgs {
		got[i] = fmt.Sprintf("%d %s %s %s", m.SenderUserID, m.Type, m.Content, m.ReplyToMessageID)
	}
	want := []string{
		fmt.Sprintf("%d user gg ", kicktest.Viewer.UserID),
		fmt.Sprintf("%d user ty %s", kicktest.Moderator.UserID, sent.MessageID),
		fmt.Sprintf("%d bot !discord ", kicktest.BotUser.UserID),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	// A viewer cannot delete; the moderator can, once.
	if err := viewer.Chat.Delete(ctx(t), sent.MessageID); !errors.Is(err, kick.ErrForbidden) {
		t.Errorf("viewer deletes: %v", err)
	}
	if err := mod.Chat.Delete(ctx(t), sent.MessageID); err != nil {
		t.Fatal(err)
	}
	if err := mod.Chat.Delete(ctx(t), sent.MessageID); !errors.Is(err, kick.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if n := len(s.Messages(kicktest.Streamer.UserID)); n != 2 {
		t.Errorf("%d messages after the delete, want 2", n)
	}
	// Replies must name a message of the same chat; the channel must exist.
	_, err = viewer.Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: 24871935, Content: "hi", ReplyToMessageID: reply.MessageID})
	if !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("reply across chats: %v", err)
	}
	_, err = viewer.Chat.Send(ctx(t), kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: 424242, Content: "hi"})
	if !errors.Is(err, kick.ErrNotFound) {
		t.Errorf("unknown channel: %v", err)
	}
	_ = bot
	noViolations(t, s)
}

func TestBansStopChatAndExpire(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	clock := func() time.Time { return now }
	s := kicktest.New(t, kicktest.WithClock(func() time.Time { return clock() }))
	mod := client(t, s, kicktest.Moderator.UserID)
	viewer := client(t, s, kicktest.Viewer.UserID)
	if err := mod.Moderation.Ban(ctx(t), kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Viewer.UserID, Duration: 10 * time.Minute, Reason: "caps"}); err != nil {
		t.Fatal(err)
	}
	bans := s.Bans(kicktest.Streamer.UserID)
	want := kicktest.Ban{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Viewer.UserID, ModeratorUserID: kicktest.Moderator.UserID, Reason: "caps", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
	if !slices.Contains(bans, want) {
		t.Errorf("bans %+v lack %+v", bans, want)
	}
	msg := kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: kicktest.Streamer.UserID, Content: "HELLO"}
	if _, err := viewer.Chat.Send(ctx(t), msg); !errors.Is(err, kick.ErrForbidden) {
		t.Errorf("banned user chats: %v", err)
	}
	// A viewer cannot ban; nobody bans the broadcaster.
	if err := viewer.Moderation.Ban(ctx(t), kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Moderator.UserID}); !errors.Is(err, kick.ErrForbidden) {
		t.Errorf("viewer bans: %v", err)
	}
	if err := mod.Moderation.Ban(ctx(t), kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Streamer.UserID}); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("banning the broadcaster: %v", err)
	}
	// The timeout ends with the clock.
	clock = func() time.Time { return now.Add(11 * time.Minute) }
	if _, err := viewer.Chat.Send(ctx(t), msg); err != nil {
		t.Errorf("after the timeout: %v", err)
	}
	// A permanent ban, lifted by Unban.
	if err := mod.Moderation.Ban(ctx(t), kick.ModerationBanParams{BroadcasterUserID: kicktest.Streamer.UserID, UserID: kicktest.Viewer.UserID}); err != nil {
		t.Fatal(err)
	}
	if err := mod.Moderation.Unban(ctx(t), kicktest.Streamer.UserID, kicktest.Viewer.UserID); err != nil {
		t.Fatal(err)
	}
	for _, b := range s.Bans(kicktest.Streamer.UserID) {
		if b.UserID == kicktest.Viewer.UserID {
			t.Errorf("still banned: %+v", b)
		}
	}
	noViolations(t, s)
}

func TestChannelsGetAndUpdate(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	streamer := client(t, s, kicktest.Streamer.UserID)
	title, cat := "Rust wipe with chat", int64(12)
	if err := streamer.Channels.Update(ctx(t), kick.ChannelUpdateParams{StreamTitle: &title, CategoryID: &cat, CustomTags: []string{"English", "Wipe"}}); err != nil {
		t.Fatal(err)
	}
	me, err := streamer.Channels.Me(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.StreamTitle != title || me.Category.Name != "Rust" || !slices.Equal(me.Stream.CustomTags, []string{"English", "Wipe"}) || me.Stream.Key.Reveal() == "" {
		t.Errorf("after the update: %+v", me)
	}
	if me.Stream.IsLive || !me.Stream.StartedAt.IsZero() {
		t.Errorf("offline channel: %+v", me.Stream)
	}
	bad := int64(999999)
	if err := streamer.Channels.Update(ctx(t), kick.ChannelUpdateParams{CategoryID: &bad}); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("unknown category: %v", err)
	}
	// Others' channels, by id and slug, without stream keys.
	other := client(t, s, kicktest.Viewer.UserID)
	chs, err := other.Channels.GetBySlug(ctx(t), []string{"nova-streams", kicktest.Streamer.ChannelSlug()})
	if err != nil {
		t.Fatal(err)
	}
	if len(chs) != 2 || chs[0].BroadcasterUserID != 24871935 || !chs[0].Stream.IsLive || chs[1].StreamTitle != title || chs[1].Stream.Key != "" {
		t.Errorf("by slug: %+v", chs)
	}
	if _, err := other.Channels.GetBySlug(ctx(t), []string{"nova-streams", "no-such-channel"}); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("an unknown slug: %v", err)
	}
	chs, err = other.Channels.Get(ctx(t), []int64{9183746, 424242})
	if err != nil || len(chs) != 1 || chs[0].Slug != "pixelpanda" {
		t.Errorf("by id: %+v, %v", chs, err)
	}
	tok := s.UserToken(kicktest.Viewer.UserID).AccessToken
	if a := getJSON(t, s, "/public/v1/channels?broadcaster_user_id=1001&slug=pixelpanda", tok); a.status != 400 || a.message(t) != "Invalid parameters or mixed parameter types" {
		t.Errorf("mixed: %d %s", a.status, a.body)
	}
	noViolations(t, s)
}

func TestUsers(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	users, err := c.Users.Get(ctx(t), []int64{kicktest.Viewer.UserID, kicktest.Streamer.UserID, 424242})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Email != "" || users[1].Email == "" || users[0].Username != kicktest.Viewer.Username {
		t.Errorf("users %+v: the email is only the token owner's", users)
	}
	added := s.AddUser("late_joiner")
	if u, ok := s.User(added.UserID); !ok || u.Username != "late_joiner" || added.ChannelSlug() != "late-joiner" {
		t.Errorf("AddUser = %+v, User = %+v %t", added, u, ok)
	}
	chs, err := c.Channels.Get(ctx(t), []int64{added.UserID})
	if err != nil || len(chs) != 1 || chs[0].Slug != "late-joiner" {
		t.Errorf("the added user's channel: %+v %v", chs, err)
	}
	if n := len(s.Users()); n < 12 {
		t.Errorf("%d users", n)
	}
	noViolations(t, s)
}

func TestRewardsBehaveAsDocumented(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	rewards, err := c.Rewards.List(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]kick.Reward{}
	for _, r := range rewards {
		byTitle[r.Title] = r
	}
	// A reward another app (here kick.com) created cannot be changed.
	cost := int64(1)
	if _, err := c.Rewards.Update(ctx(t), byTitle["Hydrate!"].ID, kick.RewardUpdateParams{Cost: &cost}); !errors.Is(err, kick.ErrForbidden) {
		t.Errorf("update a foreign reward: %v", err)
	}
	updated, err := c.Rewards.Update(ctx(t), byTitle["Song Request"].ID, kick.RewardUpdateParams{Cost: &cost})
	if err != nil || updated.Cost != 1 || updated.Title != "Song Request" {
		t.Errorf("update: %+v %v", updated, err)
	}
	created, err := c.Rewards.Create(ctx(t), kick.RewardCreateParams{Title: "Hydrate x2", Cost: 200})
	if err != nil || created.BackgroundColor != "#00e701" || !created.IsEnabled {
		t.Fatalf("create with defaults: %+v %v", created, err)
	}
	// 15 rewards at most, disabled ones included.
	for i := len(rewards) + 1; i < 15; i++ {
		if _, err := c.Rewards.Create(ctx(t), kick.RewardCreateParams{Title: fmt.Sprintf("Reward %d", i), Cost: 10, IsEnabled: kick.Ptr(false)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Rewards.Create(ctx(t), kick.RewardCreateParams{Title: "One too many", Cost: 10}); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("the 16th reward: %v", err)
	}
	if err := c.Rewards.Delete(ctx(t), created.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Rewards.Delete(ctx(t), created.ID); !errors.Is(err, kick.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	// Another streamer sees none of them.
	if rs, err := client(t, s, kicktest.Viewer.UserID).Rewards.List(ctx(t)); err != nil || len(rs) != 0 {
		t.Errorf("viewer's rewards: %+v %v", rs, err)
	}
	noViolations(t, s)
}

func TestRedemptionsOnlyPendingAreSettled(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	page, err := c.Rewards.ListRedemptions(ctx(t), kick.RedemptionListParams{})
	if err != nil {
		t.Fatal(err)
	}
	var pending []string
	for _, g := range page.Items {
		for _, r := range g.Redemptions {
			if r.Status != kick.RedemptionPending {
				t.Errorf("default status lists %s", r.Status)
			}
			pending = append(pending, r.ID)
		}
	}
	if len(pending) != 2 {
		t.Fatalf("pending %v", pending)
	}
	failed, err := c.Rewards.AcceptRedemptions(ctx(t), []string{pending[0], "01KCTNCYQG4M5TWF0FEGH259ED", "01KEWZ2RKYZZFGD154K50Y3F8D"})
	if err != nil {
		t.Fatal(err)
	}
	want := []kick.FailedRedemption{
		{ID: "01KCTNCYQG4M5TWF0FEGH259ED", Reason: "reward is not managed by this app"},
		{ID: "01KEWZ2RKYZZFGD154K50Y3F8D", Reason: "redemption not found"},
	}
	if diff := cmp.Diff(want, failed); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	failed, err = c.Rewards.RejectRedemptions(ctx(t), []string{pending[0], pending[1]})
	if err != nil || len(failed) != 1 || failed[0].ID != pending[0] || !strings.HasPrefix(failed[0].Reason, "redemption is not pending") {
		t.Errorf("reject: %+v %v", failed, err)
	}
	// Paging: 60 redemptions come 25 a page, grouped by reward.
	for i := range 60 {
		s.Redeem(kicktest.Viewer.UserID, "01KCTQ8BSM8WG44HKGZAMRR0TE", fmt.Sprint("loadout ", i))
	}
	n, pages := 0, 0
	for g, err := range c.Rewards.AllRedemptions(ctx(t), kick.RedemptionListParams{RewardID: "01KCTQ8BSM8WG44HKGZAMRR0TE"}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		n += len(g.Redemptions)
		if !g.Reward.CanManage || g.Reward.Title != "Pick my next loadout" {
			t.Errorf("group reward %+v", g.Reward)
		}
	}
	if n != 60 || pages != 3 {
		t.Errorf("%d redemptions in %d pages, want 60 in 3", n, pages)
	}
	noViolations(t, s)
}

func TestEventSubscriptions(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	// No webhook URL: each event fails in its result, as on Kick.
	results, err := c.Events.Subscribe(ctx(t), kick.EventSubscribeParams{Events: []kick.SubscribeEvent{{Type: kick.EventChannelFollowed}}})
	var se *kick.SubscribeError
	if !errors.As(err, &se) || len(results) != 1 || !strings.Contains(results[0].Err.Error(), "webhooks are not enabled for app") {
		t.Fatalf("without a webhook URL: %+v %v", results, err)
	}
	s.SetWebhookURL("http://127.0.0.1:1/kick/webhook")
	// A user token subscribes its own channel, whatever broadcaster it names; an app token any.
	if _, err := c.Events.Subscribe(ctx(t), kick.EventSubscribeParams{BroadcasterUserID: 24871935, Events: []kick.SubscribeEvent{{Type: kick.EventChannelFollowed}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events.SubscribeTo(ctx(t), 24871935, kick.EventChatMessageSent); err != nil {
		t.Fatal(err)
	}
	subs, err := c.Events.List(ctx(t), kick.EventListParams{})
	if err != nil || len(subs) != 2 || subs[0].BroadcasterUserID != kicktest.Streamer.UserID || subs[1].BroadcasterUserID != 24871935 || subs[0].AppID != s.App.ClientID {
		t.Fatalf("subscriptions %+v %v", subs, err)
	}
	if only, err := c.Events.List(ctx(t), kick.EventListParams{BroadcasterUserID: 24871935}); err != nil || len(only) != 1 {
		t.Errorf("filtered: %+v %v", only, err)
	}
	app := s.AppToken().AccessToken
	a := sendJSON(t, s, "POST", "/public/v1/events/subscriptions", app, `{"events":[{"name":"channel.followed","version":1}],"method":"webhook"}`)
	if a.status != 400 {
		t.Errorf("an app token without broadcaster: %d %s", a.status, a.body)
	}
	// chat.message.sent is limited to 1,000 subscriptions for an unverified app, counting the
	// one above: a request that would go over subscribes nothing and gets Kick's 400.
	events := strings.Repeat(`{"name":"chat.message.sent","version":1},`, 1000) + `{"name":"kicks.gifted","version":2}`
	a = sendJSON(t, s, "POST", "/public/v1/events/subscriptions", app, `{"broadcaster_user_id":1001,"method":"webhook","events":[`+events+`]}`)
	if a.status != 400 || string(a.body) != `{"data":"event subscription limit reached","message":"Bad request"}` {
		t.Errorf("over the limit: %d %s", a.status, a.body)
	}
	events = strings.Repeat(`{"name":"chat.message.sent","version":1},`, 999) + `{"name":"kicks.gifted","version":2}`
	a = sendJSON(t, s, "POST", "/public/v1/events/subscriptions", app, `{"broadcaster_user_id":1001,"method":"webhook","events":[`+events+`]}`)
	var res []struct {
		Name, SubscriptionID, Error string
	}
	a.data(t, &res)
	if len(res) != 1000 || res[998].Error != "" || !strings.Contains(res[999].Error, "version 2") {
		t.Errorf("up to the limit: %d results, %+v %+v", len(res), res[998], res[999])
	}
	if n := len(s.EventSubscriptions(1001)); n != 1000 {
		t.Errorf("up to the limit: %d subscriptions of channel 1001, want 1000", n)
	}
	ids := make([]string, len(subs))
	for i, sub := range subs {
		ids[i] = sub.ID
	}
	if err := c.Events.Unsubscribe(ctx(t), ids); err != nil {
		t.Fatal(err)
	}
	left, err := c.Events.List(ctx(t), kick.EventListParams{BroadcasterUserID: 24871935})
	if err != nil || len(left) != 0 {
		t.Errorf("after Unsubscribe: %+v %v", left, err)
	}
	noViolations(t, s)
}

func TestLivestreamsAndCategories(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Viewer.UserID)
	var titles []string
	var last time.Time
	for ls, err := range c.Livestreams.All(ctx(t), kick.LivestreamListParams{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		if ls.StartedAt.Before(last) {
			t.Errorf("not oldest first: %v after %v", ls.StartedAt, last)
		}
		last = ls.StartedAt
		titles = append(titles, ls.Title)
	}
	if len(titles) != 5 {
		t.Errorf("live: %q", titles)
	}
	stats, err := c.Livestreams.Stats(ctx(t))
	if err != nil || stats.TotalCount != 5 {
		t.Errorf("stats %+v %v", stats, err)
	}
	s.StartStream(kicktest.Streamer.UserID, "going live!")
	byUser, err := c.Livestreams.GetByUsers(ctx(t), []int64{kicktest.Streamer.UserID, 9183746, 24871935})
	if err != nil || len(byUser) != 2 || byUser[0].Title != "going live!" || byUser[1].ChannelSlug != "nova-streams" {
		t.Errorf("by users: %+v %v", byUser, err)
	}
	en, err := c.Livestreams.List(ctx(t), kick.LivestreamListParams{Languages: []string{"tr"}, CategoryIDs: []int64{15}})
	if err != nil || len(en.Items) != 1 || en.Items[0].ChannelSlug != "lunakai" {
		t.Errorf("filtered: %+v %v", en, err)
	}
	v1, err := c.Livestreams.ListV1(ctx(t), //nolint:staticcheck // the deprecated operation is served too
		kick.LivestreamListV1Params{Sort: kick.LivestreamSortViewerCount, Limit: 2})
	if err != nil || len(v1) != 2 || v1[0].ChannelSlug != "slotqueen-vip" || v1[0].ViewerCount < v1[1].ViewerCount {
		t.Errorf("v1: %+v %v", v1, err)
	}
	s.EndStream(kicktest.Streamer.UserID)
	if stats, _ := c.Livestreams.Stats(ctx(t)); stats.TotalCount != 5 {
		t.Errorf("after EndStream: %+v", stats)
	}

	var names []string
	for cat, err := range c.Categories.All(ctx(t), kick.CategoryListParams{Tags: []string{"Shooter"}, Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, cat.Name)
	}
	if want := []string{"Rust", "Counter-Strike 2", "VALORANT", "Call of Duty: Warzone", "Fortnite"}; !slices.Equal(names, want) {
		t.Errorf("shooters %q, want %q", names, want)
	}
	cat, err := c.Categories.Get(ctx(t), 28)
	if err != nil || cat.Name != "Slots & Casino" {
		t.Errorf("Get: %+v %v", cat, err)
	}
	if _, err := c.Categories.Get(ctx(t), 424242); !errors.Is(err, kick.ErrNotFound) {
		t.Errorf("Get unknown: %v", err)
	}
	found, err := c.Categories.SearchV1(ctx(t), "rust", 0) //nolint:staticcheck // the deprecated operation is served too
	if err != nil || len(found) != 2 {
		t.Errorf("SearchV1: %+v %v", found, err)
	}
	detail, err := c.Categories.GetV1(ctx(t), 12) //nolint:staticcheck // the deprecated operation is served too
	if err != nil || detail.ViewerCount != 1843 {
		t.Errorf("GetV1: %+v %v", detail, err)
	}
	noViolations(t, s)
}

func TestKicksLeaderboard(t *testing.T) {
	t.Parallel()
	// A Friday: the week began on Monday the 9th, the month on the 1st.
	now := time.Date(2026, 3, 13, 12, 0, 0, 0, time.UTC)
	s := kicktest.New(t, kicktest.WithClock(func() time.Time { return now }))
	s.GiftKicks(kicktest.Viewer.UserID, kicktest.Streamer.UserID, 100000, "for the new camera")
	board, err := client(t, s, kicktest.Streamer.UserID).Kicks.Leaderboard(ctx(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(board.Lifetime) != 2 || board.Lifetime[0].Username != "pixelpanda" || board.Lifetime[1].UserID != kicktest.Viewer.UserID || board.Lifetime[1].GiftedAmount != 100500 {
		t.Errorf("lifetime %+v", board.Lifetime)
	}
	if len(board.Week) == 0 || board.Week[0].UserID != kicktest.Viewer.UserID || board.Week[0].Rank != 1 {
		t.Errorf("week %+v", board.Week)
	}
	noViolations(t, s)
}

// The seeded leaderboard is the same on any day: this week's gifts are inside the week and the
// month whatever the clock says, at the edges of a week, a month, a year and on a leap day.
func TestKicksLeaderboardAnyDay(t *testing.T) {
	t.Parallel()
	entry := func(rank int, id int64, name string, amount int64) kick.KicksLeaderboardEntry {
		return kick.KicksLeaderboardEntry{Rank: rank, UserID: id, Username: name, GiftedAmount: amount}
	}
	lifetime := []kick.KicksLeaderboardEntry{
		entry(1, 9183746, "pixelpanda", 126000), entry(2, 51724903, "lunakai", 48500),
		entry(3, 33810257, "rustlord_88", 7500), entry(4, kicktest.Viewer.UserID, kicktest.Viewer.Username, 500),
	}
	week := []kick.KicksLeaderboardEntry{entry(1, 33810257, "rustlord_88", 5000), entry(2, 9183746, "pixelpanda", 1000)}
	month := []kick.KicksLeaderboardEntry{
		entry(1, 51724903, "lunakai", 12000), entry(2, 33810257, "rustlord_88", 5000),
		entry(3, 9183746, "pixelpanda", 1000), entry(4, kicktest.Viewer.UserID, kicktest.Viewer.Username, 500),
	}
	for _, tt := range []struct {
		name  string
		now   time.Time
		month []kick.KicksLeaderboardEntry // the month's board: the week's when the month began this week
	}{
		{"Monday 00:00:00", time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), month},
		{"Monday 00:30", time.Date(2026, 12, 7, 0, 30, 0, 0, time.UTC), month},
		{"Tuesday", time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), month},
		{"Friday", time.Date(2026, 12, 11, 18, 0, 0, 0, time.UTC), month},
		{"Sunday 23:59:59", time.Date(2026, 12, 13, 23, 59, 59, 0, time.UTC), month},
		{"31 December 23:59:59", time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC), month},
		{"1 January 00:00, a Friday", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), week},
		{"29 February, a Tuesday", time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), month},
		{"1 March, Monday 00:00", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), week},
		{"3 March, a Wednesday after a Monday 1st", time.Date(2027, 3, 3, 8, 0, 0, 0, time.UTC), week},
		{"8 March, the Monday after", time.Date(2027, 3, 8, 0, 0, 1, 0, time.UTC), month},
		{"another zone", time.Date(2026, 12, 7, 1, 30, 0, 0, time.FixedZone("CET", 3600)), month},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := kicktest.New(t, kicktest.WithClock(func() time.Time { return tt.now }))
			board, err := client(t, s, kicktest.Streamer.UserID).Kicks.Leaderboard(ctx(t), 10)
			if err != nil {
				t.Fatal(err)
			}
			want := &kick.KicksLeaderboard{Lifetime: lifetime, Month: tt.month, Week: week}
			if diff := cmp.Diff(want, board); diff != "" {
				t.Errorf("leaderboard at %v (-want +got):\n%s", tt.now, diff)
			}
			noViolations(t, s)
		})
	}
}

func TestDropsClaims(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	var ids []string
	for claim, err := range c.Drops.AllClaims(ctx(t), kick.DropsClaimListParams{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, claim.ClaimID)
	}
	if len(ids) != 4 || !slices.IsSorted(ids) {
		t.Errorf("claims %v", ids)
	}
	if err := c.Drops.UpdateClaims(ctx(t), []kick.DropsClaimUpdateParams{{ClaimID: ids[1], ExternalStatus: "processed"}}); err != nil {
		t.Fatal(err)
	}
	page, err := c.Drops.ListClaims(ctx(t), kick.DropsClaimListParams{ExternalStatus: "processed"})
	if err != nil || len(page.Items) != 2 || page.NextCursor != "" {
		t.Errorf("processed: %+v %v", page, err)
	}
	if err := c.Drops.UpdateClaims(ctx(t), []kick.DropsClaimUpdateParams{{ClaimID: "01KEWZ2RKYZZFGD154K50Y3F8D", ExternalStatus: "x"}}); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("unknown claim: %v", err)
	}
	// Drops need the app token.
	if _, err := c.Drops.ListClaims(ctx(t), kick.DropsClaimListParams{}, kick.WithTokenKind(kick.TokenKindUser)); err == nil {
		t.Error("a user token listed claims")
	}
	noViolations(t, s)
}
