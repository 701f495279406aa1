//go:build race

package store

// RaceEnabled says the tests run with the race detector, which allocates memory of its
// own: a test that counts bytes allocated skips.
const RaceEnabled = true
