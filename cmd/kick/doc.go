// Kick is the command line of kick-go: raw calls to Kick.com's public API, the common tasks, OAuth
// logins kept per OAuth host, a local webhook loop (listen, trigger, verify, replay) and a local
// fake of Kick to try all of it without an account.
//
//	go install github.com/kick-sdk/kick-go/cmd/kick@main   # @latest once a release is tagged
//
// # Commands
//
//	kick api METHOD PATH [-f k=v]... [-F k=v]... [--input FILE|-] [-H "Name: value"|@FILE]... [-i] [--paginate [--slurp]]
//	kick users get ID... | users me
//	kick channels get [--slug SLUG]... [ID...] | channels me
//	kick livestreams list [--language CODE]... [--category ID]... [--limit N|--all] [--page-size N] [--cursor C]
//	kick categories list [--name NAME]... [--tag TAG]... [--id ID]... [--limit N|--all] [--page-size N] [--cursor C]
//	kick categories get ID
//	kick chat send [--bot|--broadcaster ID] [--reply-to ID] TEXT...
//	kick subscriptions list [--broadcaster ID] | subscriptions create [--broadcaster ID] TYPE...|all
//	kick subscriptions sync [--broadcaster ID] [--delete-strays] [--dry-run] TYPE...|all | subscriptions delete ID...
//	kick auth login [--scopes S,...|all] [--port N|--redirect-uri URI] [--print-url] [--no-browser] [--timeout D]
//	kick auth status | auth list | auth switch [ACCOUNT] | auth logout [ACCOUNT] [--host HOST]
//	kick auth token [--no-check] | auth introspect | auth revoke [--refresh] [--token-file FILE|-]
//	kick event listen [--port N] [--path P] [--forward-to URL] [--dev-key|--kick-key|--public-key FILE] [--no-register]
//	kick event trigger TYPE [--to URL] [--count N] [--broadcaster ID] [--key FILE] [--payload FILE|-] [--shape S]
//	kick event retrigger ID [--to URL] [--key FILE|--as-is]
//	kick event verify [ID | --headers FILE --body FILE] [--kick-key|--dev-key|--public-key FILE] [--at TIME|--no-time-check]
//	kick event deliveries
//	kick mock serve [--port N] [--oauth-port N] [--webhook-url URL] [--authorize-as ID] [--state FILE]
//	kick mock webhook [URL|--off] | mock authorize-as [USER|--decline]
//	kick completion bash|zsh|fish|powershell
//	kick version | kick --version | kick help [COMMAND...]
//
// The command tree is spf13/cobra's, as gh's is: GNU flags (--limit=5, -ojson, flags anywhere
// after the command's name, global flags before it too, "--" to end them), "did you mean" for a
// mistyped command or flag, help on every command (-h, --help; kick or a group alone prints its
// help), and completion scripts for bash, zsh, fish and PowerShell that complete event types,
// scopes, output formats, accounts, hosts and saved deliveries, and ids (users, categories,
// subscriptions) from a 'kick mock serve' of --base-url. Errors name the flag as the user typed
// it; an input the kick package refuses against the spec's limits (a --page-size over Kick's
// maximum, a --name too short) names the flag too, before anything is sent.
//
// # Flags and environment
//
// Each global flag has an environment variable; the flag wins over the variable, which wins over
// the default:
//
//	--base-url URL              KICK_BASE_URL            Kick's API (https://api.kick.com)
//	--oauth-url URL             KICK_OAUTH_URL           Kick's OAuth server (https://id.kick.com)
//	--client-id ID              KICK_CLIENT_ID           the app's client id
//	                            KICK_CLIENT_SECRET       the app's client secret
//	--client-secret-file FILE   KICK_CLIENT_SECRET_FILE  a file holding it, - for stdin
//	--token-dir DIR             KICK_TOKEN_DIR           stored tokens and accounts (kickauth.DefaultFileStoreDir)
//	--account NAME              KICK_ACCOUNT             the account to use (default: the host's active one)
//	--app                                                use the app token, not the stored user token
//	                            KICK_EVENT_DIR           saved deliveries (kick-go/deliveries in the user cache directory)
//	                            KICK_FORCE_TTY           print for a terminal (of that many columns) when piped
//
// No secret is taken from the command line, which the process list (/proc/PID/cmdline) shows to
// every user of the machine: the client secret comes from --client-secret-file (its final line
// break trimmed; "-" reads stdin, which then serves no other flag), KICK_CLIENT_SECRET_FILE or
// KICK_CLIENT_SECRET; a token to revoke from --token-file; kick api's credentials from
// -F key=@FILE and -H @FILE. The deprecated --client-secret and --token are hidden and warn, and
// kick api warns about an Authorization header or a credential field written in place.
//
// # Accounts
//
// 'kick auth login' runs the authorization code flow with PKCE on a loopback redirect URI
// (http://localhost:8976/callback by default), checks the redirect's state, exchanges the code
// with kickauth.Exchange, and saves the login in a kickauth.LoginStore: the token under
// kickauth.LoginKey of the OAuth host of --oauth-url (such as id.kick.com, or 127.0.0.1:8978 for
// the mock), the app's client id and the account (the username of who logged in, or --account),
// and in the index accounts.json beside it, per host, the accounts, the user, scopes and URLs of
// each, and the active one, as gh's hosts.yml does. So a login to the mock never overwrites a
// login to Kick with the same client id, and a program finds the CLI's logins with
// kickauth.TokenForHost (or kickauth.StoreKey, for a login to Kick). A login's token is sent to
// the API it was made for alone: another --base-url needs a login of its own, --app, or kick api
// -H @FILE with a token.
//
// On a machine without a display, or with --no-browser, login prints the authorize URL and also
// takes the redirect's address pasted on stdin, for a browser on another machine. Against a
// 'kick mock serve' it follows the authorize URL itself: the mock approves at once.
//
// Commands use the active account's user token (refreshed, and saved first, by kickauth's
// UserTokenSource) and the app token of the client credentials grant when none is stored or with
// --app. 'kick auth token' checks the token with Kick's introspection (--no-check skips it),
// refreshes a token Kick no longer takes, and exits 1 when that fails too; 'kick auth introspect'
// exits 1 for an inactive token, and 'kick auth status' when the current host has no working
// active account.
//
// # Output
//
// Commands that print data take -o table (the default) or -o json, --jq EXPR (gojq) and
// --template TEMPLATE (text/template, with json, join, pluck, truncate, timefmt, upper and lower),
// which imply JSON. JSON is the kick package's models as they marshal, with Kick's names: one
// object for a single item, a kick.Page ({"data": [...], "next_cursor": "..."}) for a list. In
// JSON mode errors go to stderr as {"error": {"message", "type", "command", "status",
// "operation", "hint"}}.
//
// Tables on a terminal have a header and aligned columns that fit its width, the long columns
// shortened; piped, they are tab-separated lines without a header, as gh prints them.
//
// A list prints one page by default. --limit N prints at most N items over as many pages as that
// takes, asking each page for no more than it needs (so the next cursor continues right after
// the last item printed); --page-size is Kick's page size; --all fetches every page, showing its
// progress on a terminal's stderr. On stderr the command that gets the next page follows a table:
// the command as given, every flag but --cursor and --all, and --cursor. 'kick api --paginate'
// follows Kick's "pagination": {"next_cursor"} through every page.
//
// # Webhooks
//
// 'kick event listen' receives deliveries on loopback, as 'stripe listen' does: it verifies each
// (webhook.Verifier, with the development key when --base-url is a mock, else Kick's key),
// prints it, saves it in the deliveries directory (ID.headers, ID.body and ID.json, named after
// the message id), and forwards it untouched to --forward-to, answering the sender with the
// handler's status. Against a mock it sets the mock's webhook URL to itself while it runs and
// puts the old one back when it stops.
//
// 'kick event trigger' posts a realistic sample of an event type (kicktest.SamplePayload) with
// the six Kick-Event-* headers, signed with kicktest's development key or --key, to --to or the
// mock's webhook URL; --count sends several, -o json prints what was sent, and each is saved;
// --shape early-2025 or mid-2025 sends the sample as Kick's deliveries of that time looked (no
// identity, no created_at), which a handler must take too.
// 'kick event retrigger ID' sends a saved delivery again as Kick retries one (same message id,
// fresh timestamp and signature), or --as-is. 'kick event verify' checks a saved delivery (with the
// key that signed it, at the time it came) or captured files, and says what to try when it fails
// (--dev-key, --at, --no-time-check).
//
// # The fake
//
// 'kick mock serve' runs kicktest.NewServer on 127.0.0.1 (ports 8977 and 8978 by default) with its
// own fixed app, kick-mock-client-id / kick-mock-client-secret, whatever the environment exports.
// It prints the URLs, credentials, seed users and the environment to export (one JSON line with
// -o json). Its control endpoints, GET /_mock and PUT /_mock/webhook-url on the API listener,
// tell its state and change its webhook URL while it runs ('kick mock webhook'), its tokens kept.
// With --state FILE it reads its state (kicktest.Server.LoadState) at start and writes it
// (SaveState) every two seconds when it changed and when it stops.
//
// # Exit status
//
// 0 on success; 1 on a runtime error (a failed request, Kick's error answer, ids Kick did not
// find, an invalid webhook delivery), with "error: ..." and often a "hint: ..." on stderr; 2 on a
// bad command line, with one line naming the command and "Run 'kick ... --help' for usage.";
// 130 after Ctrl-C; 143 after SIGTERM, which stops mock serve and event listen with 0.
package main
