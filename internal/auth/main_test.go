package auth

import (
	"os"
	"runtime"
	"testing"
)

// allocatedAtStart is what the program had allocated when the tests began: what
// initialising the package costs every command, whether it signs anyone in or not.
var allocatedAtStart uint64

func TestMain(m *testing.M) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocatedAtStart = ms.TotalAlloc
	os.Exit(m.Run())
}

// TestNoPasswordHashedAtStart: loading the package hashes no password (argon2id takes
// 19 MiB and some 100 ms), so that a command which checks none (an import) does not
// pay for it when it starts.
func TestNoPasswordHashedAtStart(t *testing.T) {
	if allocatedAtStart >= argonMemory*1024 {
		t.Errorf("%.1f MiB allocated before the first test, want less than argon2id's %d MiB",
			float64(allocatedAtStart)/(1<<20), argonMemory/1024)
	}
}
