// Command clocktest runs the tests of every package that uses kicktest (its tests or its code
// import it, examples included) with kicktest's default clock stopped at each of several instants
// (KICKTEST_NOW, kicktest.EnvNow), so that a test or an example that depends on the day it runs
// fails on any day, not only on the day that breaks it.
//
//	go run ./tools/clocktest . kickredis     # make test-clock
//
// The arguments are module directories. Each test binary is built once (go test -c) and run for
// every instant in its package's directory, two at a time by default (-p): building is most of
// the cost of a test run, and does not depend on the instant. A package whose own code uses
// kicktest runs every test (a test may reach it any way, running a program); any other runs the
// tests, examples and fuzz targets whose bodies refer to kicktest, directly or through the
// package's top-level functions, methods, variables and types (see selectTests).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// kicktestPath is the package whose users are tested, unless -uses says otherwise.
const kicktestPath = "github.com/kick-sdk/kick-go/kick/kicktest"

// defaultInstants are the edges of the calendar: a Monday 00:30 UTC (the week just began), the
// last second of a Sunday and of a year, and a leap day. Some are past and some future, so that
// times callers check against the real clock (a token's expiry, a delivery's timestamp) are
// tested both ways.
var defaultInstants = "2026-11-30T00:30:00Z,2027-01-03T23:59:59Z,2026-12-31T23:59:59Z,2024-02-29T12:00:00Z"

func main() { os.Exit(clocktest()) }

// clocktest is main, returning the exit status, so that its deferred cleanup runs.
func clocktest() int {
	instants := flag.String("instants", defaultInstants, "comma-separated RFC 3339 instants")
	parallel := flag.Int("p", runtime.GOMAXPROCS(0), "test binaries run at once")
	timeout := flag.Duration("timeout", 10*time.Minute, "the -test.timeout of each run")
	uses := flag.String("uses", kicktestPath, "the import path of the package whose users are tested")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: clocktest [-instants t1,t2] [-p N] moduledir...")
		return 2
	}
	var ats []string
	for _, s := range strings.Split(*instants, ",") {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "clocktest: instant %q: %v\n", s, err)
			return 2
		}
		ats = append(ats, t.Format(time.RFC3339))
	}
	ctx := context.Background()
	var pkgs []pkg
	for _, dir := range flag.Args() {
		found, err := usersOf(ctx, dir, *uses)
		if err != nil {
			fmt.Fprintln(os.Stderr, "clocktest:", err)
			return 2
		}
		if len(found) == 0 {
			fmt.Fprintf(os.Stderr, "clocktest: no package of %s uses %s: is the module right?\n", dir, *uses)
			return 2
		}
		pkgs = append(pkgs, found...)
	}
	for _, p := range pkgs {
		if p.tests == nil {
			fmt.Printf("clocktest: %s: every test (its code uses %s)\n", p.path, *uses)
		} else {
			fmt.Printf("clocktest: %s: %d of its tests, those that use %s\n", p.path, len(p.tests), *uses)
		}
	}
	bin, err := os.MkdirTemp("", "clocktest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "clocktest:", err)
		return 2
	}
	defer func() { _ = os.RemoveAll(bin) }()
	if err := build(ctx, pkgs, bin); err != nil {
		fmt.Fprintln(os.Stderr, "clocktest:", err)
		return 1
	}
	if !runAll(ctx, os.Stdout, pkgs, ats, *parallel, *timeout) {
		return 1
	}
	return 0
}

// pkg is a package to test: its import path, directory and module directory, and the tests to
// run, nil for all of them.
type pkg struct {
	path, dir, module, binary string
	tests                     []string
}

// listed is what clocktest reads of go list -test -json.
type listed struct {
	ImportPath, Dir, ForTest, Name           string
	Deps, GoFiles, TestGoFiles, XTestGoFiles []string
}

// usersOf lists the packages of the module in dir whose test binaries link the package used.
func usersOf(ctx context.Context, dir, used string) ([]pkg, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-test", "-json=ImportPath,Dir,ForTest,Name,Deps,GoFiles,TestGoFiles,XTestGoFiles", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list in %s: %w: %s", dir, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return parseList(out, dir, used)
}

// parseList picks from go list -test -json's output the packages whose test binary (the package
// "p.test", its main) links the package used, once each, sorted.
func parseList(out []byte, module, used string) ([]pkg, error) {
	plain := map[string]listed{}
	users := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var l listed
		if err := dec.Decode(&l); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		if l.ForTest == "" && !strings.HasSuffix(l.ImportPath, ".test") {
			plain[l.ImportPath] = l
		}
		if strings.HasSuffix(l.ImportPath, ".test") && l.Name == "main" && slices.ContainsFunc(l.Deps, func(d string) bool {
			// A package that the used one imports links it recompiled for its tests: the
			// dependency is then "used [p.test]".
			return d == used || strings.HasPrefix(d, used+" [")
		}) {
			users[strings.TrimSuffix(l.ImportPath, ".test")] = true
		}
	}
	// The packages whose own code uses the used package: a test calling into one uses it too.
	usedBy := []string{used}
	for path, l := range plain {
		if slices.Contains(l.Deps, used) {
			usedBy = append(usedBy, path)
		}
	}
	var pkgs []pkg
	for path := range users {
		l, ok := plain[path]
		if !ok {
			return nil, fmt.Errorf("go list gave no directory for %s", path)
		}
		tests, err := selectTests(l, usedBy)
		if err != nil {
			return nil, err
		}
		if tests != nil && len(tests) == 0 {
			continue
		}
		pkgs = append(pkgs, pkg{path: path, dir: l.Dir, module: module, tests: tests})
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return strings.Compare(a.path, b.path) })
	return pkgs, nil
}

// build compiles each package's test binary into bin.
func build(ctx context.Context, pkgs []pkg, bin string) error {
	for i := range pkgs {
		p := &pkgs[i]
		p.binary = filepath.Join(bin, strings.NewReplacer("/", "_", ".", "_").Replace(p.path)+".test")
		cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", p.binary, p.path) //nolint:gosec // a package go list named
		cmd.Dir = p.module
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building the tests of %s: %w\n%s", p.path, err, out)
		}
	}
	return nil
}

// runAll runs every binary at every instant, parallel at a time, prints a line per run (and the
// output of a failed one) and reports whether every run passed.
func runAll(ctx context.Context, w io.Writer, pkgs []pkg, instants []string, parallel int, timeout time.Duration) bool {
	type job struct {
		p  pkg
		at string
	}
	jobs := make(chan job)
	var mu sync.Mutex
	ok := true
	var wg sync.WaitGroup
	for range max(parallel, 1) {
		wg.Go(func() {
			for j := range jobs {
				start := time.Now()
				out, err := run(ctx, j.p, j.at, timeout)
				mu.Lock()
				if err != nil {
					ok = false
					fmt.Fprintf(w, "FAIL\t%s\tKICKTEST_NOW=%s\t%v\n%s\n", j.p.path, j.at, err, out)
				} else {
					fmt.Fprintf(w, "ok\t%s\tKICKTEST_NOW=%s\t%.1fs\n", j.p.path, j.at, time.Since(start).Seconds())
				}
				mu.Unlock()
			}
		})
	}
	for _, at := range instants {
		for _, p := range pkgs {
			jobs <- job{p, at}
		}
	}
	close(jobs)
	wg.Wait()
	return ok
}

// run runs the test binary of p in its directory with the clock stopped at at.
func run(ctx context.Context, p pkg, at string, timeout time.Duration) ([]byte, error) {
	args := []string{"-test.count=1", "-test.timeout=" + timeout.String()}
	if p.tests != nil {
		args = append(args, "-test.run=^("+strings.Join(p.tests, "|")+")$")
	}
	cmd := exec.CommandContext(ctx, p.binary, args...) //nolint:gosec // the test binary build made
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "KICKTEST_NOW="+at)
	return cmd.CombinedOutput()
}

// selectTests returns the tests, examples and fuzz targets of package l that use one of the
// packages usedBy, or nil when every test of l counts: when l's own code uses one (the tests may
// reach it any way, by running a program, say), or its TestMain does. A test uses a package when
// its body, or the body of a top-level function, method, variable or type of the package it
// names, refers to the package, transitively; a method counts by its name alone, and by its
// signature and body (not its receiver's type). The selection errs toward running a test.
func selectTests(l listed, usedBy []string) ([]string, error) {
	if slices.Contains(usedBy, l.ImportPath) || slices.ContainsFunc(l.Deps, func(d string) bool { return slices.Contains(usedBy, d) }) {
		return nil, nil
	}
	fset := token.NewFileSet()
	direct := map[string]bool{}          // a declaration that names a used package
	refs := map[string]map[string]bool{} // the identifiers each declaration names
	var candidates []string
	for i, name := range slices.Concat(l.GoFiles, l.TestGoFiles, l.XTestGoFiles) {
		testFile := i >= len(l.GoFiles)
		f, err := parser.ParseFile(fset, filepath.Join(l.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		local := map[string]bool{} // the file's names of the used packages
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !slices.Contains(usedBy, path) {
				continue
			}
			if imp.Name != nil {
				local[imp.Name.Name] = true
			} else {
				local[path[strings.LastIndex(path, "/")+1:]] = true
			}
		}
		note := func(key string, n ast.Node) {
			if refs[key] == nil {
				refs[key] = map[string]bool{}
			}
			ast.Inspect(n, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && local[x.Name] {
						direct[key] = true
					}
					refs[key][n.Sel.Name] = true
				case *ast.Ident:
					refs[key][n.Name] = true
				}
				return true
			})
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					note(d.Name.Name, d)
				} else {
					// A method by its signature and body, not its receiver: a method of a
					// type that holds a kicktest server does not use it unless it says so
					// (a test reaches the value through a function that does), and methods
					// go by name alone, so that a receiver would pass its use on to every
					// method of that name in the package (String, Lock, ...).
					note(d.Name.Name, d.Type)
					if d.Body != nil {
						note(d.Name.Name, d.Body)
					}
				}
				if testFile && d.Recv == nil && isTestName(d.Name.Name) {
					candidates = append(candidates, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch spec := spec.(type) {
					case *ast.ValueSpec:
						for _, n := range spec.Names {
							note(n.Name, spec)
						}
					case *ast.TypeSpec:
						note(spec.Name.Name, spec)
					}
				}
			}
		}
	}
	uses := maps.Clone(direct)
	for changed := true; changed; {
		changed = false
		for key, names := range refs {
			if uses[key] {
				continue
			}
			for name := range names {
				if name != key && uses[name] {
					uses[key], changed = true, true
					break
				}
			}
		}
	}
	if uses["TestMain"] {
		return nil, nil
	}
	tests := []string{}
	for _, name := range candidates {
		if uses[name] && !slices.Contains(tests, name) {
			tests = append(tests, name)
		}
	}
	slices.Sort(tests)
	return tests, nil
}

// isTestName reports whether a top-level function of a test file is one go test runs.
func isTestName(name string) bool {
	for _, prefix := range []string{"Test", "Example", "Fuzz"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && name != "TestMain" {
			if rest == "" || rest[0] == '_' || !unicode.IsLower(rune(rest[0])) {
				return true
			}
		}
	}
	return false
}
