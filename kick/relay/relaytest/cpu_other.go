//go:build !unix

package relaytest

import "time"

// cpuTime is not measured here: CPUPerDelivery is 0.
func cpuTime() time.Duration { return 0 }
