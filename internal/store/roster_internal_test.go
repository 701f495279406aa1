package store

import (
	"fmt"
	"runtime"
	"testing"
)

// TestRosterEncodeAllocs: encoding a roster allocates its text and the compressed
// value once each: the value's buffer is sized for what Huffman coding gives ids
// (some 52% of the text), so it is not grown, and copied, at the end.
func TestRosterEncodeAllocs(t *testing.T) {
	if RaceEnabled {
		t.Skip("the race detector allocates memory of its own")
	}
	var l RosterIDs
	for i := range 150_000 {
		// As the demo's ids: S and 12 hex digits of a hash.
		l.Add(fmt.Sprintf("S%012X", uint64(i)*0x9E3779B97F4A7C15>>16), fmt.Sprint(3706020001+i/500))
	}
	text := len(l.ids) + 4*len(l.ends) + 16*len(l.insts)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v, err := l.encode()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	got := after.TotalAlloc - before.TotalAlloc
	if want := uint64(text+text*5/8) + 2<<20; got > want { // 2 MiB: the compressor's state
		t.Errorf("encoding %d bytes of text (%d compressed) allocated %.1f MB, want at most %.1f MB",
			text, len(v), float64(got)/1e6, float64(want)/1e6)
	}
}
