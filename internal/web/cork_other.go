//go:build !linux

package web

import "net/http"

// cork is Linux's alone (TCP_CORK): elsewhere answers go out as net/http writes them.
func cork(*http.Request) func() { return nil }
