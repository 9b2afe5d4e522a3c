// Command benchratio reads `go test -bench` output and prints, for every benchmark with an
// impl=raw and an impl=kick sub-benchmark, the ratios of the SDK to its raw baseline, and checks
// targets on them.
//
//	go test -run='^$' -bench=. -benchmem ./kick/... > bench.txt   # several runs appended
//	go run ./tools/benchratio -target 'GetUsers50 time<=1.10' -target 'GetUsers50 allocs<=1.5' bench.txt
//
// Each metric is the median over the runs in the input. The time ratio is the median of the
// kick/raw ratios reported by the pair's impl=pair sub-benchmark, which runs both
// implementations alternately, op by op, so that both see the same machine load, and reports the
// median ratio of its pairs (kick/internal/benchpair); without impl=pair, it is the ratio of the
// median ns/op. The pair's ratio of total times (mean) and the sequential ratio (median ns/op of
// impl=kick over impl=raw) are printed beside it. Allocation and byte ratios come from impl=kick and
// impl=raw. Any other metric of impl=kick (held-pages, refreshes/op) is printed with raw's.
//
// A target is "NAME METRIC<=VALUE" or "NAME METRIC>=VALUE", where METRIC is time (kick/raw),
// throughput (raw/kick time), allocs, bytes (kick/raw), extra-allocs (kick's allocations per op
// less raw's), or kick.UNIT for impl=kick's own metric (kick.held-pages). NAME may hold the
// wildcards of path.Match ("Ops/list/*": every list operation): the target then holds for every
// benchmark it matches, and at least one must match. benchratio exits with status 1 if a target
// is missed or its benchmark is missing.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type targets []string

func (t *targets) String() string     { return strings.Join(*t, ", ") }
func (t *targets) Set(s string) error { *t = append(*t, s); return nil }

func main() {
	var tg targets
	flag.Var(&tg, "target", `a target, such as "GetUsers50 time<=1.10" (repeatable)`)
	flag.Parse()
	var in io.Reader = os.Stdin
	if flag.NArg() > 0 {
		var readers []io.Reader
		for _, name := range flag.Args() {
			f, err := os.Open(name) //nolint:gosec // the files to read are the caller's
			if err != nil {
				fmt.Fprintln(os.Stderr, "benchratio:", err)
				os.Exit(2)
			}
			defer func() { _ = f.Close() }()
			readers = append(readers, f)
		}
		in = io.MultiReader(readers...)
	}
	res, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(2)
	}
	ok := report(os.Stdout, res, tg)
	if !ok {
		os.Exit(1)
	}
}

// results maps a benchmark name (without impl= and the GOMAXPROCS suffix) and an impl to the
// values of each unit, one per run.
type results map[string]map[string]map[string][]float64

var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) (results, error) {
	res := results{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name, impl, found := strings.Cut(m[1], "/impl=")
		if !found {
			continue
		}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", sc.Text(), err)
			}
			if res[name] == nil {
				res[name] = map[string]map[string][]float64{}
			}
			if res[name][impl] == nil {
				res[name][impl] = map[string][]float64{}
			}
			res[name][impl][fields[i+1]] = append(res[name][impl][fields[i+1]], v)
		}
	}
	return res, sc.Err()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ratios are the figures of one pair.
type ratios struct {
	runs                     int
	time, seq, allocs, bytes float64 // kick/raw; 0 when unknown
	mean                     float64 // the pair's ratio of total times (kick/raw-mean); 0 when unknown
	timeMin, timeMax         float64 // range of the per-run time ratios
	paired                   bool
	kick, raw                map[string]float64 // medians of every unit
}

func compute(impls map[string]map[string][]float64) (ratios, bool) {
	kick, raw := impls["kick"], impls["raw"]
	if kick == nil || raw == nil {
		return ratios{}, false
	}
	r := ratios{runs: len(kick["ns/op"]), kick: map[string]float64{}, raw: map[string]float64{}}
	for u, v := range kick {
		r.kick[u] = median(v)
	}
	for u, v := range raw {
		r.raw[u] = median(v)
	}
	div := func(unit string) float64 {
		switch {
		case r.kick[unit] == 0:
			return 1 // 0/0: both allocate nothing
		case r.raw[unit] == 0:
			return math.Inf(1)
		}
		return r.kick[unit] / r.raw[unit]
	}
	r.seq, r.allocs, r.bytes = div("ns/op"), div("allocs/op"), div("B/op")
	r.time = r.seq
	r.mean = median(impls["pair"]["kick/raw-mean"])
	if p := impls["pair"]["kick/raw"]; len(p) > 0 {
		r.time, r.paired = median(p), true
		r.timeMin, r.timeMax = p[0], p[0]
		for _, v := range p {
			r.timeMin, r.timeMax = min(r.timeMin, v), max(r.timeMax, v)
		}
	}
	return r, true
}

// value returns metric of r: time, throughput, allocs, bytes or kick.UNIT.
func (r ratios) value(metric string) (float64, bool) {
	switch metric {
	case "time":
		return r.time, r.time > 0
	case "throughput":
		return 1 / r.time, r.time > 0
	case "allocs":
		_, ok := r.kick["allocs/op"]
		return r.allocs, ok
	case "bytes":
		_, ok := r.kick["B/op"]
		return r.bytes, ok
	case "extra-allocs":
		_, ok := r.kick["allocs/op"]
		return r.kick["allocs/op"] - r.raw["allocs/op"], ok
	}
	if unit, ok := strings.CutPrefix(metric, "kick."); ok {
		v, found := r.kick[unit]
		return v, found
	}
	return 0, false
}

var targetRE = regexp.MustCompile(`^(\S+)\s+(\S+?)\s*(<=|>=)\s*([0-9.]+)$`)

func report(w io.Writer, res results, tg targets) bool {
	names := make([]string, 0, len(res))
	for n := range res {
		names = append(names, n)
	}
	sort.Strings(names)
	all := map[string]ratios{}
	width := len("kick vs raw")
	for _, n := range names {
		width = max(width, len(n))
	}
	fmt.Fprintf(w, "%-*s %4s  %-21s %6s %6s  %-24s %-5s  %s\n", width, "kick vs raw", "runs", "time kick/raw", "(mean)", "(seq)", "allocs kick/raw (+extra)", "B/op", "other metrics (kick | raw)")
	for _, n := range names {
		r, ok := compute(res[n])
		if !ok {
			continue
		}
		all[n] = r
		t := fmt.Sprintf("%.3f", r.time)
		if r.paired {
			t = fmt.Sprintf("%.3f [%.3f-%.3f]", r.time, r.timeMin, r.timeMax)
		}
		allocs := fmt.Sprintf("%.2f (%.0f/%.0f %+.0f)", r.allocs, r.kick["allocs/op"], r.raw["allocs/op"], r.kick["allocs/op"]-r.raw["allocs/op"])
		var other []string
		for u, v := range r.kick {
			switch u {
			case "ns/op", "B/op", "allocs/op", "MB/s":
				continue
			}
			other = append(other, fmt.Sprintf("%s %.3g | %.3g", u, v, r.raw[u]))
		}
		sort.Strings(other)
		fmt.Fprintf(w, "%-*s %4d  %-21s %6.3f %6.3f  %-24s %-5.2f  %s\n", width, n, r.runs, t, r.mean, r.seq, allocs, r.bytes, strings.Join(other, ", "))
	}
	ok := true
	if len(tg) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "targets:")
	}
	for _, t := range tg {
		if !check(w, all, t) {
			ok = false
		}
	}
	return ok
}

// check prints whether target t is met by every benchmark of all its name matches, and returns it.
func check(w io.Writer, all map[string]ratios, t string) bool {
	m := targetRE.FindStringSubmatch(t)
	if m == nil {
		fmt.Fprintf(w, "  %-40s BAD TARGET\n", t)
		return false
	}
	pattern, metric, op := m[1], m[2], m[3]
	limit, _ := strconv.ParseFloat(m[4], 64)
	if _, err := path.Match(pattern, ""); err != nil {
		fmt.Fprintf(w, "  %-40s BAD TARGET (%v)\n", t, err)
		return false
	}
	names := make([]string, 0, len(all))
	for n := range all {
		if ok, _ := path.Match(pattern, n); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var missed []string
	worst, worstName, found := 0.0, "", 0
	for _, n := range names {
		v, known := all[n].value(metric)
		if !known {
			continue
		}
		found++
		if worstName == "" || (op == "<=" && v > worst) || (op == ">=" && v < worst) {
			worst, worstName = v, n
		}
		if (op == "<=" && v > limit) || (op == ">=" && v < limit) {
			missed = append(missed, fmt.Sprintf("%s %.3f", n, v))
		}
	}
	switch {
	case found == 0 || found < len(names):
		fmt.Fprintf(w, "  %-40s MISSING (no such benchmark or metric)\n", t)
		return false
	case len(missed) > 0:
		fmt.Fprintf(w, "  %-40s MISSED  (%s)\n", t, strings.Join(missed, ", "))
		return false
	case len(names) == 1:
		fmt.Fprintf(w, "  %-40s met     (%.3f)\n", t, worst)
	default:
		fmt.Fprintf(w, "  %-40s met     (%d benchmarks, worst %.3f: %s)\n", t, len(names), worst, worstName)
	}
	return true
}
