package main

import "os/user"

// currentUser names who runs the command, for the batch record.
func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
