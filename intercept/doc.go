// Package intercept lets a client that only knows https://api.weixin.qq.com
// reach a handler on the loopback, as HTTPS proxies such as mitmproxy and
// Hoverfly do, without ever connecting anywhere.
//
// # As a proxy
//
// A [Proxy] wraps a handler (tcbmock's fake) and serves, besides the
// handler's own requests:
//
//   - CONNECT api.weixin.qq.com:443 (and the regional hosts, [Hosts]): the
//     tunnel's TLS is terminated with a leaf of a local certificate
//     authority (package ca), and the requests inside are the handler's,
//     as if they had come in plain;
//   - plain-HTTP proxy requests, GET http://api.weixin.qq.com/… (absolute
//     URLs), for the same hosts, and for the proxy's own address.
//
// Any other host is refused with HTTP 403 and a one-line reason, and
// reported ([WithRefusals]); nothing is dialled. A client that honours
// HTTPS_PROXY and trusts the authority reaches the handler unchanged:
//
//	HTTPS_PROXY=http://127.0.0.1:8080 SSL_CERT_FILE=DIR/ca.pem go test ./...
//	curl --proxy http://127.0.0.1:8080 --cacert DIR/ca.pem https://api.weixin.qq.com/cgi-bin/token?…
//
// # HTTPS and HTTP on one port
//
// [TLSOrPlain] wraps a listener so that it serves TLS to the clients that
// start a TLS handshake and plain HTTP to the others.
package intercept
