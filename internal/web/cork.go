package web

import (
	"context"
	"net"
)

// Sending an answer in one TCP segment. net/http writes the headers of an answer and a
// body over its buffer's room (about 4 KiB) in two system calls, so each such answer
// leaves in two segments, waking the reader twice: under a crowd of readers those
// segments cost more than anything else the server does for an answer from the cache.
// Held back by TCP_CORK while both are written, they leave together (nginx does the
// same with tcp_nopush). The connection is found through the request's context, where
// ConnContext put it.

type connKey struct{}

// An answer is corked when its body is over corkMin, as a smaller one goes out with its
// headers in one write anyway, and at most corkMax, which fits one segment on loopback
// (a proxy on the same machine; the benchmark): a larger one leaves in many segments
// whatever is done, and corked it was slower (the values CSV, 299 KB compressed: 8.1k
// answers a second corked, 9.5k not, under the same load).
const (
	corkMin = 2048
	corkMax = 64 << 10
)

// ConnContext is for http.Server's ConnContext: it keeps the connection in the context
// of its requests, for cork. A server without it sends the same bytes uncorked.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*net.TCPConn); ok {
		return context.WithValue(ctx, connKey{}, tc)
	}
	return ctx
}
