package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// ParseTrustedProxies reads a comma-separated list of CIDR prefixes or single addresses
// ("10.0.0.0/8,::1"): the proxies whose X-Forwarded-For the server believes.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, plan.Errorf(plan.EINVALID, "受信代理 %q 无效：应为 CIDR（如 10.0.0.0/8）或地址", "invalid trusted proxy %q: want a CIDR (such as 10.0.0.0/8) or an address", f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// clientAddress puts the client's address in the request's context, for the sign-in
// throttle and the audit log: the direct peer's, or, when the peer is a trusted proxy,
// the rightmost address of X-Forwarded-For that is not a trusted proxy. With no trusted
// proxies (the default) the header is ignored: anyone can write it.
func (s *Server) clientAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientOf(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.proxies)
		next.ServeHTTP(w, r.WithContext(withState(r.Context(), &reqState{client: addr})))
	})
}

// remoteOf is the client's address (without the port), for the audit log.
func remoteOf(r *http.Request) string {
	if st := stateOf(r.Context()); st != nil && st.client != "" {
		return st.client
	}
	return peerOf(r.RemoteAddr)
}

// peerOf is the address of a connection's peer without the port.
func peerOf(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

// clientOf is the client's address behind the trusted proxies: see clientAddress.
func clientOf(remoteAddr string, forwarded []string, proxies []netip.Prefix) string {
	peer := peerOf(remoteAddr)
	a, err := netip.ParseAddr(peer)
	if len(proxies) == 0 || err != nil || !trusted(a.Unmap(), proxies) {
		return peer
	}
	client := a.Unmap().String()
	var hops []string
	for _, v := range forwarded {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// Not an address: whatever is left of it may be made up; the last hop a
			// trusted proxy vouched for is the client.
			return client
		}
		client = h.Unmap().String()
		if !trusted(h.Unmap(), proxies) {
			return client
		}
	}
	return client
}

func trusted(a netip.Addr, proxies []netip.Prefix) bool {
	for _, p := range proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
