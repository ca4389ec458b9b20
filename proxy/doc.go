// Package proxy is tcbmock proxy: it forwards the WeChat API requests it
// gets to one upstream (production, or a fake), hands each answer back
// unchanged, and checks it against tcbmock's openapi.yaml, so that drift
// shows in the traffic an app sends every day.
//
//	p, err := proxy.New("https://api.weixin.qq.com", proxy.WithLogger(logger))
//	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: p} // point the app at it
//
// # Checks
//
// Each answer is checked for its HTTP status, its Content-Type (the real
// server's application/json; encoding=utf-8), its body against the
// operation's schema, its errcode against the operation's x-errcodes, and
// an error's rid suffix. Each way it breaks the spec is a [Violation]: a
// line that names the field, the expected and the received value. The
// answer carries them in the [ViolationsHeader]; the journal lists them
// (GET /__tcbmock/requests?violations=1); the log has a line for each
// answer that has any; [Proxy.Summary] counts them by operation and kind.
//
// A request to a path the spec does not have is forwarded, and journaled
// as not in the spec. An answer over 1 MiB, or in an encoding the proxy
// cannot read, is passed through unvalidated. A request the upstream did
// not answer gets the proxy's own JSON -1, HTTP 502 (504 on a timeout),
// journaled as an upstream failure.
//
// # The journal
//
// The journal and the admin API under /__tcbmock/ are a [mock.Server]'s,
// one that acts on no world and journals what the upstream answered: the
// same entries, filters and redaction as tcbmock serve's. Credentials (every
// field the spec marks x-secret) are placeholders there, in the
// violations and in the log: the same value, the same placeholder.
//
// # Recording
//
// [WithRecording] writes what the answers reveal as [RecordFile], a
// scenario file that tcbmock serve --scenarios DIR replays: the apps, with
// the environments their listings answered, the third-party platforms and
// their authorizations, and a scenario for each errcode of a table an
// operation answered, with the upstream's errmsg. Credentials there are
// stand-ins made from the appids, never the real ones.
//
// # Safety
//
// Only the upstream is contacted: whatever a request's host says, it goes
// there, and the admin API never does. An https:// upstream's certificate
// is verified with the system's roots; http:// is for this machine only,
// checked on every connection. Each call is bounded in time (connect,
// headers, the whole answer) and what the proxy holds of a body in
// memory, each way, in size.
package proxy
