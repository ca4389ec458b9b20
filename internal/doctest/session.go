package doctest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Step is one command of a console block and what it must print.
type Step struct {
	Line       int      // line of the command in the document
	Command    string   // without "$ " and without a trailing " &" (and its comment)
	Background bool     // the command ended in " &"
	Want       []string // expected output lines; "…" matches any text
	Exit       int      // expected exit status, from "[exit N]"
}

// background ends a command run in the background: " &", perhaps with a
// comment after it.
var background = regexp.MustCompile(`\s&(\s+#.*)?$`)

var exitLine = regexp.MustCompile(`^\[exit (\d+)\]$`)

// Steps reads a console block's commands and their expected output.
func Steps(b Block) []Step {
	var steps []Step
	lines := strings.Split(strings.TrimSuffix(b.Text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		cmd, ok := strings.CutPrefix(lines[i], "$ ")
		if !ok {
			if len(steps) > 0 {
				s := &steps[len(steps)-1]
				s.Want = append(s.Want, lines[i])
			}
			continue
		}
		s := Step{Line: b.Line + 1 + i}
		for strings.HasSuffix(cmd, "\\") && i+1 < len(lines) {
			i++
			cmd += "\n" + lines[i]
		}
		if m := background.FindStringIndex(cmd); m != nil {
			cmd, s.Background = cmd[:m[0]], true
		}
		s.Command = cmd
		steps = append(steps, s)
	}
	for i := range steps {
		s := &steps[i]
		s.Want = trimBlank(s.Want)
		if n := len(s.Want); n > 0 {
			if m := exitLine.FindStringSubmatch(s.Want[n-1]); m != nil {
				s.Exit, _ = strconv.Atoi(m[1])
				s.Want = trimBlank(s.Want[:n-1]) // a blank line before "[exit N]" is no output: Match ignores the last newlines
			}
		}
		if len(s.Want) == 0 {
			s.Want = nil
		}
	}
	return steps
}

// trimBlank drops the blank lines at the end of want.
func trimBlank(want []string) []string {
	for len(want) > 0 && strings.TrimSpace(want[len(want)-1]) == "" {
		want = want[:len(want)-1]
	}
	return want
}

// Shell is one bash process that runs a document's commands in order, so
// that a variable or a background server one block starts serves the next.
type Shell struct {
	Dir     string        // where the commands run
	Timeout time.Duration // the longest a command (or a background command's first lines) may take

	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	out   strings.Builder
	grew  chan struct{}
	n     int
}

// Start starts bash in dir with env added to the environment.
func Start(dir string, env []string) (*Shell, error) {
	sh := &Shell{Dir: dir, Timeout: 2 * time.Minute, grew: make(chan struct{}, 1)}
	sh.cmd = exec.Command("bash", "--noprofile", "--norc")
	sh.cmd.Dir = dir
	sh.cmd.Env = append(os.Environ(), env...)
	sh.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	sh.cmd.Stdout, sh.cmd.Stderr = w, w
	if sh.stdin, err = sh.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := sh.cmd.Start(); err != nil {
		return nil, err
	}
	w.Close()
	go sh.read(r)
	return sh, nil
}

func (sh *Shell) read(r io.ReadCloser) {
	defer r.Close()
	br := bufio.NewReader(r)
	buf := make([]byte, 32*1024)
	for {
		n, err := br.Read(buf)
		sh.mu.Lock()
		sh.out.Write(buf[:n])
		sh.mu.Unlock()
		select {
		case sh.grew <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// Close ends the shell and every process it started.
func (sh *Shell) Close() {
	sh.stdin.Close()
	syscall.Kill(-sh.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { sh.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-sh.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// Run runs one step and returns what it printed and how it exited; for a
// background step, what its log showed once it matched the step's lines.
func (sh *Shell) Run(s Step) (string, int, error) {
	sh.n++
	marker := fmt.Sprintf("__doctest_%d_done", sh.n)
	if s.Background {
		log := filepath.Join(sh.Dir, fmt.Sprintf(".doctest-%d.log", sh.n))
		fmt.Fprintf(sh.stdin, "%s >%q 2>&1 &\n", s.Command, log)
		return sh.await(func() (string, bool) {
			b, _ := os.ReadFile(log)
			return string(b), Match(append(s.Want, "…"), string(b))
		})
	}
	sh.mu.Lock()
	start := sh.out.Len()
	sh.mu.Unlock()
	fmt.Fprintf(sh.stdin, "{\n%s\n} 2>&1 </dev/null; __doctest_status=$?; echo \"\"; echo %s $__doctest_status\n", s.Command, marker)
	end := regexp.MustCompile(`\n` + marker + ` (\d+)\n`)
	var code int
	out, _, err := sh.await(func() (string, bool) {
		sh.mu.Lock()
		got := sh.out.String()[start:]
		sh.mu.Unlock()
		m := end.FindStringSubmatchIndex(got)
		if m == nil {
			return got, false
		}
		code, _ = strconv.Atoi(got[m[2]:m[3]])
		return got[:m[0]], true
	})
	return out, code, err
}

// await polls ready until it says so, or the shell's timeout passes.
func (sh *Shell) await(ready func() (string, bool)) (string, int, error) {
	deadline := time.After(sh.Timeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		got, ok := ready()
		if ok {
			return got, 0, nil
		}
		select {
		case <-deadline:
			return got, -1, fmt.Errorf("not done after %s", sh.Timeout)
		case <-sh.grew:
		case <-tick.C:
		}
	}
}
