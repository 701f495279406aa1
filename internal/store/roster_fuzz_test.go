package store

import (
	"slices"
	"strings"
	"testing"
)

// FuzzRosterIDs checks that what encode writes reads back the same, whatever bytes
// the ids and institutions hold, and that no stored value, however damaged, panics
// the reader.
func FuzzRosterIDs(f *testing.F) {
	f.Add("s1@K1\x00s2@K2\x00s3@K1", []byte("@2:K13:s01"))
	f.Add("12:x@@3:\x00学生@学校\x00@", []byte("z\x00\x01"))
	f.Add("", []byte("@99999999999999999999:x"))
	f.Fuzz(func(t *testing.T, list string, value []byte) {
		eachRosterID(value, func(id, inst []byte) error { return nil }) // must not panic

		var l RosterIDs
		var want, added []string
		for s := range strings.SplitSeq(list, "\x00") {
			id, inst, _ := strings.Cut(s, "@")
			if id == "" || inst == "" {
				continue
			}
			l.Add(id, inst)
			want, added = append(want, inst+"\x00"+id), append(added, id)
		}
		enc, err := l.encode()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := eachRosterID(enc, func(id, inst []byte) error {
			got = append(got, string(inst)+"\x00"+string(id))
			return nil
		}); err != nil {
			t.Fatalf("decode: %v", err)
		}
		// By institution in code order, each institution's ids in the order added.
		slices.SortStableFunc(want, func(a, b string) int {
			ia, _, _ := strings.Cut(a, "\x00")
			ib, _, _ := strings.Cut(b, "\x00")
			return strings.Compare(ia, ib)
		})
		if !slices.Equal(got, want) {
			t.Errorf("read back %q, want %q", got, want)
		}
		for i, id := range added {
			if l.ID(i) != id {
				t.Errorf("ID(%d) = %q, want %q", i, l.ID(i), id)
			}
		}
	})
}
