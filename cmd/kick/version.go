package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// cliVersion is what `kick version` and `kick --version` print after "kick ": the module version
// and the VCS commit the binary was built from, as its build information records them.
func cliVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return describeBuild(bi, runtime.Version())
}

// describeBuild is "<module version> (commit <12 hex>[, modified][, <commit time>]; <go version>)":
//
//	v1.2.0 (go1.26.8)                                                  go install …/cmd/kick@v1.2.0
//	v0.0.0-20261207025854-f061d714dc3e (commit f061d714dc3e, 2026-12-07T02:58:54Z; go1.26.8)
//	(devel) (commit unknown; go1.26.8)                                 go run, -buildvcs=false
//
// A release's version names its commit; a build from a checkout records the commit (and whether
// the tree was modified) when the go command stamps VCS information (-buildvcs, on by default in
// a git clone); otherwise the commit is unknown. bi may be nil: a binary without build info.
func describeBuild(bi *debug.BuildInfo, goVersion string) string {
	version, settings := "", map[string]string{}
	if bi != nil {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
	}
	if version == "" {
		version = "(devel)"
	}
	var commit []string
	switch rev := settings["vcs.revision"]; {
	case rev != "":
		commit = append(commit, "commit "+rev[:min(len(rev), 12)])
		if settings["vcs.modified"] == "true" {
			commit = append(commit, "modified")
		}
		if t := settings["vcs.time"]; t != "" {
			commit = append(commit, t)
		}
	case version == "(devel)" || strings.HasSuffix(version, "+dirty"):
		commit = append(commit, "commit unknown")
	}
	if len(commit) == 0 {
		return fmt.Sprintf("%s (%s)", version, goVersion)
	}
	return fmt.Sprintf("%s (%s; %s)", version, strings.Join(commit, ", "), goVersion)
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the CLI's module version and commit (also kick --version)",
		Long: strings.TrimSpace(`
Print the version of the kick-go module the CLI was built from and its commit, from the
binary's build information: a release's version (go install ...@v1.2.0), or for a build from a
checkout the pseudo-version, commit, commit time and whether the tree was modified, when the go
command recorded them (-buildvcs); "(devel)" and "commit unknown" when it did not. kick --version
prints the same line.`),
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "kick %s\n", c.Root().Version)
			return nil
		},
	}
}
