package web

import (
	"net"
	"net/http"
	"syscall"
)

// cork holds back the request's connection's output (TCP_CORK) and returns the function
// that lets it go; nil when the connection is not known to be TCP (ConnContext).
func cork(r *http.Request) func() {
	tc, ok := r.Context().Value(connKey{}).(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	if !setCork(rc, 1) {
		return nil
	}
	return func() { setCork(rc, 0) }
}

// setCork sets TCP_CORK on the connection; false if it could not.
func setCork(rc syscall.RawConn, on int) bool {
	var err error
	if cerr := rc.Control(func(fd uintptr) {
		err = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, on)
	}); cerr != nil {
		return false
	}
	return err == nil
}
