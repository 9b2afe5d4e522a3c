package main

import (
	"bytes"
	"strings"
	"testing"
)

// Two test binaries' copies of the same blocks (as -coverpkg writes them): a block is covered if
// any copy is.
const profile = `mode: atomic
example.com/m/kick/a.go:1.1,2.1 3 0
example.com/m/kick/a.go:3.1,4.1 1 0
example.com/m/kick/a.go:1.1,2.1 3 5
example.com/m/kick/sub/b.go:1.1,2.1 2 1
example.com/m/kick/sub/b.go:3.1,4.1 2 0
example.com/m/other/c.go:1.1,2.1 9 0
`

func TestCoverage(t *testing.T) {
	pkgs, err := parse(strings.NewReader(profile))
	if err != nil {
		t.Fatal(err)
	}
	if c := pkgs["example.com/m/kick"]; c == nil || c.covered != 3 || c.total != 4 {
		t.Errorf("kick: %+v, want 3 of 4 statements", c)
	}
	if c := pkgs["example.com/m/kick/sub"]; c == nil || c.covered != 2 || c.total != 4 {
		t.Errorf("kick/sub: %+v, want 2 of 4 statements", c)
	}
	var out bytes.Buffer
	if !report(&out, pkgs, nil, "example.com/m/kick", 50) {
		t.Errorf("50%% reported missed:\n%s", &out)
	}
	if strings.Contains(out.String(), "other") {
		t.Errorf("a package outside the prefix was printed:\n%s", &out)
	}
	out.Reset()
	if report(&out, pkgs, nil, "example.com/m/kick", 60) || !strings.Contains(out.String(), "BELOW 60%") {
		t.Errorf("kick/sub at 50%% passed a 60%% minimum:\n%s", &out)
	}
	if report(&out, pkgs, nil, "example.com/none", 0) {
		t.Error("no package under the prefix passed")
	}
	if _, err := parse(strings.NewReader("mode: set\nnot a block\n")); err == nil {
		t.Error("a malformed line was accepted")
	}
}
