package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
)

// list is a list the CLI prints as Kick sends one: {"data": [...]}, from kick.Page's tags.
func list[T any](items []T) kick.Page[T] {
	if items == nil {
		items = []T{}
	}
	return kick.Page[T]{Items: items}
}

func (a *app) usersCommand() *cobra.Command {
	get := &cobra.Command{
		Use:   "get ID...",
		Short: "Get users by id",
		Long: `Get users by their user ids, in the order given. Ids Kick does not know are reported on
stderr and make the exit status 1, after the users found are printed.

Token: the stored user token (with user:read), else the app token.`,
		Example: "  kick users get 1001 1002\n  kick users get 1001 --jq '.data[].name'",
		Args:    argsMin(1, "ID"),
	}
	getOut := a.addOutput(get)
	get.ValidArgsFunction = a.completeUserIDs
	get.RunE = func(c *cobra.Command, args []string) error {
		ids, err := parseIDArgs(args, "user id")
		if err != nil {
			return err
		}
		kc, _, err := a.client(c.Context())
		if err != nil {
			return err
		}
		users, err := kc.Users.Get(c.Context(), ids)
		if err != nil {
			return err
		}
		if err := a.printUsers(c.Context(), getOut, list(users)); err != nil {
			return err
		}
		return reportMissing(a, "user", ids, users, func(u kick.User) int64 { return u.UserID })
	}

	me := meCommand(a, "Get the user of the stored user token",
		`Get the user who logged in with 'kick auth login' (the active account, or --account), as one
object in JSON.

Token: the stored user token, with user:read.`,
		func(ctx context.Context, kc *kick.Client) (*kick.User, error) { return kc.Users.Me(ctx) },
		func(u *kick.User) error { return a.userTable([]kick.User{*u}) })
	return group("users", "Get Kick users", "", get, me)
}

// listRun runs a paginated list: the pages of list that the pagination flags ask for, printed
// as a table or as one kick.Page, with the command of the next page. Where the output is a
// sequence (JSON without --jq or --template, a table piped as tab-separated lines) each page is
// printed as it comes; a table for a terminal, which fits its columns to all the rows, and --jq
// and --template, which take the whole list, get it at the end.
func listRun[T any](a *app, pg *pager, out *output, list func(ctx context.Context, kc *kick.Client, size int, cursor string) (kick.Page[T], error),
	table func([]T) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, _ []string) error {
		if err := pg.check(); err != nil {
			return err
		}
		ctx := c.Context()
		kc, _, err := a.client(ctx)
		if err != nil {
			return err
		}
		fetch := func(ctx context.Context, size int, cursor string) (kick.Page[T], error) {
			return list(ctx, kc, size, cursor)
		}
		var stream *listStream[T]
		switch {
		case out.json() && out.code == nil && out.tmpl == nil:
			stream = &listStream[T]{w: a.stdout}
		case !out.json() && !a.terminalOf(a.stdout).tty:
			stream = &listStream[T]{table: table}
		}
		if stream == nil {
			page, ferr := fetchPages(ctx, a, pg, fetch, nil)
			if ctx.Err() != nil || (ferr != nil && !errorIsPartial(ferr)) {
				return ferr // interrupted: nothing held is printed
			}
			return printPage(ctx, a, c, out, page, ferr, func() error { return table(page.Items) })
		}
		page, ferr := fetchPages(ctx, a, pg, fetch, stream.items)
		if ctx.Err() != nil || (ferr != nil && !errorIsPartial(ferr) && stream.n == 0) {
			return ferr
		}
		if err := stream.close(page.NextCursor); err != nil {
			return err
		}
		return pageHint(a, c, out, page, ferr)
	}
}

// listStream prints a list page by page: as the JSON of one kick.Page, byte for byte as it
// prints held (w), or as table rows (table).
type listStream[T any] struct {
	w     io.Writer
	table func([]T) error
	n     int // items printed
}

func (s *listStream[T]) items(items []T) error {
	if s.table != nil {
		s.n += len(items)
		if len(items) == 0 {
			return nil
		}
		return s.table(items)
	}
	var buf bytes.Buffer
	for _, it := range items {
		raw, err := marshalJSON(it)
		if err != nil {
			return err
		}
		if s.n == 0 {
			buf.WriteString("{\n  \"data\": [\n    ")
		} else {
			buf.WriteString(",\n    ")
		}
		if err := json.Indent(&buf, raw, "    ", "  "); err != nil {
			return err
		}
		s.n++
	}
	_, err := s.w.Write(buf.Bytes())
	return err
}

// close ends the list, with the cursor of the next page.
func (s *listStream[T]) close(next string) error {
	if s.table != nil {
		return nil
	}
	var buf bytes.Buffer
	if s.n == 0 {
		buf.WriteString("{\n  \"data\": []")
	} else {
		buf.WriteString("\n  ]")
	}
	if next != "" {
		raw, err := marshalJSON(next)
		if err != nil {
			return err
		}
		buf.WriteString(",\n  \"next_cursor\": ")
		buf.Write(raw)
	}
	buf.WriteString("\n}\n")
	_, err := s.w.Write(buf.Bytes())
	return err
}

// meCommand is a "me" command: one item of the logged-in user's, got with get, printed as one
// object in JSON or by table.
func meCommand[T any](a *app, short, long string, get func(context.Context, *kick.Client) (*T, error), table func(*T) error) *cobra.Command {
	c := &cobra.Command{Use: "me", Short: short, Long: long, Args: argsNone}
	out := a.addOutput(c)
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		kc, _, err := a.client(ctx)
		if err != nil {
			return err
		}
		v, err := get(ctx, kc)
		if err != nil {
			return err
		}
		return a.print(ctx, out, v, func() error { return table(v) })
	}
	return c
}

func (a *app) printUsers(ctx context.Context, o *output, users kick.Page[kick.User]) error {
	return a.print(ctx, o, users, func() error { return a.userTable(users.Items) })
}

func (a *app) userTable(users []kick.User) error {
	t := newTable("ID", "NAME", "EMAIL", "PROFILE PICTURE").shrink(3, 2)
	for _, u := range users {
		t.row(strconv.FormatInt(u.UserID, 10), u.Username, orDash(u.Email), orDash(u.ProfilePicture))
	}
	return a.printTable(t)
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
			a.printError(fmt.Errorf("%s %d not found", what, id))
			found[id] = true
			err = &silentError{exitError}
		}
	}
	return err
}

func (a *app) channelsCommand() *cobra.Command {
	var slugs []string
	get := &cobra.Command{
		Use:   "get [ID...]",
		Short: "Get channels by broadcaster user id or slug",
		Long: `Get channels by their broadcasters' user ids and by slug (--slug, repeatable), ids first. Channels
Kick does not know are reported on stderr and make the exit status 1.

Kick answers "Invalid parameters or mixed parameter types" when any slug of a request is unknown;
kick then asks for each slug alone, to print the channels found and name the slugs that are not.

Token: the stored user token (with channel:read), else the app token.`,
		Example: "  kick channels get 1001\n  kick channels get --slug kickgo-streamer,kickgo-viewer",
	}
	getOut := a.addOutput(get)
	get.Flags().Var(stringsValue{&slugs}, "slug", "channel `slug`, repeatable (or comma-separated)")
	_ = get.Flags().SetAnnotation("slug", kickFieldAnnotation, []string{"slugs"})
	get.ValidArgsFunction = a.completeUserIDs
	get.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 && len(slugs) == 0 {
			return usagef("missing argument: give broadcaster user ids or --slug")
		}
		ids, err := parseIDArgs(args, "broadcaster user id")
		if err != nil {
			return err
		}
		ctx := c.Context()
		kc, _, err := a.client(ctx)
		if err != nil {
			return err
		}
		// Kick refuses ids and slugs in one call: kick sends them apart.
		channels, err := kc.Channels.Get(ctx, ids)
		if err != nil {
			return err
		}
		bySlug, unknown, err := channelsBySlug(ctx, kc, slugs)
		if err != nil {
			return err
		}
		channels = append(channels, bySlug...)
		if err := a.print(ctx, getOut, list(channels), func() error { return a.channelTable(channels) }); err != nil {
			return err
		}
		missing := reportMissing(a, "channel of user", ids, channels, func(c kick.Channel) int64 { return c.BroadcasterUserID })
		for _, s := range slugs {
			if slices.Contains(unknown, s) || !slices.ContainsFunc(bySlug, func(c kick.Channel) bool { return strings.EqualFold(c.Slug, s) }) {
				a.printError(fmt.Errorf("channel %q not found", s))
				missing = &silentError{exitError}
			}
		}
		return missing
	}

	me := meCommand(a, "Get the channel of the stored user token",
		`Get the channel of the user who logged in with 'kick auth login', as one object in JSON. Its
stream key is printed as REDACTED.

Token: the stored user token, with channel:read.`,
		func(ctx context.Context, kc *kick.Client) (*kick.Channel, error) { return kc.Channels.Me(ctx) },
		func(ch *kick.Channel) error { return a.channelTable([]kick.Channel{*ch}) })
	return group("channels", "Get Kick channels", "", get, me)
}

// mixedParameters is Kick's message of a 400 answer to channels by slug when a slug is unknown.
const mixedParameters = "mixed parameter types"

// channelsBySlug gets the channels of slugs. Kick fails the whole request, with "Invalid
// parameters or mixed parameter types", when one slug is unknown: then each slug is asked alone,
// and the unknown ones are returned apart.
func channelsBySlug(ctx context.Context, kc *kick.Client, slugs []string) ([]kick.Channel, []string, error) {
	channels, err := kc.Channels.GetBySlug(ctx, slugs)
	var ae *kick.APIError
	if err == nil || !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || !strings.Contains(ae.Message, mixedParameters) {
		return channels, nil, err
	}
	channels = nil
	var unknown []string
	for _, s := range slugs {
		got, err := kc.Channels.GetBySlug(ctx, []string{s})
		switch {
		case errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest && strings.Contains(ae.Message, mixedParameters):
			unknown = append(unknown, s)
		case err != nil:
			return nil, nil, err
		default:
			channels = append(channels, got...)
		}
	}
	return channels, unknown, nil
}

func (a *app) channelTable(channels []kick.Channel) error {
	t := newTable("BROADCASTER", "SLUG", "LIVE", "VIEWERS", "CATEGORY", "TITLE").shrink(5, 4)
	for _, c := range channels {
		live, viewers := "no", "-"
		if c.Stream.IsLive {
			live, viewers = "yes", strconv.FormatInt(c.Stream.ViewerCount, 10)
		}
		t.row(strconv.FormatInt(c.BroadcasterUserID, 10), c.Slug, live, viewers, orDash(c.Category.Name), orDash(c.StreamTitle))
	}
	return a.printTable(t)
}

func (a *app) livestreamsCommand() *cobra.Command {
	var (
		languages  []string
		categories []int64
	)
	ls := &cobra.Command{
		Use:   "list",
		Short: "List live streams, one page, --limit N or --all",
		Long: `List the streams live now, oldest first: one page of Kick's (--page-size), --limit streams over as
many pages as that takes, or --all. On a terminal the command that gets the next page is
printed on stderr; in JSON the output's "next_cursor" is it.

Token: the stored user token, else the app token.`,
		Example: "  kick livestreams list --language en --limit 50\n  kick livestreams list --all -o json --jq '.data[].channel.slug'",
		Args:    argsNone,
	}
	out := a.addOutput(ls)
	pg := addPager(ls, "/public/v2/livestreams", "streams", 100)
	ls.Flags().Var(stringsValue{&languages}, "language", "keep streams in this language `code`, such as en; repeatable")
	ls.Flags().Var(idsValue{&categories}, "category", "keep streams in this category `id`; repeatable")
	_ = ls.Flags().SetAnnotation("language", kickFieldAnnotation, []string{"Languages"})
	_ = ls.Flags().SetAnnotation("category", kickFieldAnnotation, []string{"CategoryIDs"})
	_ = ls.RegisterFlagCompletionFunc("category", a.completeCategoryIDs)
	ls.RunE = listRun(a, pg, out, func(ctx context.Context, kc *kick.Client, size int, cursor string) (kick.Page[kick.Livestream], error) {
		return kc.Livestreams.List(ctx, kick.LivestreamListParams{CategoryIDs: categories, Languages: languages, Limit: size, Cursor: cursor})
	}, a.livestreamTable)
	return group("livestreams", "List the streams live on Kick", "", ls)
}

func (a *app) livestreamTable(streams []kick.Livestream) error {
	t := newTable("BROADCASTER", "SLUG", "VIEWERS", "LANGUAGE", "CATEGORY", "STARTED", "TITLE").shrink(6, 4)
	for _, s := range streams {
		t.row(strconv.FormatInt(s.Broadcaster.UserID, 10), s.ChannelSlug, strconv.FormatInt(s.ViewerCount, 10),
			orDash(s.Language), orDash(s.Category.Name), formatTime(s.StartedAt), s.Title)
	}
	return a.printTable(t)
}

func (a *app) categoriesCommand() *cobra.Command {
	var (
		names []string
		tags  []string
		ids   []int64
	)
	ls := &cobra.Command{
		Use:   "list",
		Short: "List categories, one page, --limit N or --all",
		Long: `List the categories matching the filters (all of them without any): one page of Kick's
(--page-size), --limit categories over as many pages as that takes, or --all. On a terminal the
command that gets the next page is printed on stderr; in JSON the output's "next_cursor" is it.

Token: the stored user token, else the app token.`,
		Example: "  kick categories list --name just --limit 10",
		Args:    argsNone,
	}
	out := a.addOutput(ls)
	pg := addPager(ls, "/public/v2/categories", "categories", 25)
	ls.Flags().Var(stringsValue{&names}, "name", "match this category `name` (3 characters or more); repeatable")
	ls.Flags().Var(stringsValue{&tags}, "tag", "match this `tag` (3 characters or more); repeatable")
	ls.Flags().Var(idsValue{&ids}, "id", "match this category `id`; repeatable")
	_ = ls.Flags().SetAnnotation("name", kickFieldAnnotation, []string{"Names"})
	_ = ls.Flags().SetAnnotation("tag", kickFieldAnnotation, []string{"Tags"})
	_ = ls.Flags().SetAnnotation("id", kickFieldAnnotation, []string{"IDs"})
	_ = ls.RegisterFlagCompletionFunc("id", a.completeCategoryIDs)
	ls.RunE = listRun(a, pg, out, func(ctx context.Context, kc *kick.Client, size int, cursor string) (kick.Page[kick.Category], error) {
		return kc.Categories.List(ctx, kick.CategoryListParams{Names: names, Tags: tags, IDs: ids, Limit: size, Cursor: cursor})
	}, a.categoryTable)

	get := &cobra.Command{
		Use:   "get ID",
		Short: "Get a category by id",
		Long: `Get the category with the given id, as one object in JSON.

Token: the stored user token, else the app token.`,
		Args: argsExact("ID"),
	}
	getOut := a.addOutput(get)
	get.ValidArgsFunction = a.completeCategoryIDs
	get.RunE = func(c *cobra.Command, args []string) error {
		ids, err := parseIDArgs(args, "category id")
		if err != nil {
			return err
		}
		kc, _, err := a.client(c.Context())
		if err != nil {
			return err
		}
		cat, err := kc.Categories.Get(c.Context(), ids[0])
		if err != nil {
			return err
		}
		return a.print(c.Context(), getOut, cat, func() error { return a.categoryTable([]kick.Category{*cat}) })
	}
	return group("categories", "List and get stream categories", "", ls, get)
}

func (a *app) categoryTable(cats []kick.Category) error {
	t := newTable("ID", "NAME", "TAGS").shrink(2)
	for _, c := range cats {
		t.row(strconv.FormatInt(c.ID, 10), c.Name, orDash(strings.Join(c.Tags, ", ")))
	}
	return a.printTable(t)
}

func (a *app) chatCommand() *cobra.Command {
	var (
		bot         bool
		broadcaster int64
		replyTo     string
	)
	send := &cobra.Command{
		Use:   "send TEXT...",
		Short: "Send a chat message",
		Long: `Send a chat message: the arguments joined with spaces, 1 to 500 characters (as a reader
counts them: a flag or a family emoji is one) and at most 2,048 bytes. Emotes are written
[emote:ID:NAME]. Put "--" before text that begins with "-".

As the logged-in user, the message goes to the channel of --broadcaster, by default the user's own.
With --bot it is sent as the app's bot, always to the logged-in user's channel (the app needs a
bot set up in its developer settings).

Token: the stored user token, with chat:write (and user:read to find the user's own channel).`,
		Example: "  kick chat send hello chat\n  kick chat send --reply-to 4f6c... -- -1 for that",
		Args:    argsMin(1, "TEXT"),
	}
	out := a.addOutput(send)
	send.Flags().BoolVar(&bot, "bot", false, "send as the app's bot")
	send.Flags().Var(idValue{&broadcaster}, "broadcaster", "user `id` of the channel to post in (default: the logged-in user's)")
	send.Flags().StringVar(&replyTo, "reply-to", "", "reply to the message with this `id`")
	send.MarkFlagsMutuallyExclusive("bot", "broadcaster")
	_ = send.Flags().SetAnnotation("reply-to", kickFieldAnnotation, []string{"ReplyToMessageID"})
	_ = send.Flags().SetAnnotation("broadcaster", kickFieldAnnotation, []string{"BroadcasterUserID"})
	send.Annotations = map[string]string{kickFieldAnnotation + ":Content": "TEXT"}
	_ = send.RegisterFlagCompletionFunc("broadcaster", a.completeUserIDs)
	send.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		text := strings.Join(args, " ")
		kc, _, err := a.client(ctx)
		if err != nil {
			return err
		}
		m := kick.ChatSendParams{Type: kick.ChatMessageUser, Content: text, BroadcasterUserID: broadcaster, ReplyToMessageID: replyTo}
		if bot {
			m.Type = kick.ChatMessageBot
		} else if broadcaster == 0 {
			me, err := kc.Users.Me(ctx)
			if err != nil {
				return fmt.Errorf("finding the logged-in user's channel (or give --broadcaster): %w", err)
			}
			m.BroadcasterUserID = me.UserID
		}
		sent, err := kc.Chat.Send(ctx, m)
		if err != nil {
			return err
		}
		err = a.print(ctx, out, sent, func() error {
			if !sent.IsSent {
				fmt.Fprintf(a.stdout, "Kick did not post the message (id %s)\n", orDash(sent.MessageID))
				return nil
			}
			fmt.Fprintf(a.stdout, "Sent message %s\n", sent.MessageID)
			return nil
		})
		if err == nil && !sent.IsSent {
			return &silentError{exitError}
		}
		return err
	}
	return group("chat", "Send chat messages", "", send)
}

func (a *app) subscriptionsCommand() *cobra.Command {
	var broadcaster int64
	ls := &cobra.Command{
		Use:   "list",
		Short: "List the app's event subscriptions",
		Long: `List the app's event subscriptions, all of them or those of one channel (--broadcaster).

Token: the stored user token (with events:subscribe), else the app token.`,
		Args: argsNone,
	}
	lsOut := a.addOutput(ls)
	ls.Flags().Var(idValue{&broadcaster}, "broadcaster", "list only the subscriptions to this channel's `user id`")
	_ = ls.RegisterFlagCompletionFunc("broadcaster", a.completeUserIDs)
	ls.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		kc, _, err := a.client(ctx)
		if err != nil {
			return err
		}
		subs, err := kc.Events.List(ctx, kick.EventListParams{BroadcasterUserID: broadcaster})
		if err != nil {
			return err
		}
		return a.print(ctx, lsOut, list(subs), func() error {
			t := newTable("ID", "BROADCASTER", "EVENT", "VERSION", "METHOD", "CREATED")
			for _, s := range subs {
				t.row(s.ID, strconv.FormatInt(s.BroadcasterUserID, 10), string(s.Type), strconv.Itoa(s.Version),
					s.Method, formatTime(s.CreatedAt))
			}
			return a.printTable(t)
		})
	}

	var subBroadcaster int64
	sub := &cobra.Command{
		Use:     "create TYPE...|all",
		Aliases: []string{"subscribe"},
		Short:   "Subscribe the app to events of a channel",
		Long: `Subscribe the app to version 1 of the event types (or "all") of a channel. Event types:
` + eventTypeList() + `

With a user token Kick subscribes the user's own channel. With an app token any channel, given by
--broadcaster. So when --broadcaster is given and the app's credentials are known, the app token is
used; --app forces it. Kick does not de-duplicate subscriptions.

Kick delivers the events to the app's webhook URL: on kick.com the one of the app's developer
settings; on 'kick mock serve' the one 'kick event listen' sets (or 'kick mock webhook URL').

Token: the app token, or the stored user token with events:subscribe.`,
		Example: "  kick subscriptions create chat.message.sent channel.followed\n  kick subscriptions create --broadcaster 1001 --app all",
		Args:    argsMin(1, "TYPE"),
	}
	subOut := a.addOutput(sub)
	sub.Flags().Var(idValue{&subBroadcaster}, "broadcaster", "`user id` of the channel (required with the app token)")
	_ = sub.Flags().SetAnnotation("broadcaster", kickFieldAnnotation, []string{"BroadcasterUserID"})
	_ = sub.RegisterFlagCompletionFunc("broadcaster", a.completeUserIDs)
	sub.ValidArgsFunction = completeEventTypes(true)
	sub.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		types, err := parseEventTypes(args)
		if err != nil {
			return err
		}
		kc, src, err := a.client(ctx)
		if err != nil {
			return err
		}
		var opts []kick.RequestOption
		switch {
		case src.app != nil && (subBroadcaster != 0 || src.user == nil):
			if subBroadcaster == 0 {
				return usagef("--broadcaster is required with the app token")
			}
			opts = append(opts, kick.WithTokenKind(kick.TokenKindApp))
		case subBroadcaster != 0:
			fmt.Fprintln(a.stderr, "note: with a user token Kick subscribes the user's own channel, whatever --broadcaster says")
		}
		p := kick.EventSubscribeParams{BroadcasterUserID: subBroadcaster}
		for _, t := range types {
			p.Events = append(p.Events, kick.SubscribeEvent{Type: t, Version: 1})
		}
		results, err := kc.Events.Subscribe(ctx, p, opts...)
		var subErr *kick.SubscribeError
		if err != nil && !errors.As(err, &subErr) {
			return err
		}
		perr := a.print(ctx, subOut, list(results), func() error {
			t := newTable("EVENT", "VERSION", "SUBSCRIPTION", "ERROR").shrink(3)
			for _, r := range results {
				msg := "-"
				var se *kick.SubscriptionError
				if errors.As(r.Err, &se) {
					msg = se.Message
				}
				t.row(string(r.Type), strconv.Itoa(r.Version), orDash(r.SubscriptionID), msg)
			}
			return a.printTable(t)
		})
		if perr != nil {
			return perr
		}
		if err != nil {
			return &subscribeFailed{err: err, mock: a.isMock(ctx)}
		}
		return nil
	}

	unsub := &cobra.Command{
		Use:     "delete ID...",
		Aliases: []string{"unsubscribe"},
		Short:   "Delete event subscriptions",
		Long: `Delete the app's event subscriptions with the given ids (see 'kick subscriptions list').

Token: the stored user token (with events:subscribe), else the app token.`,
		Args: argsMin(1, "ID"),
	}
	unsub.ValidArgsFunction = a.completeSubscriptionIDs
	unsub.RunE = func(c *cobra.Command, args []string) error {
		kc, _, err := a.client(c.Context())
		if err != nil {
			return err
		}
		if err := kc.Events.Unsubscribe(c.Context(), args); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Deleted %s\n", plural(len(slices.Compact(slices.Sorted(slices.Values(args)))), "subscription"))
		return nil
	}
	var (
		syncBroadcaster int64
		syncStrays      bool
		syncDryRun      bool
	)
	syncCmd := &cobra.Command{
		Use:   "sync TYPE...|all",
		Short: "Keep exactly one subscription per event type of a channel",
		Long: `Make the app's subscriptions to a channel be exactly version 1 of the event types (or "all"):
create what is missing, delete duplicates and, with --delete-strays, subscriptions to other events.
Safe to run at every start: a second run changes nothing. After creating, it lists again (a few
times, a second apart) until Kick's listing shows the new subscriptions, without creating twice.
Event types:
` + eventTypeList() + `

The channel is --broadcaster; without it, the channel of the stored user token's user. With
--broadcaster and the app's credentials the app token is used; --app forces it.

Each row says what sync did: created, unchanged, deduplicated, stray, deleted, or failed, with
Kick's reason; any failure makes the exit status 1. In JSON a row is a kick.SyncResult: "action"
is what it did or tried to do, and a row with an "error" failed.

Token: the app token, or the stored user token with events:subscribe.`,
		Example: "  kick subscriptions sync chat.message.sent channel.followed\n  kick subscriptions sync --broadcaster 1001 --app --delete-strays all\n  kick subscriptions sync --dry-run all",
		Args:    argsMin(1, "TYPE"),
	}
	syncOut := a.addOutput(syncCmd)
	syncCmd.Flags().Var(idValue{&syncBroadcaster}, "broadcaster", "`user id` of the channel (default: the stored user token's own)")
	_ = syncCmd.RegisterFlagCompletionFunc("broadcaster", a.completeUserIDs)
	syncCmd.Flags().BoolVar(&syncStrays, "delete-strays", false, "also delete the channel's subscriptions to events not named")
	syncCmd.Flags().BoolVar(&syncDryRun, "dry-run", false, "only report what would be created and deleted")
	syncCmd.ValidArgsFunction = completeEventTypes(true)
	syncCmd.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		types, err := parseEventTypes(args)
		if err != nil {
			return err
		}
		kc, src, err := a.client(ctx)
		if err != nil {
			return err
		}
		var opts []kick.RequestOption
		switch {
		case src.app != nil && (syncBroadcaster != 0 || src.user == nil):
			if syncBroadcaster == 0 {
				return usagef("--broadcaster is required with the app token")
			}
			opts = append(opts, kick.WithTokenKind(kick.TokenKindApp))
		case syncBroadcaster == 0:
			me, err := kc.Users.Me(ctx)
			if err != nil {
				return err
			}
			syncBroadcaster = me.UserID
		}
		p := kick.EventSyncParams{BroadcasterUserID: syncBroadcaster, DeleteStrays: syncStrays, DryRun: syncDryRun}
		for _, t := range types {
			p.Events = append(p.Events, kick.SubscribeEvent{Type: t, Version: 1})
		}
		results, err := kc.Events.Sync(ctx, p, opts...)
		var syncErr *kick.SyncError
		if err != nil && !errors.As(err, &syncErr) {
			return err
		}
		perr := a.print(ctx, syncOut, list(results), func() error {
			t := newTable("EVENT", "VERSION", "ACTION", "SUBSCRIPTION", "DUPLICATES", "ERROR").shrink(5)
			for _, r := range results {
				msg, action := "-", string(r.Action)
				if r.Err != nil {
					msg, action = r.Err.Error(), "failed"
				}
				t.row(string(r.Type), strconv.Itoa(r.Version), action, orDash(r.SubscriptionID),
					orDash(strings.Join(r.Duplicates, ",")), msg)
			}
			return a.printTable(t)
		})
		if perr != nil {
			return perr
		}
		if err != nil {
			return &subscribeFailed{err: err, mock: a.isMock(ctx)}
		}
		return nil
	}

	c := group("subscriptions", "Manage the app's webhook event subscriptions",
		`Manage the app's webhook event subscriptions: which events of which channels Kick posts to the
webhook URL of the app's developer settings. The deliveries themselves are 'kick event': to
receive them locally, see 'kick event listen'; to send a sample one to a URL, 'kick event trigger'.

'kick events' is the old name of this command, and 'subscribe' and 'unsubscribe' of create and
delete: they still work.`, ls, sub, syncCmd, unsub)
	c.Aliases = []string{"events"} // its old name, a letter away from 'kick event'
	return c
}

// subscribeFailed is a subscription Kick refused for some event types, with a hint when the
// reason is a missing webhook URL.
type subscribeFailed struct {
	err  error
	mock bool
}

func (e *subscribeFailed) Error() string { return e.err.Error() }
func (e *subscribeFailed) Unwrap() error { return e.err }

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
