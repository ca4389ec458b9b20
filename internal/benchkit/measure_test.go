package benchkit

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestStatusReadsThisProcesssResidentMemory(t *testing.T) {
	rss, peak := Status(os.Getpid(), "VmRSS"), Status(os.Getpid(), "VmHWM")
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: not Linux")
	}
	if rss < 1<<20 || peak < rss {
		t.Errorf("VmRSS %d, VmHWM %d bytes; want at least a MiB, and the peak at least the resident", rss, peak)
	}
	// statm counts the same resident memory in pages: the two readings,
	// a moment apart, agree within a quarter.
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(statm))
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if inPages := pages * int64(os.Getpagesize()); rss < inPages*3/4 || rss > inPages*5/4 {
		t.Errorf("VmRSS %d bytes; statm says %d: want them within a quarter", rss, inPages)
	}
	if got := Status(os.Getpid(), "NoSuchField"); got != 0 {
		t.Errorf("an unknown field: %d; want 0", got)
	}
}

func TestWorldHasNAppsOfThreeEnvs(t *testing.T) {
	w := string(World(4))
	if apps, envs := strings.Count(w, "- appid: "), strings.Count(w, "- env: "); apps != 4 || envs != 12 {
		t.Errorf("%d apps, %d envs; want 4 and 12", apps, envs)
	}
}
