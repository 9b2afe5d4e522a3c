package main

import (
	"debug/buildinfo"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	t.Parallel()
	vcs := func(rev, modified, at string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: at}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "f061d714dc3e4c2e0b82ffeebce8462551e8b59e"
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install of a release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0", Sum: "h1:x"}},
			"v1.2.0 (go1.26.8)"},
		{"a build of a clean clone", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "v0.0.0-20261207025854-f061d714dc3e"}, Settings: vcs(rev, "false", "2026-12-07T02:58:54Z")},
			"v0.0.0-20261207025854-f061d714dc3e (commit f061d714dc3e, 2026-12-07T02:58:54Z; go1.26.8)"},
		{"a build of a modified tree", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "v0.0.0-20261207025854-f061d714dc3e+dirty"}, Settings: vcs(rev, "true", "2026-12-07T02:58:54Z")},
			"v0.0.0-20261207025854-f061d714dc3e+dirty (commit f061d714dc3e, modified, 2026-12-07T02:58:54Z; go1.26.8)"},
		{"a build after a tag", &debug.BuildInfo{GoVersion: "go1.27.3",
			Main: debug.Module{Version: "v1.2.1-0.20261207025854-f061d714dc3e"}, Settings: vcs(rev, "false", "")},
			"v1.2.1-0.20261207025854-f061d714dc3e (commit f061d714dc3e; go1.27.3)"},
		{"without VCS stamping", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"(devel) (commit unknown; go1.26.8)"},
		{"an empty main version", &debug.BuildInfo{}, "(devel) (commit unknown; go1.26.0)"},
		{"no build info", nil, "(devel) (commit unknown; go1.26.0)"},
	}
	for _, tt := range tests {
		if got := describeBuild(tt.bi, "go1.26.0"); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// The built binary prints its module version and commit, as its build information (read from the
// file, as `go version -m` does) records them, on one line, for --version, -v and version alike;
// the commit, when recorded, is the checkout's.
func TestVersionOfTheBinary(t *testing.T) {
	t.Parallel()
	bi, err := buildinfo.ReadFile(kickBin)
	if err != nil {
		t.Fatal(err)
	}
	want := "kick " + describeBuild(bi, "") + "\n"
	if bi.Main.Path != "github.com/kick-sdk/kick-go" || !strings.HasPrefix(want, "kick "+bi.Main.Version+" (") || !strings.Contains(want, bi.GoVersion+")") {
		t.Fatalf("build info of the binary: module %s %s, %s; the line %q lacks them", bi.Main.Path, bi.Main.Version, bi.GoVersion, want)
	}
	env := cliEnv(t)
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}} {
		r := runCLI(t, env, args...)
		wantCode(t, r, 0, args...)
		if r.stdout != want || r.stderr != "" {
			t.Errorf("kick %s: %q, stderr %q; want %q", args[0], r.stdout, r.stderr, want)
		}
	}
	for _, s := range bi.Settings {
		if s.Key != "vcs.revision" {
			continue
		}
		head, err := exec.CommandContext(t.Context(), "git", "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatalf("the binary records commit %s, but git rev-parse HEAD fails: %v", s.Value, err)
		}
		if got := strings.TrimSpace(string(head)); s.Value != got || !strings.Contains(want, "commit "+got[:12]) {
			t.Errorf("the binary records commit %s and prints %q; the checkout is at %s", s.Value, want, got)
		}
	}
}
