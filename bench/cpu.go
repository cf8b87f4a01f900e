package bench

import (
	"time"

	"github.com/hirebot/hirebot/bench/cpu"
)

// CPUTime is the CPU time (user and system) this process has used.
func CPUTime() time.Duration { return cpu.Time() }
