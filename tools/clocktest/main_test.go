package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// writeModule writes a module example.com/m into a temporary directory: files by name.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A module where fake is the package whose users count: a's tests import it, b's code does, c
// uses neither (its test fails, so that running it fails clocktest's test), d's test fails at one
// instant only, a leap day, and e is imported by fake and tested with it.
var module = map[string]string{
	"fake/fake.go": "package fake\n\nimport (\n\t\"os\"\n\n\t\"example.com/m/e\"\n)\n\n// Now is the instant of the run.\nfunc Now() string { return os.Getenv(\"KICKTEST\" + e.Suffix) }\n\n// Clock is a type of fake's.\ntype Clock struct{}\n",
	// fake imports e, and e's tests import fake: as e has tests inside the package too, its test
	// binary links fake recompiled against them ("example.com/m/fake [example.com/m/e.test]").
	"e/e.go":               "package e\n\n// Suffix completes the variable's name.\nconst Suffix = \"_NOW\"\n",
	"e/e_internal_test.go": "package e\n\nimport \"testing\"\n\nfunc TestSuffix(t *testing.T) {\n\tif Suffix == \"\" {\n\t\tt.Fatal(\"empty\")\n\t}\n}\n",
	"e/e_test.go":          "package e_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/fake\"\n)\n\nfunc TestE(t *testing.T) {\n\tif fake.Now() == \"\" {\n\t\tt.Fatal(\"unset\")\n\t}\n}\n",
	"a/a.go":               "package a\n",
	"a/a_test.go": `package a_test

import (
	"os"
	"testing"

	"example.com/m/fake"
)

// now reaches fake for the tests that call it.
func now() string { return fake.Now() }

// TestUnrelated does not use fake: it must not run.
func TestUnrelated(t *testing.T) { t.Fatal("a test that does not use fake ran") }

// rig holds a type of fake's; its String method does not use fake, and methods go by name: a
// test that calls another type's String does not use fake through it.
type rig struct{ c fake.Clock }

func (r *rig) String() string { return "rig" }

type label struct{}

func (label) String() string { return "label" }

// TestStringer calls a String of a type that has nothing to do with fake: it must not run.
func TestStringer(t *testing.T) {
	if (label{}).String() != "" {
		t.Fatal("a test that does not use fake ran")
	}
}

// TestRig names the type that holds fake's: it runs.
func TestRig(t *testing.T) {
	if r := (&rig{}); r.String() != "rig" {
		t.Fatal(r.c)
	}
}

func TestInstant(t *testing.T) {
	if now() == "" {
		t.Fatal("KICKTEST_NOW is not set")
	}
	// The run is in the package's directory, as go test's.
	if _, err := os.Stat("a.go"); err != nil {
		t.Fatal(err)
	}
}
`,
	"b/b.go":      "package b\n\nimport \"example.com/m/fake\"\n\n// Now is fake's.\nfunc Now() string { return fake.Now() }\n",
	"b/b_test.go": "package b\n\nimport \"testing\"\n\nfunc TestB(t *testing.T) {\n\tif Now() == \"\" {\n\t\tt.Fatal(\"unset\")\n\t}\n}\n",
	"c/c.go":      "package c\n",
	"c/c_test.go": "package c\n\nimport \"testing\"\n\nfunc TestC(t *testing.T) { t.Fatal(\"c does not use fake and must not run\") }\n",
	"d/d.go":      "package d\n",
	"d/d_test.go": `package d

import (
	"strings"
	"testing"

	"example.com/m/fake"
)

func TestNotOnALeapDay(t *testing.T) {
	if strings.Contains(fake.Now(), "-02-29T") {
		t.Fatal("broken on a leap day")
	}
}
`,
}

func TestUsersBuildAndRun(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, module)
	ctx := context.Background()
	pkgs, err := usersOf(ctx, dir, "example.com/m/fake")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	tests := map[string][]string{}
	for _, p := range pkgs {
		paths = append(paths, p.path)
		tests[p.path] = p.tests
		if want := filepath.Join(dir, strings.TrimPrefix(p.path, "example.com/m/")); p.dir != want {
			t.Errorf("%s: dir %s, want %s", p.path, p.dir, want)
		}
	}
	if diff := cmp.Diff([]string{"example.com/m/a", "example.com/m/b", "example.com/m/d", "example.com/m/e"}, paths); diff != "" {
		t.Fatalf("packages (-want +got):\n%s", diff)
	}
	// The tests that use fake, through a helper too; all of b's, whose own code uses it.
	wantTests := map[string][]string{
		"example.com/m/a": {"TestInstant", "TestRig"},
		"example.com/m/b": nil,
		"example.com/m/d": {"TestNotOnALeapDay"},
		"example.com/m/e": {"TestE"},
	}
	if diff := cmp.Diff(wantTests, tests); diff != "" {
		t.Errorf("tests (-want +got):\n%s", diff)
	}
	if err := build(ctx, pkgs, t.TempDir()); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if !runAll(ctx, &out, pkgs, []string{"2026-11-30T00:30:00Z", "2027-01-03T23:59:59Z"}, 2, time.Minute) {
		t.Errorf("runs on ordinary days failed:\n%s", out.String())
	}
	if n := strings.Count(out.String(), "ok\t"); n != 8 {
		t.Errorf("%d runs passed, want 4 packages at 2 instants:\n%s", n, out.String())
	}

	out.Reset()
	if runAll(ctx, &out, pkgs, []string{"2028-02-29T12:00:00Z"}, 1, time.Minute) {
		t.Errorf("a test that fails on a leap day passed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "FAIL\texample.com/m/d\tKICKTEST_NOW=2028-02-29T12:00:00Z") || !strings.Contains(out.String(), "broken on a leap day") {
		t.Errorf("the failure does not name the package, the instant and the test's output:\n%s", out.String())
	}
}

func TestUsersOfAModuleWithoutThem(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"c/c.go": "package c\n"})
	pkgs, err := usersOf(context.Background(), dir, "example.com/m/fake")
	if err != nil || len(pkgs) != 0 {
		t.Errorf("usersOf: %v %v, want none", pkgs, err)
	}
	if _, err := usersOf(context.Background(), t.TempDir(), "x"); err == nil {
		t.Error("usersOf outside a module succeeded")
	}
}
