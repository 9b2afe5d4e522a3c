// Command coverage prints the statement coverage of each package in Go coverage profiles and
// fails if a package under a prefix is below a minimum.
//
//	go test -coverpkg=./kick/... -coverprofile=suite.out ./kick/...
//	go test -coverprofile=own.out ./kick/...
//	go run ./tools/coverage -prefix github.com/kick-sdk/kick-go/kick -min 85 -own own.out suite.out
//
// The profile given as argument is the one checked: with -coverpkg, a package's statements count
// as covered when any test of the suite runs them (a test helper package such as webhooktest is
// exercised mostly by the tests of the package it serves). The -own profile, from each package's
// own tests, is printed beside it for comparison. A block that appears several times (once per
// test binary, with -coverpkg) is covered if any of its copies is.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

func main() {
	prefix := flag.String("prefix", "", "import path prefix of the packages the minimum applies to (and the only ones printed)")
	minimum := flag.Float64("min", 0, "minimum statement coverage, in percent, of every package under -prefix")
	own := flag.String("own", "", "a profile of each package's own tests, printed for comparison")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: coverage [-prefix P] [-min N] [-own own.out] profile")
		os.Exit(2)
	}
	suite, err := load(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "coverage:", err)
		os.Exit(2)
	}
	var ownCov map[string]*counts
	if *own != "" {
		if ownCov, err = load(*own); err != nil {
			fmt.Fprintln(os.Stderr, "coverage:", err)
			os.Exit(2)
		}
	}
	if !report(os.Stdout, suite, ownCov, *prefix, *minimum) {
		os.Exit(1)
	}
}

type counts struct{ covered, total int }

func (c *counts) percent() float64 {
	if c == nil || c.total == 0 {
		return 100
	}
	return 100 * float64(c.covered) / float64(c.total)
}

// load reads a profile and returns the statements and covered statements of each package.
func load(name string) (map[string]*counts, error) {
	f, err := os.Open(name) //nolint:gosec // the profile to read is the caller's
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return parse(f)
}

func parse(r io.Reader) (map[string]*counts, error) {
	type block struct {
		stmts   int
		covered bool
	}
	blocks := map[string]*block{} // file:range
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if n == 1 && strings.HasPrefix(l, "mode:") || l == "" {
			continue
		}
		// name.go:line.col,line.col numStmts count
		pos, rest, ok1 := strings.Cut(l, " ")
		stmtsS, countS, ok2 := strings.Cut(rest, " ")
		stmts, err1 := strconv.Atoi(stmtsS)
		count, err2 := strconv.ParseInt(countS, 10, 64)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || !strings.Contains(pos, ":") {
			return nil, fmt.Errorf("line %d: not a coverage block: %q", n, l)
		}
		b := blocks[pos]
		if b == nil {
			b = &block{stmts: stmts}
			blocks[pos] = b
		}
		b.covered = b.covered || count > 0
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	pkgs := map[string]*counts{}
	for pos, b := range blocks {
		file, _, _ := strings.Cut(pos, ":")
		pkg := path.Dir(file)
		c := pkgs[pkg]
		if c == nil {
			c = &counts{}
			pkgs[pkg] = c
		}
		c.total += b.stmts
		if b.covered {
			c.covered += b.stmts
		}
	}
	return pkgs, nil
}

func under(pkg, prefix string) bool {
	return prefix == "" || pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
}

func report(w io.Writer, suite, own map[string]*counts, prefix string, minimum float64) bool {
	var names []string
	for p := range suite {
		if under(p, prefix) {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	ok := len(names) > 0
	fmt.Fprintf(w, "%-52s %10s %10s %12s\n", "package", "statements", "suite", "own tests")
	for _, p := range names {
		c := suite[p]
		ownS := "-"
		if own != nil {
			if o := own[p]; o != nil {
				ownS = fmt.Sprintf("%.1f%%", o.percent())
			}
		}
		verdict := ""
		if c.percent() < minimum {
			verdict = fmt.Sprintf("  BELOW %.0f%%", minimum)
			ok = false
		}
		fmt.Fprintf(w, "%-52s %10d %9.1f%% %12s%s\n", p, c.total, c.percent(), ownS, verdict)
	}
	if len(names) == 0 {
		fmt.Fprintf(w, "no package under %q in the profile\n", prefix)
	}
	return ok
}
