// Package benchpair runs the benchmarks of the SDK beside their raw baselines, for the benchmarks
// of the kick packages (`make bench`, tools/benchratio). It is internal test support.
package benchpair

import (
	"slices"
	"testing"
	"time"
)

// Run runs raw and kick as three sub-benchmarks: impl=raw and impl=kick run one implementation
// each, with its allocations reported; impl=pair runs both alternately (Pair). Each op gets the
// sub-benchmark to fail. setup, if not nil, is called in each sub-benchmark before the loop (b.SetBytes, say).
func Run(b *testing.B, raw, kick func(testing.TB), setup func(*testing.B)) {
	for _, impl := range []struct {
		name string
		op   func(testing.TB)
	}{{"impl=raw", raw}, {"impl=kick", kick}} {
		b.Run(impl.name, func(b *testing.B) {
			if setup != nil {
				setup(b)
			}
			b.ReportAllocs()
			for b.Loop() {
				impl.op(b)
			}
		})
	}
	b.Run("impl=pair", func(b *testing.B) {
		if setup != nil {
			setup(b)
		}
		Pair(b, func() { raw(b) }, func() { kick(b) })
	})
}

// Pair runs raw and kick alternately in one loop, timing each op on its own, which of the two goes
// first alternating. On a shared machine whose load changes from second to second, the two ops of
// a pair see the same load. It reports:
//
//   - kick/raw, the median over the pairs of the time of kick's op over raw's: the ratio the
//     targets are held to. A median is not moved by the ops another process preempted (on two
//     shared cores, some take ten times as long); and it leaves out the ops the garbage collector
//     slowed too, which makes it, if anything, less kind to the implementation that allocates less;
//   - kick/raw-mean, the ratio of the total times, for comparison;
//   - raw-ns/op and kick-ns/op, the mean time of each op.
func Pair(b *testing.B, raw, kick func()) {
	var tRaw, tKick time.Duration
	var ratios []float64
	n := 0
	for b.Loop() {
		first, second := raw, kick
		if n%2 == 1 {
			first, second = kick, raw
		}
		t0 := time.Now()
		first()
		t1 := time.Now()
		second()
		t2 := time.Now()
		r, k := t1.Sub(t0), t2.Sub(t1)
		if n%2 == 1 {
			r, k = k, r
		}
		tRaw, tKick = tRaw+r, tKick+k
		if r > 0 {
			ratios = append(ratios, float64(k)/float64(r))
		}
		n++
	}
	b.ReportMetric(float64(tRaw.Nanoseconds())/float64(n), "raw-ns/op")
	b.ReportMetric(float64(tKick.Nanoseconds())/float64(n), "kick-ns/op")
	b.ReportMetric(float64(tKick)/float64(tRaw), "kick/raw-mean")
	b.ReportMetric(median(ratios), "kick/raw")
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
