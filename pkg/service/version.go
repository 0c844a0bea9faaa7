package service

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version and commit are set at link time:
//
//	-ldflags "-X github.com/gridnode/gridnode/pkg/service.version=v0.1.0
//	          -X github.com/gridnode/gridnode/pkg/service.commit=abc123"
var (
	version = "dev"
	commit  = ""
)

// Version returns the version the binary was built with ("dev" if unset).
func Version() string { return version }

// Commit returns the VCS revision the binary was built from: the one set at
// link time, else the one the Go toolchain stamped, else "unknown".
func Commit() string {
	if commit != "" {
		return commit
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return "unknown"
}

// VersionString is what the version subcommand prints.
func VersionString(name string) string {
	return fmt.Sprintf("%s %s (commit %s, %s %s/%s)", name, Version(), Commit(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
