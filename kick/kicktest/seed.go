package kicktest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// User is a Kick user of the fake: the account a test acts as. Every user has a channel, whose
// slug is ChannelSlug(). What the API serves of the user is a kick.User with the same UserID and
// Username.
type User struct {
	// UserID is the user id, which is also the channel's broadcaster user id.
	UserID int64
	// Username is the user's name.
	Username string
}

// ChannelSlug returns the user's channel slug: the username in lower case with "-" for "_", as
// Kick makes them ("kickgo_streamer" has kick.com/kickgo-streamer).
func (u User) ChannelSlug() string { return slugOf(u.Username) }

// The seeded users tests act as. Every server starts with them and with more streamers (see the
// package documentation).
var (
	// Streamer owns the channel most tests use: offline at start, with rewards, redemptions,
	// a KICKs leaderboard and a moderator. It is the default user of the authorize endpoint.
	Streamer = User{UserID: 1001, Username: "kickgo_streamer"}
	// Viewer watches and chats; a 3-month subscriber of Streamer.
	Viewer = User{UserID: 1002, Username: "kickgo_viewer"}
	// Moderator moderates Streamer's chat.
	Moderator = User{UserID: 1003, Username: "kickgo_mod"}
	// BotUser is the app's chat bot: bot chat messages are sent as this user.
	BotUser = User{UserID: 1004, Username: "kickgo_bot"}
)

// ChatMessage is a chat message stored by the server, for assertions (Server.Messages).
type ChatMessage struct {
	// MessageID is the message id, a UUID.
	MessageID string
	// BroadcasterUserID is the channel whose chat the message is in, and SenderUserID who sent it
	// (BotUser for a bot message).
	BroadcasterUserID, SenderUserID int64
	// Type is how the message was sent: kick.ChatMessageUser or kick.ChatMessageBot through the
	// API, kick.ChatMessageUser for SendChat.
	Type kick.ChatMessageType
	// Content is the text, emotes inline as [emote:<id>:<name>].
	Content string
	// ReplyToMessageID is the id of the message this one replies to, or "".
	ReplyToMessageID string
	// CreatedAt is when the server received it.
	CreatedAt time.Time
}

// Ban is a ban or timeout in a channel's chat, for assertions (Server.Bans).
type Ban struct {
	// BroadcasterUserID is the channel, UserID the banned user and ModeratorUserID who banned
	// them.
	BroadcasterUserID, UserID, ModeratorUserID int64
	// Reason is the reason given, or "".
	Reason string
	// CreatedAt is when the ban began; ExpiresAt when a timeout ends, zero for a permanent ban.
	CreatedAt, ExpiresAt time.Time
}

// active reports whether the ban is in force at now.
func (b *Ban) active(now time.Time) bool { return b.ExpiresAt.IsZero() || now.Before(b.ExpiresAt) }

type seedUser struct {
	id        int64
	name      string
	channelID int64
	verified  bool
	color     string
	// The channel: its stream category, title, language, tags, description and counts.
	category int64
	title    string
	language string
	tags     []string
	mature   bool
	about    string
	subs     int64
	canceled int64
	liveFor  time.Duration // > 0: live since that long
	viewers  int64
	thumbID  string
}

var seedUsers = []seedUser{
	{id: Streamer.UserID, name: Streamer.Username, channelID: 1000101, verified: true, color: "#53FC18",
		category: 15, title: "Sunday variety stream | !discord", language: "en", tags: []string{"English", "Variety"},
		about: "Variety streams, chill chat. Be kind.", subs: 42, canceled: 3, thumbID: "Kg7StrM2x9Qa"},
	{id: Viewer.UserID, name: Viewer.Username, channelID: 1000102, color: "#1E90FF",
		category: 15, title: "first stream ever!!", language: "en", tags: []string{"English"}, thumbID: "Vw2RtL8mNp4C"},
	{id: Moderator.UserID, name: Moderator.Username, channelID: 1000103, color: "#FF9F1C",
		category: 4, title: "building a castle, slowly", language: "en", tags: []string{"English", "Cozy"}, thumbID: "Md5HqX1zTb7E"},
	{id: BotUser.UserID, name: BotUser.Username, channelID: 1000104, color: "#9B59B6",
		category: 15, title: "", language: "en", thumbID: "Bt3PzW6yKc0D"},
	{id: 24871935, name: "nova_streams", channelID: 24592127, verified: true, color: "#E74C3C",
		category: 12, title: "FORCE WIPE DAY | solo to top clan | !discord", language: "en", tags: []string{"English", "Wipeday", "Solo"},
		about: "Daily Rust wipes and chill vibes. Business: nova.streams@example.com", subs: 1204, canceled: 87,
		liveFor: 2*time.Hour + 13*time.Minute, viewers: 1843, thumbID: "Qm3XkR9pLw2T"},
	{id: 9183746, name: "pixelpanda", channelID: 9012345, color: "#2ECC71",
		category: 8549, title: "Premier grind to 20k", language: "en", tags: []string{"English", "Competitive"},
		about: "Tactical shooters, late nights. Be nice in chat.", subs: 312, canceled: 19, thumbID: "Vw8HtN2cJs5Y"},
	{id: 51724903, name: "lunakai", channelID: 51398876, verified: true, color: "#F1C40F",
		category: 15, title: "sabah kahvesi & sohbet ☕", language: "tr", tags: []string{"Türkçe", "Sohbet"}, mature: true,
		about: "Her sabah kahve, her akşam oyun.", subs: 655, canceled: 41,
		liveFor: 47 * time.Minute, viewers: 312, thumbID: "Jd4RfT7yKp1M"},
	{id: 33810257, name: "rustlord_88", channelID: 33520019, color: "#95A5A6",
		category: 12, title: "monument runs and raids", language: "en", tags: []string{"English", "PvP"},
		about: "Rust since legacy.", subs: 18, canceled: 4, thumbID: "Rl9CwE3nHv6B"},
	{id: 40529318, name: "slotqueen_vip", channelID: 40211907, verified: true, color: "#FF69B4",
		category: 28, title: "$50K BONUS HUNT 🎰 !bonus | 18+", language: "en", tags: []string{"English", "Slots", "BonusHunt"}, mature: true,
		about: "Gamble responsibly. 18+ only.", subs: 2380, canceled: 190,
		liveFor: 5*time.Hour + 2*time.Minute, viewers: 5210, thumbID: "Sq1VbN8kDw2R"},
	{id: 61230477, name: "nomad_irl", channelID: 60987712, color: "#00CED1",
		category: 14, title: "walking Shibuya at night 🌃 | !socials !tts", language: "en", tags: []string{"English", "Travel", "Japan"},
		about: "Backpacking around the world, live.", subs: 874, canceled: 66,
		liveFor: time.Hour + 18*time.Minute, viewers: 2764, thumbID: "Ni6TkY4pZr9M"},
	{id: 27718342, name: "clutchkingcs", channelID: 27503398, color: "#FF4500",
		category: 8549, title: "FACEIT lvl 10 grind até o amanhecer | !skins", language: "pt", tags: []string{"Português", "FACEIT"},
		about: "CS desde 1.6.", subs: 403, canceled: 28,
		liveFor: 3*time.Hour + 40*time.Minute, viewers: 947, thumbID: "Ck2FgH5jQs8W"},
	{id: 15209876, name: "chillbeats", channelID: 15001234, color: "#8E44AD",
		category: 26, title: "lofi production from scratch 🎹", language: "en", tags: []string{"English", "Music", "Production"},
		about: "Making beats live. Requests open on Fridays.", subs: 97, canceled: 9, thumbID: "Cb7MnB1xLq3V"},
}

var seedCategories = []category{
	{id: 15, name: "Just Chatting", tags: []string{"Chatting", "Talk Show", "Community"}, thumbnail: categoryThumb(15, "b697a8a3-62db-4779-aa76-e4e47662af97")},
	{id: 12, name: "Rust", tags: []string{"FPS", "Shooter", "Survival"}, thumbnail: categoryThumb(12, "3d1d6cbb-fc49-4d1c-b2e8-4a4b0d0c2f6e")},
	{id: 28, name: "Slots & Casino", tags: []string{"Casino", "Gambling", "Slots"}},
	{id: 8549, name: "Counter-Strike 2", tags: []string{"FPS", "Shooter", "Tactical"}, thumbnail: categoryThumb(8549, "a3f0e4c2-5b7d-4c1e-9e2a-6f1b8d9c0e3a")},
	{id: 14, name: "IRL", tags: []string{"IRL", "Travel", "Outdoors"}},
	{id: 3, name: "Grand Theft Auto V", tags: []string{"Action", "Open World", "Roleplay"}},
	{id: 6, name: "VALORANT", tags: []string{"FPS", "Shooter", "Tactical"}},
	{id: 5, name: "League of Legends", tags: []string{"MOBA", "Strategy"}},
	{id: 4, name: "Minecraft", tags: []string{"Sandbox", "Survival", "Building"}},
	{id: 9, name: "Call of Duty: Warzone", tags: []string{"FPS", "Battle Royale", "Shooter"}},
	{id: 11, name: "Fortnite", tags: []string{"Battle Royale", "Shooter", "Building"}},
	{id: 26, name: "Music", tags: []string{"Music", "Performance", "Creative"}},
	{id: 17, name: "Elden Ring", tags: []string{"RPG", "Souls-like", "Action"}},
	{id: 10213, name: "Rust Console Edition", tags: []string{"Survival", "Console"}, thumbnail: categoryThumb(10213, "6c2e1f8a-0d4b-47a9-8b3e-2f5c7a9d1e40")},
}

func categoryThumb(id int64, uuid string) string {
	return fmt.Sprintf("https://files.kick.com/images/subcategories/%d/banner/%s", id, uuid)
}

func profilePicture(id int64) string {
	return fmt.Sprintf("https://files.kick.com/images/user/%d/profile_image/conversion/%s-fullsize.webp", id, seedUUID(fmt.Sprint("profile", id)))
}

const ingestURL = "rtmps://fa723fc1b171.global-contribute.live-video.net:443/app/"

// newState returns the seeded state, with times relative to now.
func newState(now time.Time, clientID string) *state {
	st := emptyState(clientID)
	st.nextUserID, st.nextChannel = 90000001, 89000001
	for i := range seedCategories {
		c := seedCategories[i]
		c.tags = slices.Clone(c.tags)
		if c.thumbnail == "" {
			c.thumbnail = categoryThumb(c.id, seedUUID(fmt.Sprint("category", c.id)))
		}
		st.categories[c.id] = &c
		st.catOrder = append(st.catOrder, c.id)
	}
	for _, su := range seedUsers {
		st.addUser(su, now)
	}
	streamer := st.channels[Streamer.UserID]
	streamer.mods[Moderator.UserID] = true
	streamer.subscribers[Viewer.UserID] = 3
	streamer.subscribers[Moderator.UserID] = 12
	streamer.gifted[51724903] = 5
	for _, id := range []int64{Viewer.UserID, Moderator.UserID, 24871935, 9183746, 51724903, 33810257} {
		streamer.followers[id] = true
	}
	spammer := st.addUser(seedUser{id: 99000001, name: "crypto_giveaway_bot", channelID: 98700001, color: "#CCCCCC", category: 15, language: "en", thumbID: "Xx0SpAm0Xx01"}, now)
	streamer.bans[spammer.id] = &Ban{BroadcasterUserID: Streamer.UserID, UserID: spammer.id, ModeratorUserID: Moderator.UserID, Reason: "spam links", CreatedAt: now.Add(-72 * time.Hour)}

	for _, r := range []*reward{
		{id: "01KBQVW2KVQNX4Y6RN800Y9K4N", title: "Song Request", description: "Request a song by providing a URL", cost: 500, color: "#00e701", enabled: true, inputRequired: true, createdBy: clientID},
		{id: "01KBSGJFS9MGCEJFEJH2AJ6QEA", title: "Hydrate!", description: "Make me drink some water", cost: 100, color: "#1e90ff", enabled: true, paused: true, skipQueue: true},
		{id: "01KCTQ8BSM8WG44HKGZAMRR0TE", title: "Pick my next loadout", description: "Tell me what weapon to run next round", cost: 2500, color: "#ff6b00", enabled: true, inputRequired: true, createdBy: clientID},
	} {
		r.broadcaster = Streamer.UserID
		st.rewards[r.id] = r
		st.rewardOrder = append(st.rewardOrder, r.id)
	}
	for _, r := range []*redemption{
		{id: "01KCTMKVPJSHGFM52XHC9MSHDF", rewardID: "01KBQVW2KVQNX4Y6RN800Y9K4N", userID: Viewer.UserID, input: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", status: kick.RedemptionPending, redeemedAt: now.Add(-20 * time.Minute)},
		{id: "01KCTMVZVAQ33RVXHGD7N7WX7E", rewardID: "01KBQVW2KVQNX4Y6RN800Y9K4N", userID: 51724903, input: "Daft Punk - Harder, Better, Faster, Stronger", status: kick.RedemptionPending, redeemedAt: now.Add(-15 * time.Minute)},
		{id: "01KCTNCYQG4M5TWF0FEGH259ED", rewardID: "01KBSGJFS9MGCEJFEJH2AJ6QEA", userID: 33810257, status: kick.RedemptionAccepted, redeemedAt: now.Add(-10 * time.Minute)},
	} {
		r.broadcaster = Streamer.UserID
		st.redemptions[r.id] = r
		st.redeemOrder = append(st.redeemOrder, r.id)
	}
	// The gifts are placed from the clock's week and month, not at fixed distances from now, so
	// that the leaderboard is the same on any day: this week's in the current week and month,
	// the month's others between the 1st and this week's Monday (before both when the month began
	// this week: then the month's board is the week's), the rest 40 days ago or more.
	week, month := leaderboardPeriods(now)
	current := later(week, month)
	thisWeek := func(part float64) time.Time { return current.Add(time.Duration(part * float64(now.Sub(current)))) }
	earlierThisMonth := func(part float64) time.Time {
		if month.Before(week) {
			return month.Add(time.Duration(part * float64(week.Sub(month))))
		}
		return earlier(week, month).AddDate(0, 0, -1)
	}
	for _, g := range []kicksGift{
		{sender: 9183746, amount: 125000, at: now.AddDate(0, 0, -200)},
		{sender: 51724903, amount: 36500, at: now.AddDate(0, 0, -90)},
		{sender: 51724903, amount: 12000, at: earlierThisMonth(0.5)},
		{sender: 33810257, amount: 2500, at: now.AddDate(0, 0, -40)},
		{sender: 33810257, amount: 5000, at: thisWeek(0.25)},
		{sender: Viewer.UserID, amount: 500, at: earlierThisMonth(0.25)},
		{sender: 9183746, amount: 1000, at: thisWeek(0.75)},
	} {
		g.broadcaster = Streamer.UserID
		st.gifts = append(st.gifts, g)
	}
	for _, c := range []*dropsClaim{
		{id: "01KAHCQF18J6SS3VD9WEC0FX71", userID: 9183746, campaignID: "01K9PT69ZWCJTPKF0R975KMS8E", rewardID: "01K9MKT3A1Y20BZB2RS7AFT4PH", externalID: "skin_wolf_hoodie", status: "processed", created: now.Add(-29 * 24 * time.Hour)},
		{id: "01KAHHCJ04RCQRR7SEFJXDZA7Q", userID: 51724903, campaignID: "01K9PT69ZWCJTPKF0R975KMS8E", rewardID: "01K9MKVYM51XG8C89H5R23ZR0H", externalID: "sign_kick_neon", status: "initiated", created: now.Add(-28 * 24 * time.Hour)},
		{id: "01KAKQ02J0Q11N8H6N1T3SPBV1", userID: Viewer.UserID, campaignID: "01K9PT69ZWCJTPKF0R975KMS8E", rewardID: "01K9MKT3A1Y20BZB2RS7AFT4PH", externalID: "skin_wolf_hoodie", status: "initiated", created: now.Add(-27 * 24 * time.Hour)},
		{id: "01KB3Z8W5JH2R7X4T9N6M1Q0PD", userID: 33810257, campaignID: "01KB3YV4C8N5E2W7Q9R1T6X3JH", rewardID: "01KB3YX9F2K7M4P1S8V5Z3W6NC", status: "initiated", created: now.Add(-12 * 24 * time.Hour)},
	} {
		c.updated = c.created
		if c.status == "processed" {
			c.updated = c.created.Add(3 * time.Second)
		}
		st.claims[c.id] = c
		st.claimOrder = append(st.claimOrder, c.id)
	}
	slices.Sort(st.claimOrder)
	return st
}

// addUser adds a user and its channel, live when su.liveFor > 0.
func (st *state) addUser(su seedUser, now time.Time) *user {
	u := &user{id: su.id, username: su.name, profilePicture: profilePicture(su.id), verified: su.verified, color: su.color}
	u.email = strings.ReplaceAll(su.name, "_", ".") + "@example.com"
	st.users[u.id] = u
	st.userOrder = append(st.userOrder, u.id)
	ch := &channel{
		id:           su.channelID,
		broadcaster:  u.id,
		description:  su.about,
		banner:       fmt.Sprintf("https://files.kick.com/images/channel/%d/banner_image/%s", su.channelID, seedUUID(fmt.Sprint("banner", su.id))),
		title:        su.title,
		categoryID:   su.category,
		language:     su.language,
		mature:       su.mature,
		tags:         slices.Clone(su.tags),
		streamURL:    ingestURL,
		streamKey:    "sk_us-west-2_" + strings.ReplaceAll(seedUUID(fmt.Sprint("key", su.id)), "-", "")[:28],
		thumbnail:    fmt.Sprintf("https://images.kick.com/video_thumbnails/%s/%s/fullsize.webp", u.slug(), su.thumbID),
		activeSubs:   su.subs,
		canceledSubs: su.canceled,
		mods:         map[int64]bool{},
		followers:    map[int64]bool{},
		subscribers:  map[int64]int{},
		gifted:       map[int64]int{},
		bans:         map[int64]*Ban{},
	}
	if ch.tags == nil {
		ch.tags = []string{}
	}
	st.channels[u.id] = ch
	if su.liveFor > 0 {
		st.streams[u.id] = &livestream{id: seedUUID(fmt.Sprint("stream", su.id)), startedAt: now.Add(-su.liveFor).Truncate(time.Second), viewers: su.viewers}
	}
	return u
}

// publicUser returns the exported form of u.
func (u *user) public() User { return User{UserID: u.id, Username: u.username} }

// Users returns every user of the server, seeded and added, in the order they were created.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, len(s.st.userOrder))
	for i, id := range s.st.userOrder {
		out[i] = s.st.users[id].public()
	}
	return out
}

// User returns the user with the given id, if there is one.
func (s *Server) User(id int64) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.users[id]
	if u == nil {
		return User{}, false
	}
	return u.public(), true
}

// AddUser adds a user with an offline channel in Just Chatting and returns it. Its id is new;
// its slug is derived from username, which must be new, 3 to 25 characters of letters, digits and
// "_". It panics otherwise.
func (s *Server) AddUser(username string) User {
	if n := len(username); n < 3 || n > 25 || strings.Trim(username, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		panic(fmt.Sprintf("kicktest: AddUser: %q is not 3 to 25 letters, digits and underscores", username))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.st.users {
		if u.slug() == slugOf(username) {
			panic(fmt.Sprintf("kicktest: AddUser: %q is taken", username))
		}
	}
	id, chID := s.st.nextUserID, s.st.nextChannel
	s.st.nextUserID++
	s.st.nextChannel++
	u := s.st.addUser(seedUser{id: id, name: username, channelID: chID, color: "#53FC18", category: 15, language: "en", thumbID: strings.ToUpper(randomHex(6))}, s.cfg.now())
	return u.public()
}

// Messages returns the chat messages of a channel that have not been deleted, oldest first.
func (s *Server) Messages(broadcasterUserID int64) []ChatMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ChatMessage
	for _, id := range s.st.msgOrder {
		if m := s.st.messages[id]; m != nil && m.BroadcasterUserID == broadcasterUserID {
			out = append(out, *m)
		}
	}
	return out
}

// Bans returns the bans and timeouts in force in a channel's chat, oldest first.
func (s *Server) Bans(broadcasterUserID int64) []Ban {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.st.channels[broadcasterUserID]
	if ch == nil {
		return nil
	}
	now := s.cfg.now()
	var out []Ban
	for _, b := range ch.bans {
		if b.active(now) {
			out = append(out, *b)
		}
	}
	slices.SortFunc(out, func(a, b Ban) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}
