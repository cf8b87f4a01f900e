//go:build unix

package cpu

import (
	"syscall"
	"time"
)

// Time is the CPU time (user and system) this process has used.
func Time() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
