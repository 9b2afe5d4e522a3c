package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kick-sdk/kick-go/kick"
)

// Exit codes.
const (
	exitOK        = 0
	exitError     = 1   // a runtime or API error
	exitUsage     = 2   // bad command line: unknown command or flag, missing or malformed argument
	exitInterrupt = 130 // interrupted with Ctrl-C (SIGINT), as shells report it
	exitTerm      = 143 // stopped by SIGTERM, except a server, which then exits 0
)

// usageError is a bad command line: exit code 2, a one-line message and a hint at the help.
type usageError struct {
	path string // the command, such as "kick users get"
	msg  string
}

func (e *usageError) Error() string { return e.msg }

// silentError ends the program with a code and no further message: what went wrong was printed.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// execute runs the command line args.
func (a *app) execute(ctx context.Context, args []string) error {
	a.root.SetArgs(args)
	c, err := a.root.ExecuteContextC(ctx)
	var (
		ue *usageError
		ve *kick.ValidationError
	)
	switch {
	case errors.As(err, &ue) && ue.path == "":
		ue.path = c.CommandPath()
	case errors.As(err, &ve):
		// The kick package refused an input before sending anything: a usage error too.
		return inputError(c, ve)
	case err != nil && isFlagError(err):
		return &usageError{path: c.CommandPath(), msg: err.Error()}
	}
	return err
}

// isFlagError tells cobra's own usage errors, which it returns unwrapped, from the commands'.
func isFlagError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") || strings.HasPrefix(msg, "unknown flag: ") ||
		strings.HasPrefix(msg, "unknown shorthand flag: ") || strings.HasPrefix(msg, "flag needs an argument: ") ||
		strings.HasPrefix(msg, "invalid argument ") || strings.HasPrefix(msg, "required flag(s) ") ||
		strings.HasPrefix(msg, "if any flags in the group ")
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "kick",
		Short:         "Kick.com's public API from the command line",
		Long:          strings.TrimSpace(rootHelp),
		Version:       cliVersion(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          groupArgs,
		RunE:          showHelp,
		// The completion scripts come from cobra; 'kick completion --help' says how to install them.
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		PersistentPreRunE: a.prepare,
	}
	root.SetVersionTemplate("kick {{.Version}}\n")
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{path: c.CommandPath(), msg: err.Error() + flagSuggestion(c, err)}
	})
	a.g.register(root.PersistentFlags())
	root.PersistentFlags().SortFlags = true
	root.AddGroup(
		&cobra.Group{ID: "core", Title: "Kick's API:"},
		&cobra.Group{ID: "dev", Title: "Local development:"},
	)
	for _, c := range []*cobra.Command{
		a.apiCommand(), a.usersCommand(), a.channelsCommand(), a.livestreamsCommand(), a.categoriesCommand(),
		a.chatCommand(), a.subscriptionsCommand(),
	} {
		c.GroupID = "core"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{a.authCommand(), a.eventCommand(), a.mockCommand(), a.doctorCommand(), a.relayCommand()} {
		c.GroupID = "dev"
		root.AddCommand(c)
	}
	root.AddCommand(a.versionCommand())
	root.SetHelpCommand(a.helpCommand())
	a.registerCompletions(root)
	return root
}

// prepare runs before every command: it fills the global settings from the environment, reads
// the client secret, and checks the output flags. Help, version and completion need none of it.
func (a *app) prepare(c *cobra.Command, _ []string) error {
	if skipsSetup(c) {
		return nil
	}
	if err := a.g.resolve(a.getenv); err != nil {
		return &usageError{path: c.CommandPath(), msg: err.Error()}
	}
	if err := a.g.readSecret(a.getenv, &a.stdin, a.stderr); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			ue.path = c.CommandPath()
		}
		return err
	}
	if o := a.outputs[c]; o != nil {
		if err := o.check(); err != nil {
			return &usageError{path: c.CommandPath(), msg: err.Error()}
		}
	}
	return nil
}

// skipsSetup tells the commands that read no settings: help, version and shell completion.
func skipsSetup(c *cobra.Command) bool {
	for p := c; p != nil; p = p.Parent() {
		switch p.Name() {
		case "help", "version", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return true
		}
	}
	return false
}

// group returns a command that groups subcommands: alone it prints its help, and with an
// unknown subcommand it fails, suggesting the nearest.
func group(use, short, long string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Long: long, Args: groupArgs, RunE: showHelp}
	c.AddCommand(subs...)
	return c
}

// groupArgs refuses an unknown subcommand with cobra's "did you mean" suggestions.
func groupArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &usageError{path: c.CommandPath(), msg: msg}
}

func showHelp(c *cobra.Command, _ []string) error { return c.Help() }

// helpCommand is 'kick help [COMMAND...]', which fails on an unknown command.
func (a *app) helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND...]",
		Short: "Print the help of a command",
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil || cmd == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() {
					out = append(out, cobra.CompletionWithDesc(s.Name(), s.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd := c.Root()
			for _, name := range args {
				var next *cobra.Command
				for _, s := range cmd.Commands() {
					if s.Name() == name || s.HasAlias(name) {
						next = s
					}
				}
				if next == nil {
					if cmd.SuggestionsMinimumDistance <= 0 {
						cmd.SuggestionsMinimumDistance = 2
					}
					msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
					if s := cmd.SuggestionsFor(name); len(s) > 0 {
						msg += "; did you mean " + strings.Join(s, " or ") + "?"
					}
					return &usageError{path: "kick help", msg: msg}
				}
				cmd = next
			}
			return cmd.Help()
		},
	}
}

// Positional argument checks, returning usage errors.

func argsNone(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	return nil
}

func argsExact(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < len(names) {
			return usagef("missing argument %s", names[len(args)])
		}
		if len(args) > len(names) {
			return usagef("unexpected argument %q", args[len(names)])
		}
		return nil
	}
}

func argsMin(n int, name string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("missing argument %s", name)
		}
		return nil
	}
}

func argsMax(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("unexpected argument %q", args[n])
		}
		return nil
	}
}

const rootHelp = `
kick calls Kick.com's public API: raw requests (kick api), common tasks (users, channels,
livestreams, categories, chat, the app's event subscriptions), OAuth logins (kick auth), webhook
deliveries sent, received and replayed locally (kick event), why webhooks do not arrive (kick
doctor), Kick's events for programs without a public URL (kick relay) and a local fake of Kick
(kick mock serve).

Flags are GNU-style (--limit=5, -o json) and may come anywhere after the command's name; global
flags also before it; "--" ends them. -h or --help on any command prints its usage.

Credentials:
  The app's client id and secret (from kick.com, Settings, Developer) come from --client-id or
  KICK_CLIENT_ID, and KICK_CLIENT_SECRET or a file (--client-secret-file or
  KICK_CLIENT_SECRET_FILE; - reads stdin): never from the command line, which the process list
  shows to every user of the machine. 'kick auth login' stores a user token in --token-dir, per
  OAuth host (id.kick.com, or a mock's 127.0.0.1:PORT), app and account, so that a mock's login
  never touches Kick's. Commands use the active account's user token ('kick auth status'), and
  the app token (client credentials) when none is stored or with --app.

Environment:
  KICK_BASE_URL            API base URL (--base-url), default https://api.kick.com
  KICK_OAUTH_URL           OAuth server base URL (--oauth-url), default https://id.kick.com
  KICK_CLIENT_ID           the app's client id (--client-id)
  KICK_CLIENT_SECRET       the app's client secret
  KICK_CLIENT_SECRET_FILE  a file holding the client secret (--client-secret-file)
  KICK_TOKEN_DIR           directory of stored user tokens and accounts (--token-dir)
  KICK_ACCOUNT             the logged-in account to use (--account)
  KICK_FORCE_TTY           print for a terminal (of that many columns, if a number) when piped

Output:
  Tables on a terminal fit its width; piped, they are tab-separated lines without a header.
  -o json prints Kick's JSON names: an object for one item, {"data": [...]} for a list, with
  "next_cursor" when there are more pages. --jq EXPR filters the JSON (jq's language) and
  --template TEMPLATE formats it (Go's text/template), both implying -o json. In JSON mode
  errors are JSON on stderr too.

Exit status:
  0    success
  1    an error: a failed request, Kick's error answer, an invalid webhook signature
  2    a bad command line: unknown command or flag, missing or malformed argument
  130  interrupted with Ctrl-C

Try it without a Kick account:
  kick mock serve                       # in one terminal; then export what it prints
  kick auth login                       # logs in to the mock at once, no browser needed
  kick event listen                     # in another terminal: receives the mock's deliveries
  kick event trigger chat.message.sent  # sends one to it
`

// flagSuggestion is "; did you mean --NAME?" for an unknown flag close to one of the command's.
func flagSuggestion(c *cobra.Command, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	var near []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && (levenshtein(name, f.Name) <= 2 || strings.HasPrefix(f.Name, name)) {
			near = append(near, "--"+f.Name)
		}
	})
	if len(near) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(near, " or ") + "?"
}

// levenshtein is the edit distance of a and b.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
