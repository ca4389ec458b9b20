package intercept

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Hosts returns the hosts a [Proxy] serves: WeChat's API host and its
// regional hosts.
func Hosts() []string {
	return []string{"api.weixin.qq.com", "api2.weixin.qq.com", "sh.api.weixin.qq.com", "sz.api.weixin.qq.com", "hk.api.weixin.qq.com"}
}

// served reports whether host is one of Hosts, in any case, with or
// without a final dot; it returns the host as Hosts spells it.
func served(host string) (string, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host, slices.Contains(Hosts(), host)
}

// isSelf reports whether host and port name the address r came in on: an
// absolute URL for the proxy itself, which a client that sends every
// request through its proxy sends for the admin API.
func isSelf(r *http.Request, host, port string) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if !ok || port != strconv.Itoa(local.Port) {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return local.IP.IsLoopback()
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.Equal(local.IP) || ip.IsLoopback() && local.IP.IsLoopback())
}

// hostList is Hosts as a sentence: "a, b and c".
func hostList() string {
	h := Hosts()
	return strings.Join(h[:len(h)-1], ", ") + " and " + h[len(h)-1]
}
