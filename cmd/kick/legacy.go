package main

import (
	"context"
	"flag"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// command is a command written for the standard flag package, as 'kick api' is until the
// request core it moves onto is in: cobraCommand makes a cobra command of it, its Go flags GNU
// flags, a one-letter flag the shorthand of its long twin (shortAliases).
type command struct {
	name  string
	args  string // the positional arguments in the usage line, such as "METHOD PATH"
	short string
	long  string
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, a *app, args []string) error
}

// shortAliases maps a long flag name to its one-letter alias, both registered by a command.
var shortAliases = map[string]string{"raw-field": "f", "field": "F", "output": "o", "header": "H", "include": "i"}

func (a *app) cobraCommand(c *command) *cobra.Command {
	cc := &cobra.Command{
		Use:   strings.TrimSpace(c.name + " " + c.args),
		Short: c.short,
		Long:  c.long,
		RunE: func(cc *cobra.Command, args []string) error {
			return c.run(cc.Context(), a, args)
		},
	}
	if c.flags == nil {
		return cc
	}
	gfs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.flags(gfs)
	short := map[string]bool{}
	for long, s := range shortAliases {
		if gfs.Lookup(long) != nil && gfs.Lookup(s) != nil {
			short[s] = true
		}
	}
	gfs.VisitAll(func(gf *flag.Flag) {
		if short[gf.Name] {
			return
		}
		pf := pflag.PFlagFromGoFlag(gf)
		if s := shortAliases[gf.Name]; s != "" && short[s] {
			pf.Shorthand = s
		}
		cc.Flags().AddFlag(pf)
	})
	return cc
}

// exactArgs checks a legacy command's positional arguments.
func exactArgs(args []string, names ...string) error {
	return argsExact(names...)(nil, args)
}
