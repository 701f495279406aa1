package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkRosterIDsEncode compresses a roster the size of a year's students of the
// Yantai-size demo: 1,055,000 ids of 13 random characters at 1,600 institutions.
func BenchmarkRosterIDsEncode(b *testing.B) {
	l := benchRoster()
	var n int
	for b.Loop() {
		v, err := l.encode()
		if err != nil {
			b.Fatal(err)
		}
		n = len(v)
	}
	b.ReportMetric(float64(n)/1e6, "MB")
}

// BenchmarkRosterIDsDecode reads back the ids BenchmarkRosterIDsEncode compresses, as
// an import does to check another snapshot's.
func BenchmarkRosterIDsDecode(b *testing.B) {
	l := benchRoster()
	v, err := l.encode()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		n := 0
		if err := eachRosterID(v, func(_, _ []byte) error { n++; return nil }); err != nil || n != l.Len() {
			b.Fatalf("%d ids, %v", n, err)
		}
	}
}

// benchRoster is the same roster each time: 1,055,000 ids of 13 random characters, 660
// at each institution.
func benchRoster() *RosterIDs {
	rng := rand.New(rand.NewPCG(1, 2))
	l := new(RosterIDs)
	for i := range 1_055_000 {
		l.Add(fmt.Sprintf("S%012X", rng.Uint64()>>16), fmt.Sprintf("37060%05d", i/660))
	}
	return l
}
