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
