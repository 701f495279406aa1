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
	if allocs > 8 { // the set, its first table (3 slices) and the reserved one (3)
		t.Errorf("newKeySet and reserve(%d) made %.0f allocations, want one table's", n, allocs)
	}
	size := len(s.hashes)
	for i := range n {
		if _, seen := s.insert(s.hash([]byte("S"+strconv.Itoa(i))), i+2); seen {
			t.Fatalf("key %d seen twice", i)
		}
	}
	if len(s.hashes) != size {
		t.Errorf("the table grew from %d to %d slots", size, len(s.hashes))
	}
	if first, seen := s.insert(s.hash([]byte("S7")), n+2); !seen || first != 9 {
		t.Errorf("a duplicate: first %d, seen %v", first, seen)
	}
}
