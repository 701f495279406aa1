//go:build race

package store_test

// raceEnabled says the tests run with the race detector, which allocates memory of its
// own: a test that counts bytes allocated skips.
const raceEnabled = true
