// Kick is the command line of kick-go: raw calls to Kick.com's public API, the common tasks, OAuth
// logins with a stored user token, webhook testing, and a local fake of Kick to try all of it
// without an account.
//
//	go install github.com/kick-sdk/kick-go/cmd/kick@latest
//
// # Commands
//
//	kick auth login [--scopes S,...|all] [--port N | --redirect-uri URI] [--print-url] [--no-browser] [--timeout D]
//	kick auth token
//	kick auth introspect
//	kick auth revoke [--refresh] [--token TOKEN|-]
//	kick api METHOD PATH [-f key=value]... [-F key=value]... [--input FILE|-] [-H "Name: value"]... [-i]
//	kick users get ID...
//	kick users me
//	kick channels get [--slug SLUG]... [ID...]
//	kick channels me
//	kick livestreams list [--language CODE]... [--category ID]... [--limit N] [--cursor C] [--all]
//	kick categories list [--name NAME]... [--tag TAG]... [--id ID]... [--limit N] [--cursor C] [--all]
//	kick categories get ID
//	kick chat send [--bot] [--broadcaster ID] [--reply-to ID] TEXT...
//	kick events list [--broadcaster ID]
//	kick events subscribe [--broadcaster ID] TYPE...|all
//	kick events unsubscribe ID...
//	kick event trigger TYPE --to URL [--broadcaster ID] [--key FILE] [--payload FILE|-] [--version V] [--subscription-id ID]
//	kick event verify --headers FILE --body FILE [--kick-key | --dev-key | --public-key FILE] [--at TIME | --no-time-check]
//	kick mock serve [--port N] [--oauth-port N] [--webhook-url URL] [--authorize-as ID]
//	kick version
//	kick help [COMMAND...]
//
// Every command takes -h or --help, which prints its usage on stdout. The commands that print
// data take -o table (the default) or -o json.
//
// # Flags and environment
//
// Flags may come anywhere after the command's name, mixed with its arguments, as with gh; the
// global flags may also come before the command's name. "--" ends the flags. Each global flag
// has an environment variable; the flag wins over the variable, which wins over the default:
//
//	--base-url URL              KICK_BASE_URL            Kick's API (https://api.kick.com)
//	--oauth-url URL             KICK_OAUTH_URL           Kick's OAuth server (https://id.kick.com)
//	--client-id ID              KICK_CLIENT_ID           the app's client id
//	                            KICK_CLIENT_SECRET       the app's client secret
//	--client-secret-file FILE   KICK_CLIENT_SECRET_FILE  a file holding it, - for stdin
//	--token-dir DIR             KICK_TOKEN_DIR           stored user tokens (kickauth.DefaultFileStoreDir)
//	--account NAME              KICK_ACCOUNT             which stored user token ("default")
//	--app                                                use the app token, not the stored user token
//
// The client secret is never taken from the command line unless asked to: the process list
// (/proc/PID/cmdline) shows a command line to every user of the machine. The file of
// --client-secret-file (or KICK_CLIENT_SECRET_FILE) is read with its final line break trimmed;
// "-" reads stdin, which then serves no other flag. The secret comes from --client-secret-file,
// else the deprecated --client-secret (with a warning on stderr), else KICK_CLIENT_SECRET_FILE,
// else KICK_CLIENT_SECRET.
//
// # Tokens
//
// 'kick auth login' runs the authorization code flow with PKCE: it listens on a loopback redirect
// URI (http://localhost:8976/callback by default, on 127.0.0.1 and ::1), opens the authorize URL
// in a browser or, with --print-url, prints it as the first line of stdout for a script to follow,
// checks the state of the redirect (a redirect with another state is answered 400 and ignored),
// exchanges the code with kickauth.Exchange and saves the token in a kickauth.FileStore under
// kickauth.StoreKey(client id, account). A 127.0.0.1 redirect URI gets kickauth's workaround for
// Kick's front end, which rewrites 127.0.0.1 to localhost.
//
// Other commands use the stored user token when there is one (refreshing it through kickauth's
// UserTokenSource, which saves the rotated token first), and the app token of the client
// credentials grant otherwise or with --app. App tokens are fetched per run and never stored.
// 'kick events subscribe --broadcaster ID' uses the app token when the app's credentials are
// known, because Kick subscribes the user token's own channel whatever the broadcaster.
//
// # Raw calls
//
// 'kick api' works like 'gh api': -f key=value adds a string field and -F key=value a typed one
// (true, false, null, numbers; @FILE reads a file). For GET, HEAD and DELETE the fields are query
// parameters, a repeated key repeated; for POST, PUT and PATCH they make a JSON object, a repeated
// key (or key[]) an array; with --input the file is the body and the fields go to the query. A
// path under /oauth/ goes to the OAuth server. The request goes through kick.Client's NewRequest
// and BareDo, the path every command's calls take: the token the operation needs (a path the SDK
// does not know takes the user token, else the app token), retries of 429 and 5xx with
// Retry-After, the refresh and single replay after a 401, redirects only to the same host, and
// errors with the credentials redacted. It sends the User-Agent kick-go-cli/<version>. The
// answer's body is printed as indented JSON, byte for byte otherwise; a non-2xx answer goes to
// stderr with exit status 1.
//
// # Output
//
// Tables are aligned with text/tabwriter. JSON output of the common commands is the kick package's
// types as they marshal: with Kick's field names (user_id), times in RFC 3339, and secrets such as
// stream keys as REDACTED. 'kick api' prints Kick's own JSON.
//
// # Webhooks
//
// 'kick event trigger' posts a realistic sample of an event type (kicktest.SamplePayload: the
// payload kicktest would deliver, with its seed users, fresh ids and the current time) with the six
// Kick-Event-* headers, signed with kicktest's development key (kicktest.SigningKeyPEM) or --key.
// 'kick event verify' checks a captured delivery with webhook.Verifier: the headers come as
// "Name: value" lines (a request line and a body after an empty line are skipped) or a JSON
// object. Kick's published key is the default; --dev-key trusts kicktest's. --at and
// --no-time-check verify old captures by moving the verifier's clock: the webhook package has no
// switch to turn the time check off.
//
// # The fake
//
// 'kick mock serve' runs kicktest.NewServer on 127.0.0.1 (ports 8977 and 8978 by default, 0 for
// free ones) with the app kick-mock-client-id / kick-mock-client-secret, or the credentials of
// the global flags when both are set, and prints the URLs, credentials, seed users and the
// environment to export (one JSON line with -o json). It serves until SIGINT or SIGTERM, then
// exits 0.
//
// # Exit status
//
// 0 on success; 1 on a runtime error (a failed request, Kick's error answer, ids Kick did not
// find, an invalid webhook delivery), with "error: ..." and sometimes a "hint: ..." on stderr;
// 2 on a bad command line (unknown command or flag, missing or malformed argument, input the
// kick package refuses before sending), with one line naming the command and "Run 'kick ...
// --help' for usage.".
package main
