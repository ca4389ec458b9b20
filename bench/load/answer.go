package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// readResponse reads one response with a Content-Length body into *body,
// whose array it reuses, and returns its status.
func readResponse(r *bufio.Reader, body *[]byte) (int, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	status, err := parseStatus(line)
	if err != nil {
		return 0, err
	}
	length, err := readHeader(r)
	if err != nil {
		return 0, err
	}
	if cap(*body) < length {
		*body = make([]byte, length)
	}
	*body = (*body)[:length]
	if _, err := io.ReadFull(r, *body); err != nil {
		return 0, err
	}
	return status, nil
}

// parseStatus reads the status code of a status line, "HTTP/1.1 200 OK".
func parseStatus(line []byte) (int, error) {
	_, rest, _ := bytes.Cut(line, []byte(" "))
	if len(rest) < 3 {
		return 0, fmt.Errorf("a status line %q", line)
	}
	status, err := strconv.Atoi(string(rest[:3]))
	if err != nil {
		return 0, fmt.Errorf("a status line %q", line)
	}
	return status, nil
}

var contentLength = []byte("Content-Length")

// readHeader reads the header through its blank line and returns the
// Content-Length.
func readHeader(r *bufio.Reader) (int, error) {
	length := -1
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, contentLength) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil || length < 0 {
				return 0, fmt.Errorf("Content-Length %q", bytes.TrimSpace(v))
			}
		}
	}
	if length < 0 {
		return 0, errors.New("an answer without Content-Length")
	}
	return length, nil
}

var (
	errcodeKey = []byte(`"errcode":`)
	noErrcode  = []byte("0")
)

// errcodeOf returns the text of a JSON body's errcode without decoding the
// body: what follows the first "errcode" key up to the next ',' '}' or
// space; "0" when the body has no errcode, as WeChat's token answers.
func errcodeOf(body []byte) []byte {
	i := bytes.Index(body, errcodeKey)
	if i < 0 {
		return noErrcode
	}
	v := bytes.TrimLeft(body[i+len(errcodeKey):], " \t\r\n")
	if end := bytes.IndexAny(v, ",} \t\r\n"); end >= 0 {
		v = v[:end]
	}
	return v
}
