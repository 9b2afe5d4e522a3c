package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Bot is a small chat bot: it answers !ping and greets new followers of one channel. It hears the
// channel through Kick's webhooks and speaks through the chat API as the app's bot.
type Bot struct {
	client      *kick.Client
	broadcaster int64
	out         io.Writer

	mu      sync.Mutex
	replies int            // messages the bot sent
	own     map[string]int // texts the bot is sending or sent, so it never answers itself
	notify  chan struct{}  // receives a value after each reply
}

// NewBot returns a bot for the channel of broadcaster, writing its transcript to out.
func NewBot(client *kick.Client, broadcaster int64, out io.Writer) *Bot {
	return &Bot{client: client, broadcaster: broadcaster, out: out, own: map[string]int{}, notify: make(chan struct{}, 16)}
}

// Handler returns the webhook handler the bot listens with. verifier checks each delivery's
// signature; the handler dispatches chat messages and follows to the bot.
func (b *Bot) Handler(verifier *webhook.Verifier) (*webhook.Handler, error) {
	h, err := webhook.NewHandler(webhook.WithVerifier(verifier))
	if err != nil {
		return nil, err
	}
	h.OnChatMessageSent(b.onChat)
	h.OnChannelFollowed(b.onFollow)
	return h, nil
}

func (b *Bot) onChat(ctx context.Context, _ *webhook.Delivery, e *webhook.ChatMessageSent) error {
	if e.Broadcaster.UserID != b.broadcaster {
		return nil
	}
	b.mu.Lock()
	own := b.own[e.Content] > 0
	if own {
		b.own[e.Content]--
	}
	b.mu.Unlock()
	if own {
		return nil // the echo of the bot's own message
	}
	b.printf("[chat]   %s: %s\n", e.Sender.Username, e.Content)
	if strings.TrimSpace(e.Content) != "!ping" {
		return nil
	}
	return b.say(ctx, fmt.Sprintf("pong, @%s!", e.Sender.Username), e.MessageID)
}

func (b *Bot) onFollow(ctx context.Context, _ *webhook.Delivery, e *webhook.ChannelFollowed) error {
	if e.Broadcaster.UserID != b.broadcaster {
		return nil
	}
	b.printf("[follow] %s followed %s\n", e.Follower.Username, e.Broadcaster.Username)
	return b.say(ctx, fmt.Sprintf("Welcome to the channel, @%s!", e.Follower.Username), "")
}

// say sends text as the app's bot, in reply to replyTo when it is set. An error makes the handler
// answer 500, so Kick retries the delivery.
func (b *Bot) say(ctx context.Context, text, replyTo string) error {
	// Mark the text before sending: Kick may deliver its echo before Send returns.
	b.mu.Lock()
	b.own[text]++
	b.mu.Unlock()
	if _, err := b.client.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageBot, Content: text, ReplyToMessageID: replyTo}); err != nil {
		b.mu.Lock()
		b.own[text]--
		b.mu.Unlock()
		b.printf("[error]  sending %q: %v\n", text, err)
		return err
	}
	b.mu.Lock()
	b.replies++
	b.mu.Unlock()
	b.printf("[bot]    %s\n", text)
	select {
	case b.notify <- struct{}{}:
	default:
	}
	return nil
}

// WaitReplies waits until the bot has sent n messages or ctx ends.
func (b *Bot) WaitReplies(ctx context.Context, n int) error {
	for {
		b.mu.Lock()
		done := b.replies >= n
		b.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-b.notify:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d bot replies: %w", n, ctx.Err())
		}
	}
}

func (b *Bot) printf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.out, format, args...)
}
