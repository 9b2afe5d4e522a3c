package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run runs the CLI with args and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := newApp(stdin, stdout, stderr, getenv)
	err := a.root.execute(ctx, a, []string{"kick"}, args)
	var (
		ue     *usageError
		silent *silentError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", ue.path, ue.msg, ue.path)
		return exitUsage
	case errors.As(err, &silent):
		return silent.code
	default:
		fmt.Fprintf(stderr, "error: %s\n", err)
		if hint := hintFor(err); hint != "" {
			fmt.Fprintf(stderr, "hint: %s\n", hint)
		}
		return exitError
	}
}

// hintFor suggests what to do about some errors.
func hintFor(err error) string {
	switch {
	case errors.Is(err, kickauth.ErrReauthorize):
		return "log in again with 'kick auth login'"
	case errors.Is(err, kick.ErrMissingToken):
		return "this needs a user token: log in with 'kick auth login' (and do not pass --app)"
	case errors.Is(err, kick.ErrUnauthorized):
		return "the token was refused: log in again with 'kick auth login', or check the app's credentials"
	case errors.Is(err, kick.ErrForbidden):
		return "the token may lack a scope: log in again with 'kick auth login --scopes ...'"
	}
	return ""
}

func rootCommand() *command {
	return &command{
		name:  "kick",
		short: "Kick.com's public API from the command line",
		long:  strings.TrimSpace(rootHelp),
		subs: []*command{
			authCommand(),
			apiCommand(),
			usersCommand(),
			channelsCommand(),
			livestreamsCommand(),
			categoriesCommand(),
			chatCommand(),
			eventsCommand(),
			eventCommand(),
			mockCommand(),
			versionCommand(),
		},
	}
}

func versionCommand() *command {
	return &command{
		name:  "version",
		short: "Print the CLI's version",
		run: func(_ context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "kick %s (kick-go, %s)\n", kick.Version, runtime.Version())
			return nil
		},
	}
}

const rootHelp = `
kick calls Kick.com's public API: raw requests (kick api), common tasks (users, channels,
livestreams, categories, chat, events), OAuth logins (kick auth), webhook testing (kick event)
and a local fake of Kick (kick mock serve).

Flags may come anywhere after the command's name, global flags also before it; "--" ends them.
-h or --help on any command prints its usage.

Credentials:
  The app's client id and secret (from kick.com, Settings, Developer) come from --client-id or
  KICK_CLIENT_ID, and KICK_CLIENT_SECRET or a file (--client-secret-file or
  KICK_CLIENT_SECRET_FILE; - reads stdin). --client-secret is deprecated: the process list shows
  it to every user of the machine. 'kick auth login' stores a user token in --token-dir, under the
  client id and --account. Commands use that user token when one is stored, and the app token
  (client credentials) otherwise or with --app.

Environment:
  KICK_BASE_URL            API base URL (--base-url), default https://api.kick.com
  KICK_OAUTH_URL           OAuth server base URL (--oauth-url), default https://id.kick.com
  KICK_CLIENT_ID           the app's client id (--client-id)
  KICK_CLIENT_SECRET       the app's client secret
  KICK_CLIENT_SECRET_FILE  a file holding the client secret (--client-secret-file)
  KICK_TOKEN_DIR           directory of stored user tokens (--token-dir)
  KICK_ACCOUNT             the stored user token to use (--account), default "default"

Output:
  Common commands print a table, or with -o json the kick-go types as JSON with Kick's field names.
  'kick api' prints Kick's JSON as it comes, indented.

Exit status:
  0  success
  1  an error: a failed request, Kick's error answer, an invalid webhook signature
  2  a bad command line: unknown command or flag, missing or malformed argument

Try it without a Kick account:
  kick mock serve                       # in one terminal; then export what it prints
  kick users get 1001
  kick api GET /public/v1/users -f id=1001
`
