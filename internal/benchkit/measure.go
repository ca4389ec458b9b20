// Package benchkit holds what the benchmarks share: a process's memory as
// Linux reports it, and the generated worlds they load.
package benchkit

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Status returns the field of /proc/PID/status (such as VmRSS, the
// resident memory, or VmHWM, its peak) in bytes; 0 if it cannot be read.
func Status(pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte(field+":")); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(string(v), " kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// World returns a world.yaml of n generated apps, each with 3 envs (about
// 0.75 KB of YAML an app).
func World(n int) []byte {
	var b strings.Builder
	b.WriteString("apps:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - appid: wx%016x\n    secret: %032x\n    description: generated app %d\n    envs:\n", i+1, i+1, i)
		for j := range 3 {
			fmt.Fprintf(&b, "      - env: env%d-%06x\n        alias: env%d\n        create_time: \"2026-01-02 03:04:05\"\n        update_time: \"2026-01-02 03:04:05\"\n        status: NORMAL\n        package_id: basic\n        package_name: basic\n", j, i, j)
		}
	}
	return []byte(b.String())
}
