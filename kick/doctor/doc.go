// Package doctor finds out why Kick's webhook deliveries do not reach a program, and says how to
// fix it. The causes are known (Kick's issue tracker has dozens of "my webhooks never arrive"
// threads): Kick dropped the app's subscriptions after a day of failed deliveries, or when the
// app's webhooks were switched off; the webhook URL is plain http, on localhost or a private
// address, unreachable, slow, or redirects; the receiver rejects Kick's signature (a wrong key,
// a body re-encoded by a framework, a clock off by more than the replay window) or, worse,
// accepts forged deliveries; the user token subscribes only its owner's channel; duplicated
// subscriptions deliver every event several times; the token lacks events:subscribe; Kick's
// Cloudflare edge blocks the client; the refresh token died after weeks.
//
// Run checks all of it and returns a Report: one Check per check, each with a stable id, a
// verdict (ok, warn or fail), what it saw, and the fix in one sentence. A program runs it at
// start-up and logs the problems:
//
//	report, err := doctor.Run(ctx, doctor.Params{
//		Client:     client, // with its token sources
//		Events:     events, // what the program subscribes to with Events.Sync
//		WebhookURL: "https://bot.example.com/kick/webhook",
//		Keys:       keys, // the key source of the program's webhook verifier
//		Store:      store, StoreKey: key,
//	})
//	if err != nil {
//		return err
//	}
//	for _, c := range report.Problems() {
//		log.Printf("kick doctor: %s", c)
//	}
//
// The CLI prints the same report: kick doctor (with --listen ADDR it also proves the whole
// path, and with --fix it makes the subscriptions right with Events.Sync).
//
// # What Run sends
//
// Run reads, through Params.Client, what Kick tells: its public key and the Date of its answers,
// both tokens' introspection, the token user's identity, the channel's subscriptions. It changes
// nothing at Kick but in two cases, and undoes both: when a wanted event is not subscribed and
// the channel has no subscription at all, it subscribes to that event and deletes the
// subscription at once, to learn whether Kick accepts subscriptions (Kick says why not, such as
// "webhooks are not enabled for app"); and with a Listener it subscribes the user's channel to
// chat.message.sent if needed and sends a chat message there, the proof.
//
// It probes the webhook URL with two forged deliveries, which must be refused: one without a
// signature, one with a signature of random bytes. No one could take them for Kick's: their
// message id starts with ProbeIDPrefix, their User-Agent names kick-go's doctor, and their body
// says what they are. They carry no credential, follow no redirect, use no proxy, go only to an
// address the address check accepted (the host is resolved once, through Params.Resolver, so
// that a second lookup cannot lead elsewhere), and each is bounded by Params.ProbeTimeout; at
// most 4 KiB of an answer is read.
//
// # Why a package of its own
//
// The diagnosis spans three packages: kick (the API), kickauth (the token store) and webhook (the
// verifier's keys and replay window). A method of kick.EventsService could not take a
// kickauth.TokenStore or a webhook.KeySource, as kickauth imports kick; and a package of its own
// uses only their exported API, as any program could.
package doctor
