// Command bare is the benchmark's yardstick: a plain net/http server that
// answers every request with the same bytes, as tcbmock would answer it.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen on `HOST:PORT`")
	bodyFile := flag.String("body", "", "answer with the contents of `FILE`")
	ctype := flag.String("content-type", "application/json; encoding=utf-8", "the answers' Content-Type")
	flag.Parse()
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
	fmt.Println("listening on", ln.Addr())
	length := strconv.Itoa(len(body))
	_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", *ctype)
		h.Set("Content-Length", length)
		_, _ = w.Write(body)
	}))
}
