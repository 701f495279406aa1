package ingest

import "hash/maphash"

// keySet remembers the keys of a file's rows (year and student_id, say) with the row
// each was first seen on, to find in-file duplicates.
//
// It keeps 96 bits of hash of each key, not the key: 16 bytes a slot without pointers,
// so a million students take 32 MB that the garbage collector need not scan. Among a
// million keys, two collide with a probability of about 10⁻¹⁷ (the seeds are random,
// so no file can aim at a collision).
//
// It is an open-addressing table rather than a Go map because the lookups, not the
// parsing, are what a large file's duplicate check costs: each lands on a random cache
// line. Read checks the keys of a batch of rows together, first touching each key's
// slot (touch) so that the processor overlaps those cache misses, then inserting.
type keySet struct {
	slots []keySlot
	n     int
	seed  [2]maphash.Seed
}

// keySlot is a key's slot: its hash and the row it was first seen on, together in 16
// bytes so that a lookup costs one cache line, not one in each of three arrays.
type keySlot struct {
	a   uint64 // 64 bits of hash, which place the key; zero: empty
	b   uint32 // 32 more bits, looked at only when the 64 match
	row int32
}

// keyHash is the hash of a key: a says where it goes; b confirms a match.
type keyHash struct {
	a uint64
	b uint32
}

func newKeySet() *keySet {
	s := &keySet{seed: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	s.slots = make([]keySlot, 1<<14)
	return s
}

func (s *keySet) hash(key []byte) keyHash {
	h := keyHash{maphash.Bytes(s.seed[0], key), uint32(maphash.Bytes(s.seed[1], key))}
	if h.a == 0 {
		h.a = 1 // zero marks an empty slot
	}
	return h
}

// reserve makes room for n more keys, so that slots do not move between touch and
// insert.
func (s *keySet) reserve(n int) {
	if s.n == 0 && 4*n > 3*len(s.slots) {
		size := len(s.slots)
		for 4*n > 3*size {
			size *= 2
		}
		s.slots = make([]keySlot, size) // nothing to move
		return
	}
	for 4*(s.n+n) > 3*len(s.slots) {
		s.grow()
	}
}

// touch reads the slot of each hash. The reads do not depend on each other, so the
// processor overlaps their cache misses, which insert would otherwise wait for one at
// a time.
func (s *keySet) touch(hs []keyHash) uint64 {
	mask := uint64(len(s.slots) - 1)
	var sum uint64
	for _, h := range hs {
		sum += s.slots[h.a&mask].a
	}
	return sum
}

// insert records the hash of a key as seen on row, unless it was seen before: then it
// returns the row it was first seen on.
func (s *keySet) insert(h keyHash, row int) (first int, seen bool) {
	mask := uint64(len(s.slots) - 1)
	for i := h.a & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		switch sl.a {
		case h.a:
			if sl.b == h.b {
				return int(sl.row), true
			}
		case 0:
			*sl = keySlot{h.a, h.b, int32(row)}
			s.n++
			return 0, false
		}
	}
}

func (s *keySet) grow() {
	old := s.slots
	s.slots = make([]keySlot, 2*len(old))
	mask := uint64(len(s.slots) - 1)
	for _, sl := range old {
		if sl.a == 0 {
			continue
		}
		i := sl.a & mask
		for s.slots[i].a != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}
