package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionText describes this binary from the build information the Go
// toolchain stamps into it: the module version, and the revision and time
// of the commit it was built from (with "modified" when the working tree
// had uncommitted changes). No linker flags are needed.
func versionText(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "hirebot (no build information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var vcs []string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			vcs = append(vcs, "revision "+s.Value)
		case "vcs.time":
			vcs = append(vcs, "committed "+s.Value)
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified {
		vcs = append(vcs, "modified")
	}
	out := fmt.Sprintf("hirebot %s %s", v, info.GoVersion)
	if len(vcs) > 0 {
		out += " (" + strings.Join(vcs, ", ") + ")"
	}
	return out
}
