package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

func usersCommand() *command {
	var format string
	return &command{
		name:  "users",
		short: "Get Kick users",
		subs: []*command{
			{
				name:  "get",
				args:  "ID...",
				short: "Get users by id",
				long: `Get users by their user ids, in the order given. Ids Kick does not know are reported on
stderr and make the exit status 1, after the users found are printed.

Token: the stored user token (with user:read), else the app token.`,
				flags: func(fs *flag.FlagSet) { outputFlag(fs, &format) },
				run: func(ctx context.Context, a *app, args []string) error {
					if err := minArgs(args, 1, "ID"); err != nil {
						return err
					}
					ids, err := parseIDArgs(args, "user id")
					if err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					users, err := c.Users.Get(ctx, ids)
					if err != nil {
						return err
					}
					if err := printUsers(a, format, users); err != nil {
						return err
					}
					return reportMissing(a, "user", ids, users, func(u kick.User) int64 { return u.UserID })
				},
			},
			{
				name:  "me",
				short: "Get the user of the stored user token",
				long: `Get the user who logged in with 'kick auth login' (the account of --account).

Token: the stored user token, with user:read.`,
				flags: func(fs *flag.FlagSet) { outputFlag(fs, &format) },
				run: func(ctx context.Context, a *app, args []string) error {
					if err := noArgs(args); err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					u, err := c.Users.Me(ctx)
					if err != nil {
						return err
					}
					return printUsers(a, format, []kick.User{*u})
				},
			},
		},
	}
}

func printUsers(a *app, format string, users []kick.User) error {
	if format == formatJSON {
		return writeJSON(a.stdout, users)
	}
	t := newTable(a.stdout, "ID", "NAME", "EMAIL", "PROFILE PICTURE")
	for _, u := range users {
		t.row(strconv.FormatInt(u.UserID, 10), u.Username, orDash(u.Email), orDash(u.ProfilePicture))
	}
	return t.flush()
}

// reportMissing reports on stderr the requested ids that are not among the results; any makes the
// exit status 1.
func reportMissing[T any](a *app, what string, ids []int64, got []T, idOf func(T) int64) error {
	found := make(map[int64]bool, len(got))
	for _, g := range got {
		found[idOf(g)] = true
	}
	var err error
	for _, id := range ids {
		if !found[id] {
			fmt.Fprintf(a.stderr, "error: %s %d not found\n", what, id)
			found[id] = true
			err = &silentError{exitError}
		}
	}
	return err
}

func channelsCommand() *command {
	var (
		format string
		slugs  []string
	)
	return &command{
		name:  "channels",
		short: "Get Kick channels",
		subs: []*command{
			{
				name:  "get",
				args:  "[ID...]",
				short: "Get channels by broadcaster user id or slug",
				long: `Get channels by their broadcasters' user ids and by slug (--slug, repeatable), ids first. Channels
Kick does not know are reported on stderr and make the exit status 1.

Token: the stored user token (with channel:read), else the app token.`,
				flags: func(fs *flag.FlagSet) {
					outputFlag(fs, &format)
					fs.Var(stringsValue{&slugs}, "slug", "channel `slug`, repeatable (or comma-separated)")
				},
				run: func(ctx context.Context, a *app, args []string) error {
					if len(args) == 0 && len(slugs) == 0 {
						return usagef("missing argument: give broadcaster user ids or --slug")
					}
					ids, err := parseIDArgs(args, "broadcaster user id")
					if err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					// Kick refuses ids and slugs in one call: kick sends them apart.
					channels, err := c.Channels.Get(ctx, ids)
					if err != nil {
						return err
					}
					bySlug, err := c.Channels.GetBySlug(ctx, slugs)
					if err != nil {
						return err
					}
					channels = append(channels, bySlug...)
					if err := printChannels(a, format, channels); err != nil {
						return err
					}
					missing := reportMissing(a, "channel of user", ids, channels, func(c kick.Channel) int64 { return c.BroadcasterUserID })
					for _, s := range slugs {
						if !slices.ContainsFunc(bySlug, func(c kick.Channel) bool { return strings.EqualFold(c.Slug, s) }) {
							fmt.Fprintf(a.stderr, "error: channel %q not found\n", s)
							missing = &silentError{exitError}
						}
					}
					return missing
				},
			},
			{
				name:  "me",
				short: "Get the channel of the stored user token",
				long: `Get the channel of the user who logged in with 'kick auth login'. Its stream key is
printed as REDACTED.

Token: the stored user token, with channel:read.`,
				flags: func(fs *flag.FlagSet) { outputFlag(fs, &format) },
				run: func(ctx context.Context, a *app, args []string) error {
					if err := noArgs(args); err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					ch, err := c.Channels.Me(ctx)
					if err != nil {
						return err
					}
					return printChannels(a, format, []kick.Channel{*ch})
				},
			},
		},
	}
}

func printChannels(a *app, format string, channels []kick.Channel) error {
	if format == formatJSON {
		return writeJSON(a.stdout, channels)
	}
	t := newTable(a.stdout, "BROADCASTER", "SLUG", "LIVE", "VIEWERS", "CATEGORY", "TITLE")
	for _, c := range channels {
		live, viewers := "no", "-"
		if c.Stream.IsLive {
			live, viewers = "yes", strconv.FormatInt(c.Stream.ViewerCount, 10)
		}
		t.row(strconv.FormatInt(c.BroadcasterUserID, 10), c.Slug, live, viewers, orDash(c.Category.Name),
			truncate(orDash(c.StreamTitle), 60))
	}
	return t.flush()
}

// pageFlags are the flags of a paginated list.
type pageFlags struct {
	limit  int
	cursor string
	all    bool
}

func (p *pageFlags) register(fs *flag.FlagSet, kickDefault int) {
	fs.IntVar(&p.limit, "limit", 0, fmt.Sprintf("page `size`, 1 to 1000 (Kick's default: %d)", kickDefault))
	fs.StringVar(&p.cursor, "cursor", "", "start at the page of this `cursor`, as printed after a page")
	fs.BoolVar(&p.all, "all", false, "fetch every page, not just the first")
}

func (p *pageFlags) check() error {
	if p.limit < 0 || p.limit > 1000 {
		return usagef("invalid --limit %d: want 1 to 1000", p.limit)
	}
	return nil
}

// collect gets one page, or with --all every item of the iterator. It returns the next cursor of
// the one page.
func collect[T any](ctx context.Context, p *pageFlags, list func(context.Context) (kick.Page[T], error),
	all func(context.Context) iter.Seq2[T, error]) ([]T, string, error) {
	if !p.all {
		page, err := list(ctx)
		return page.Items, page.NextCursor, err
	}
	items := []T{}
	for item, err := range all(ctx) {
		if err != nil {
			return nil, "", err
		}
		items = append(items, item)
	}
	return items, "", nil
}

// printCursor tells on stderr how to get the next page.
func (a *app) printCursor(cmd, cursor string) {
	if cursor != "" {
		fmt.Fprintf(a.stderr, "More results: %s --cursor %s (or --all)\n", cmd, cursor)
	}
}

func livestreamsCommand() *command {
	var (
		format     string
		page       pageFlags
		languages  []string
		categories []int64
	)
	return &command{
		name:  "livestreams",
		short: "List the streams live on Kick",
		subs: []*command{{
			name:  "list",
			short: "List live streams, one page or --all",
			long: `List the streams live now, oldest first, one page at a time: the cursor of the next page is
printed on stderr. --all fetches every page.

Token: the stored user token, else the app token.`,
			flags: func(fs *flag.FlagSet) {
				outputFlag(fs, &format)
				page.register(fs, 100)
				fs.Var(stringsValue{&languages}, "language", "keep streams in this language `code`, such as en; repeatable")
				fs.Var(idsValue{&categories}, "category", "keep streams in this category `id`; repeatable")
			},
			run: func(ctx context.Context, a *app, args []string) error {
				if err := noArgs(args); err != nil {
					return err
				}
				if err := page.check(); err != nil {
					return err
				}
				c, _, err := a.client(ctx)
				if err != nil {
					return err
				}
				p := kick.LivestreamListParams{CategoryIDs: categories, Languages: languages, Limit: page.limit, Cursor: page.cursor}
				streams, next, err := collect(ctx, &page,
					func(ctx context.Context) (kick.Page[kick.Livestream], error) { return c.Livestreams.List(ctx, p) },
					func(ctx context.Context) iter.Seq2[kick.Livestream, error] { return c.Livestreams.All(ctx, p) })
				if err != nil {
					return err
				}
				if err := printLivestreams(a, format, streams); err != nil {
					return err
				}
				a.printCursor("kick livestreams list", next)
				return nil
			},
		}},
	}
}

func printLivestreams(a *app, format string, streams []kick.Livestream) error {
	if format == formatJSON {
		return writeJSON(a.stdout, streams)
	}
	t := newTable(a.stdout, "BROADCASTER", "SLUG", "VIEWERS", "LANGUAGE", "CATEGORY", "STARTED", "TITLE")
	for _, s := range streams {
		t.row(strconv.FormatInt(s.Broadcaster.UserID, 10), s.ChannelSlug, strconv.FormatInt(s.ViewerCount, 10),
			orDash(s.Language), orDash(s.Category.Name), formatTime(s.StartedAt), truncate(s.Title, 60))
	}
	return t.flush()
}

func categoriesCommand() *command {
	var (
		format string
		page   pageFlags
		names  []string
		tags   []string
		ids    []int64
	)
	return &command{
		name:  "categories",
		short: "List and get stream categories",
		subs: []*command{
			{
				name:  "list",
				short: "List categories, one page or --all",
				long: `List the categories matching the filters (all of them without any), one page at a time: the
cursor of the next page is printed on stderr. --all fetches every page.

Token: the stored user token, else the app token.`,
				flags: func(fs *flag.FlagSet) {
					outputFlag(fs, &format)
					page.register(fs, 25)
					fs.Var(stringsValue{&names}, "name", "match this category `name` (3 characters or more); repeatable")
					fs.Var(stringsValue{&tags}, "tag", "match this `tag` (3 characters or more); repeatable")
					fs.Var(idsValue{&ids}, "id", "match this category `id`; repeatable")
				},
				run: func(ctx context.Context, a *app, args []string) error {
					if err := noArgs(args); err != nil {
						return err
					}
					if err := page.check(); err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					p := kick.CategoryListParams{Names: names, Tags: tags, IDs: ids, Limit: page.limit, Cursor: page.cursor}
					cats, next, err := collect(ctx, &page,
						func(ctx context.Context) (kick.Page[kick.Category], error) { return c.Categories.List(ctx, p) },
						func(ctx context.Context) iter.Seq2[kick.Category, error] { return c.Categories.All(ctx, p) })
					if err != nil {
						return err
					}
					if err := printCategories(a, format, cats); err != nil {
						return err
					}
					a.printCursor("kick categories list", next)
					return nil
				},
			},
			{
				name:  "get",
				args:  "ID",
				short: "Get a category by id",
				long: `Get the category with the given id.

Token: the stored user token, else the app token.`,
				flags: func(fs *flag.FlagSet) { outputFlag(fs, &format) },
				run: func(ctx context.Context, a *app, args []string) error {
					if err := exactArgs(args, "ID"); err != nil {
						return err
					}
					ids, err := parseIDArgs(args, "category id")
					if err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					cat, err := c.Categories.Get(ctx, ids[0])
					if err != nil {
						return err
					}
					return printCategories(a, format, []kick.Category{*cat})
				},
			},
		},
	}
}

func printCategories(a *app, format string, cats []kick.Category) error {
	if format == formatJSON {
		return writeJSON(a.stdout, cats)
	}
	t := newTable(a.stdout, "ID", "NAME", "TAGS")
	for _, c := range cats {
		t.row(strconv.FormatInt(c.ID, 10), c.Name, orDash(strings.Join(c.Tags, ", ")))
	}
	return t.flush()
}

func chatCommand() *command {
	var (
		format      string
		bot         bool
		broadcaster int64
		replyTo     string
	)
	return &command{
		name:  "chat",
		short: "Send chat messages",
		subs: []*command{{
			name:  "send",
			args:  "TEXT...",
			short: "Send a chat message",
			long: `Send a chat message: the arguments joined with spaces, 1 to 500 characters. Emotes are
written [emote:ID:NAME]. Start the text with "--" to send text that begins with "-".

As the logged-in user, the message goes to the channel of --broadcaster, by default the user's own.
With --bot it is sent as the app's bot, always to the logged-in user's channel (the app needs a
bot set up in its developer settings).

Token: the stored user token, with chat:write (and user:read to find the user's own channel).`,
			flags: func(fs *flag.FlagSet) {
				outputFlag(fs, &format)
				fs.BoolVar(&bot, "bot", false, "send as the app's bot")
				fs.Var(idValue{&broadcaster}, "broadcaster", "user `id` of the channel to post in (default: the logged-in user's)")
				fs.StringVar(&replyTo, "reply-to", "", "reply to the message with this `id`")
			},
			run: func(ctx context.Context, a *app, args []string) error {
				if err := minArgs(args, 1, "TEXT"); err != nil {
					return err
				}
				if bot && broadcaster != 0 {
					return usagef("--bot always posts to the logged-in user's channel: drop --broadcaster")
				}
				text := strings.Join(args, " ")
				c, _, err := a.client(ctx)
				if err != nil {
					return err
				}
				m := kick.ChatMessage{Type: kick.ChatMessageUser, Content: text, BroadcasterUserID: broadcaster, ReplyToMessageID: replyTo}
				if bot {
					m.Type = kick.ChatMessageBot
				} else if broadcaster == 0 {
					me, err := c.Users.Me(ctx)
					if err != nil {
						return fmt.Errorf("finding the logged-in user's channel (or give --broadcaster): %w", err)
					}
					m.BroadcasterUserID = me.UserID
				}
				sent, err := c.Chat.Send(ctx, m)
				if err != nil {
					return err
				}
				if format == formatJSON {
					return writeJSON(a.stdout, sent)
				}
				if !sent.IsSent {
					fmt.Fprintf(a.stdout, "Kick did not post the message (id %s)\n", orDash(sent.MessageID))
					return &silentError{exitError}
				}
				fmt.Fprintf(a.stdout, "Sent message %s\n", sent.MessageID)
				return nil
			},
		}},
	}
}

func eventsCommand() *command {
	var (
		format      string
		broadcaster int64
	)
	return &command{
		name:  "events",
		short: "Manage the app's webhook event subscriptions",
		long: `Manage the app's webhook event subscriptions. Kick posts the events to the webhook URL of the
app's developer settings. To send a sample event to a URL, see 'kick event trigger'.`,
		subs: []*command{
			{
				name:  "list",
				short: "List the app's event subscriptions",
				long: `List the app's event subscriptions, all of them or those of one channel (--broadcaster).

Token: the stored user token (with events:subscribe), else the app token.`,
				flags: func(fs *flag.FlagSet) {
					outputFlag(fs, &format)
					fs.Var(idValue{&broadcaster}, "broadcaster", "list only the subscriptions to this channel's `user id`")
				},
				run: func(ctx context.Context, a *app, args []string) error {
					if err := noArgs(args); err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					subs, err := c.Events.List(ctx, kick.EventListParams{BroadcasterUserID: broadcaster})
					if err != nil {
						return err
					}
					if format == formatJSON {
						return writeJSON(a.stdout, subs)
					}
					t := newTable(a.stdout, "ID", "BROADCASTER", "EVENT", "VERSION", "METHOD", "CREATED")
					for _, s := range subs {
						t.row(s.ID, strconv.FormatInt(s.BroadcasterUserID, 10), string(s.Type), strconv.Itoa(s.Version),
							s.Method, formatTime(s.CreatedAt))
					}
					return t.flush()
				},
			},
			{
				name:  "subscribe",
				args:  "TYPE...",
				short: "Subscribe the app to events of a channel",
				long: `Subscribe the app to version 1 of the event types (or "all") of a channel. Event types:
` + eventTypeList() + `

With a user token Kick subscribes the user's own channel. With an app token any channel, given by
--broadcaster. So when --broadcaster is given and the app's credentials are known, the app token is
used; --app forces it. Kick does not de-duplicate subscriptions.

Token: the app token, or the stored user token with events:subscribe.`,
				flags: func(fs *flag.FlagSet) {
					outputFlag(fs, &format)
					fs.Var(idValue{&broadcaster}, "broadcaster", "`user id` of the channel (required with the app token)")
				},
				run: func(ctx context.Context, a *app, args []string) error {
					if err := minArgs(args, 1, "TYPE"); err != nil {
						return err
					}
					types, err := parseEventTypes(args)
					if err != nil {
						return err
					}
					c, src, err := a.client(ctx)
					if err != nil {
						return err
					}
					var opts []kick.RequestOption
					switch {
					case src.app != nil && (broadcaster != 0 || src.user == nil):
						if broadcaster == 0 {
							return usagef("--broadcaster is required with the app token")
						}
						opts = append(opts, kick.WithTokenKind(kick.TokenKindApp))
					case broadcaster != 0:
						fmt.Fprintln(a.stderr, "note: with a user token Kick subscribes the user's own channel, whatever --broadcaster says")
					}
					p := kick.SubscribeParams{BroadcasterUserID: broadcaster}
					for _, t := range types {
						p.Events = append(p.Events, kick.SubscribeEvent{Type: t, Version: 1})
					}
					results, err := c.Events.Subscribe(ctx, p, opts...)
					var subErr *kick.SubscribeError
					if err != nil && !errors.As(err, &subErr) {
						return err
					}
					if format == formatJSON {
						if err := writeJSON(a.stdout, results); err != nil {
							return err
						}
					} else {
						t := newTable(a.stdout, "EVENT", "VERSION", "SUBSCRIPTION", "ERROR")
						for _, r := range results {
							msg := "-"
							var se *kick.SubscriptionError
							if errors.As(r.Err, &se) {
								msg = se.Message
							}
							t.row(string(r.Type), strconv.Itoa(r.Version), orDash(r.SubscriptionID), msg)
						}
						if err := t.flush(); err != nil {
							return err
						}
					}
					return err
				},
			},
			{
				name:  "unsubscribe",
				args:  "ID...",
				short: "Delete event subscriptions",
				long: `Delete the app's event subscriptions with the given ids (see 'kick events list').

Token: the stored user token (with events:subscribe), else the app token.`,
				run: func(ctx context.Context, a *app, args []string) error {
					if err := minArgs(args, 1, "ID"); err != nil {
						return err
					}
					c, _, err := a.client(ctx)
					if err != nil {
						return err
					}
					if err := c.Events.Unsubscribe(ctx, args); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Deleted %d subscription(s)\n", len(slices.Compact(slices.Sorted(slices.Values(args)))))
					return nil
				},
			},
		},
	}
}

// parseEventTypes checks event types against Kick's; "all" stands for every one.
func parseEventTypes(args []string) ([]kick.EventType, error) {
	var types []kick.EventType
	for _, a := range args {
		if a == "all" {
			types = append(types, kick.AllEventTypes...)
			continue
		}
		t := kick.EventType(a)
		if !slices.Contains(kick.AllEventTypes, t) {
			return nil, usagef("unknown event type %q; want one of: %s, all", a, eventTypeNames())
		}
		types = append(types, t)
	}
	slices.Sort(types)
	return slices.Compact(types), nil
}

func eventTypeNames() string {
	names := make([]string, len(kick.AllEventTypes))
	for i, t := range kick.AllEventTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func eventTypeList() string {
	var b strings.Builder
	for _, t := range kick.AllEventTypes {
		fmt.Fprintf(&b, "  %s\n", t)
	}
	return strings.TrimRight(b.String(), "\n")
}
