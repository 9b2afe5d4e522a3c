package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kick-sdk/kick-go/kick"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // a runtime or API error
	exitUsage = 2 // bad command line: unknown command or flag, missing or malformed argument
)

// command is a node of the command tree: a group with subcommands, or a leaf with a run function.
type command struct {
	name  string
	args  string // the positional arguments in the usage line, such as "ID..."
	short string // one line for the parent's command list
	long  string // the help text after the usage line

	// flags registers the command's own flags; run runs it with the positional arguments.
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, a *app, args []string) error

	subs []*command
}

func (c *command) sub(name string) *command {
	for _, s := range c.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// usageError is a bad command line: exit code 2, a one-line message and a hint at the help.
type usageError struct {
	path string // the command, such as "kick users get"
	msg  string
}

func (e *usageError) Error() string { return e.msg }

// exitError ends the program with a code and no further message: what went wrong was printed.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// execute runs the command at path with args: a group parses the global flags before the name of
// its subcommand, a leaf parses the global flags and its own anywhere among its arguments.
func (c *command) execute(ctx context.Context, a *app, path []string, args []string) error {
	name := strings.Join(path, " ")
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	a.g.register(fs)
	if c.flags != nil {
		c.flags(fs)
	}

	if len(c.subs) > 0 {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printHelp(a.stdout, name, fs)
			return nil
		}
		if err != nil {
			return &usageError{name, flagMessage(err)}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			names := make([]string, len(c.subs))
			for i, s := range c.subs {
				names[i] = s.name
			}
			return &usageError{name, "missing command: " + strings.Join(names, ", ")}
		}
		if c == a.root && rest[0] == "help" {
			return a.help(rest[1:])
		}
		s := c.sub(rest[0])
		if s == nil {
			return &usageError{name, fmt.Sprintf("unknown command %q for %q", rest[0], name)}
		}
		return s.execute(ctx, a, append(path, s.name), rest[1:])
	}

	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.printHelp(a.stdout, name, fs)
		return nil
	}
	if err != nil {
		return &usageError{name, flagMessage(err)}
	}
	if err := a.g.resolve(a.getenv); err != nil {
		return &usageError{name, err.Error()}
	}
	if err := a.g.readSecret(a.getenv, &a.stdin, a.stderr); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			ue.path = name
		}
		return err
	}
	err = c.run(ctx, a, pos)
	var ue *usageError
	switch {
	case errors.As(err, &ue) && ue.path == "":
		ue.path = name
	case errors.Is(err, kick.ErrInvalidInput):
		// The kick package refused an argument before sending anything: a usage error too.
		return &usageError{name, err.Error()}
	}
	return err
}

// parseInterspersed parses flags anywhere among the arguments, like gh and kubectl do, and returns
// the positional arguments in order. "--" ends the flags: everything after it is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagMessage turns the flag package's error into one line.
func flagMessage(err error) string {
	msg := err.Error()
	msg = strings.Replace(msg, "flag provided but not defined: ", "unknown flag: ", 1)
	return msg
}

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Positional argument checks, returning usage errors.

func noArgs(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	return nil
}

func exactArgs(args []string, names ...string) error {
	if len(args) < len(names) {
		return usagef("missing argument %s", names[len(args)])
	}
	if len(args) > len(names) {
		return usagef("unexpected argument %q", args[len(names)])
	}
	return nil
}

func minArgs(args []string, n int, name string) error {
	if len(args) < n {
		return usagef("missing argument %s", name)
	}
	return nil
}

// printHelp writes the command's usage: its usage line, help text, subcommands and flags, its own
// apart from the global ones.
func (c *command) printHelp(w io.Writer, name string, fs *flag.FlagSet) {
	usage := "Usage:\n  " + name
	if len(c.subs) > 0 {
		usage += " COMMAND"
	}
	if c.args != "" {
		usage += " " + c.args
	}
	usage += " [flags]\n"
	fmt.Fprint(w, usage)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.long, "\n"))
	} else if c.short != "" {
		fmt.Fprintf(w, "\n%s.\n", c.short)
	}
	if len(c.subs) > 0 {
		fmt.Fprint(w, "\nCommands:\n")
		tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
		for _, s := range c.subs {
			fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.short)
		}
		_ = tw.Flush()
	}
	own, global := splitFlags(fs)
	if len(own) > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, own)
	}
	fmt.Fprint(w, "\nGlobal flags:\n")
	printFlags(w, global)
	if len(c.subs) > 0 {
		fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's usage.\n", name)
	}
}

// flagDoc is one flag of the help, with its one-letter alias.
type flagDoc struct {
	name, short string
	value       string
	usage       string
	def         string
}

// shortAliases maps a long flag name to its one-letter alias; both are registered.
var shortAliases = map[string]string{"raw-field": "f", "field": "F", "output": "o", "header": "H", "include": "i"}

func splitFlags(fs *flag.FlagSet) (own, global []flagDoc) {
	long := make(map[string]bool)
	for l, s := range shortAliases {
		if fs.Lookup(l) != nil && fs.Lookup(s) != nil {
			long[s] = true
		}
	}
	fs.VisitAll(func(f *flag.Flag) {
		if long[f.Name] {
			return // printed with its long name
		}
		value, usage := flag.UnquoteUsage(f)
		d := flagDoc{name: f.Name, value: value, usage: usage}
		if s := shortAliases[f.Name]; s != "" && fs.Lookup(s) != nil {
			d.short = s
		}
		if _, ok := f.Value.(globalValue); ok {
			global = append(global, d) // their usage names the environment variable and default
			return
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			d.def = f.DefValue
		}
		own = append(own, d)
	})
	byName := func(a, b flagDoc) int { return strings.Compare(a.name, b.name) }
	slices.SortFunc(own, byName)
	slices.SortFunc(global, byName)
	return own, global
}

func printFlags(w io.Writer, flags []flagDoc) {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, f := range flags {
		names := "    --" + f.name
		if f.short != "" {
			names = "-" + f.short + ", --" + f.name
		}
		if f.value != "" {
			names += " " + f.value
		}
		usage := f.usage
		if f.def != "" {
			usage += fmt.Sprintf(" (default %s)", f.def)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", names, usage)
	}
	_ = tw.Flush()
}

// help runs "kick help [COMMAND...]": the help of the root or of the named command.
func (a *app) help(path []string) error {
	c, name := a.root, "kick"
	for _, p := range path {
		s := c.sub(p)
		if s == nil {
			return &usageError{"kick help", fmt.Sprintf("unknown command %q for %q", p, name)}
		}
		c, name = s, name+" "+p
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	a.g.register(fs)
	if c.flags != nil {
		c.flags(fs)
	}
	c.printHelp(a.stdout, name, fs)
	return nil
}
