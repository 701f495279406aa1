//go:build !race

package store

const RaceEnabled = false
