package benchpair

import (
	"testing"
	"time"
)

// spin busy-waits d: a sleep would measure the scheduler.
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// TestPair checks the metrics of a pair whose kick op takes half the time of its raw op.
func TestPair(t *testing.T) {
	t.Parallel()
	r := testing.Benchmark(func(b *testing.B) {
		Pair(b, func() { spin(40 * time.Microsecond) }, func() { spin(20 * time.Microsecond) })
	})
	ratio, mean := r.Extra["kick/raw"], r.Extra["kick/raw-mean"]
	if ratio < 0.3 || ratio > 0.7 || mean <= 0 || mean > 1.5 {
		t.Errorf("kick/raw %v, kick/raw-mean %v; want about 0.5", ratio, mean)
	}
	if raw, kick := r.Extra["raw-ns/op"], r.Extra["kick-ns/op"]; raw < 40e3 || kick < 20e3 || kick >= raw {
		t.Errorf("raw-ns/op %v, kick-ns/op %v", raw, kick)
	}
	if median(nil) != 0 || median([]float64{3, 1, 2}) != 2 || median([]float64{4, 1, 3, 2}) != 2.5 {
		t.Error("median")
	}
}

// TestRun checks that Run runs the three sub-benchmarks, with setup in each.
func TestRun(t *testing.T) {
	t.Parallel()
	var raws, kicks, setups int
	testing.Benchmark(func(b *testing.B) {
		Run(b, func(testing.TB) { raws++ }, func(testing.TB) { kicks++ }, func(*testing.B) { setups++ })
	})
	if raws == 0 || kicks == 0 || setups < 3 {
		t.Errorf("raw ran %d times, kick %d, setup %d", raws, kicks, setups)
	}
}
