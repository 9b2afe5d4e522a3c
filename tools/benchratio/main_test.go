package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkGetUsers50/impl=raw-2    100  200000 ns/op  60000 B/op  300 allocs/op
BenchmarkGetUsers50/impl=kick-2   100  210000 ns/op  45000 B/op  390 allocs/op
BenchmarkGetUsers50/impl=pair-2   100  400000 ns/op  1.02 kick/raw  100000 kick-ns/op
BenchmarkGetUsers50/impl=raw-2    100  100000 ns/op  60000 B/op  300 allocs/op
BenchmarkGetUsers50/impl=kick-2   100  120000 ns/op  45000 B/op  390 allocs/op
BenchmarkGetUsers50/impl=pair-2   100  400000 ns/op  1.06 kick/raw  100000 kick-ns/op
BenchmarkGetUsers50/impl=pair-2   100  400000 ns/op  1.04 kick/raw  100000 kick-ns/op
BenchmarkAll/impl=raw-2   1  9 ns/op  1.5 held-pages
BenchmarkAll/impl=kick-2  1  9 ns/op  1.25 held-pages
BenchmarkNoPair-2         1  9 ns/op
BenchmarkOps/list/A-2/impl=raw-2   10  100 ns/op  1000 B/op  100 allocs/op
BenchmarkOps/list/A-2/impl=kick-2  10   70 ns/op   400 B/op   90 allocs/op
BenchmarkOps/list/B/impl=raw-2     10  100 ns/op  1000 B/op  100 allocs/op
BenchmarkOps/list/B/impl=kick-2    10   90 ns/op   600 B/op  100 allocs/op
BenchmarkOps/call/C/impl=raw-2     10  100 ns/op  1000 B/op   60 allocs/op
BenchmarkOps/call/C/impl=kick-2    10  100 ns/op  1000 B/op   68 allocs/op
PASS
`

func TestRatios(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := compute(res["GetUsers50"])
	if !ok {
		t.Fatal("no pair")
	}
	if r.time != 1.04 || !r.paired || r.timeMin != 1.02 || r.timeMax != 1.06 {
		t.Errorf("time %v [%v-%v] paired %v, want the median of the pair's ratios", r.time, r.timeMin, r.timeMax, r.paired)
	}
	if want := 165000.0 / 150000; r.seq != want {
		t.Errorf("seq = %v, want %v (medians of ns/op)", r.seq, want)
	}
	if r.allocs != 1.3 || r.bytes != 0.75 {
		t.Errorf("allocs %v bytes %v", r.allocs, r.bytes)
	}
	if _, ok := res["NoPair"]; ok {
		t.Error("a benchmark without impl= was read")
	}

	var out bytes.Buffer
	if !report(&out, res, targets{"GetUsers50 time<=1.10", "GetUsers50 allocs<=1.5", "GetUsers50 throughput>=0.9", "All kick.held-pages<=2"}) {
		t.Errorf("targets reported missed:\n%s", &out)
	}
	for _, missed := range []string{"GetUsers50 time<=1.03", "GetUsers50 allocs<=1.2", "Nope time<=1", "All kick.nope<=1", "GetUsers50 time<1"} {
		out.Reset()
		if report(&out, res, targets{missed}) {
			t.Errorf("%q reported met:\n%s", missed, &out)
		}
	}
}

// TestPatterns checks targets over every benchmark a pattern matches, and extra-allocs.
func TestPatterns(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res["Ops/list/A-2"]; !ok {
		t.Fatalf("a name with a -N inside was cut: %v", res)
	}
	var out bytes.Buffer
	for _, met := range []string{"Ops/list/* time<=0.90", "Ops/list/* allocs<=1.0", "Ops/call/* extra-allocs<=8", "Ops/*/* time<=1.0"} {
		out.Reset()
		if !report(&out, res, targets{met}) {
			t.Errorf("%q reported missed:\n%s", met, &out)
		}
	}
	for _, missed := range []string{"Ops/list/* bytes<=0.5", "Ops/list/* time<=0.80", "Ops/call/* extra-allocs<=7", "Ops/none/* time<=9", "Ops/[ time<=1"} {
		out.Reset()
		if report(&out, res, targets{missed}) {
			t.Errorf("%q reported met:\n%s", missed, &out)
		}
	}
	out.Reset()
	report(&out, res, targets{"Ops/list/* bytes<=0.5"})
	if !strings.Contains(out.String(), "Ops/list/B 0.600") || strings.Contains(out.String(), "Ops/list/A-2 0.400") {
		t.Errorf("the miss does not name the benchmark that missed, only it:\n%s", &out)
	}
}
