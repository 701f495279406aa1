package ingest

import (
	"strconv"
	"testing"
)

// TestKeySetReserve: room reserved in an empty table is made at once, in one table
// rather than every size on the way to it; the keys then fit without growing it, and
// duplicates are still found.
func TestKeySetReserve(t *testing.T) {
	const n = 200_000
	var s *keySet
	allocs := testing.AllocsPerRun(1, func() {
		s = newKeySet()
		s.reserve(n)
	})
	if allocs > 4 { // the set, its first table and the reserved one
		t.Errorf("newKeySet and reserve(%d) made %.0f allocations, want one table's", n, allocs)
	}
	size := len(s.slots)
	for i := range n {
		if _, seen := s.insert(s.hash([]byte("S"+strconv.Itoa(i))), i+2); seen {
			t.Fatalf("key %d seen twice", i)
		}
	}
	if len(s.slots) != size {
		t.Errorf("the table grew from %d to %d slots", size, len(s.slots))
	}
	if first, seen := s.insert(s.hash([]byte("S7")), n+2); !seen || first != 9 {
		t.Errorf("a duplicate: first %d, seen %v", first, seen)
	}
}

// BenchmarkKeySet checks a million students' keys for duplicates as Read does: a
// batch's hashes touched first, then inserted, in a table reserved for them at once.
func BenchmarkKeySet(b *testing.B) {
	const n, batch = 1 << 20, 512
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = []byte("2020|S" + strconv.Itoa(37060000000+i*7919))
	}
	hs := make([]keyHash, 0, batch)
	for b.Loop() {
		s := newKeySet()
		s.reserve(n)
		for i := 0; i < n; i += batch {
			hs = hs[:0]
			for _, k := range keys[i:min(n, i+batch)] {
				hs = append(hs, s.hash(k))
			}
			s.touch(hs)
			for j, h := range hs {
				if _, seen := s.insert(h, i+j); seen {
					b.Fatal("a key seen twice")
				}
			}
		}
	}
}
