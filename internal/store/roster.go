package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"

	"github.com/klauspost/compress/flate"
)

// A roster (students or teachers) is kept as three things, none of them a row per
// person: the accepted file itself, in its batch (everything about every person, so
// nothing is lost); the counts by institution and dims (roster_cells), which the cube
// reads; and, per snapshot (kind, year, district), one roster_ids value listing the
// ids with the institution of each, which is all the import needs to find the same
// person in two institutions in one year. A row per person cost two b-tree inserts and
// most of a large import's time; one value per snapshot costs a few page writes.
//
// The value's form is plain text that SQL can build too (migration 005 does):
// entries back to back, each its byte length in decimal, ':', then the bytes; an
// institution's entry starts with '@' and the ids that follow it, up to the next
// institution's entry, are at that institution (which may have several entries:
// migration 005 writes one before every id):
//
//	@10:3706020001 13:SD308374F6BF5 13:S0F4626A11C18 @10:3706020002 ...
//
// (without the spaces). Lengths make any byte of an id safe. Written by eduplan, the
// text is compressed after a leading 'z', by DEFLATE's Huffman coding alone: ids are
// mostly random characters, in which LZ77 finds little to match. For a year of the
// Yantai-size demo (1,055,000 students, 17 MB of text) that gives 8.9 MB in 0.08 s,
// where DEFLATE's fastest level gives 8.6 MB in 0.32 s. klauspost/compress codes it
// (its DEFLATE is the standard one, which compress/flate reads): BenchmarkRosterIDsEncode
// takes 57-67 ms where compress/flate took 98-119, and reading it back 107-121 ms
// rather than 146-158.

// RosterIDs is the ids of one roster snapshot with the institution of each, in the
// order added.
type RosterIDs struct {
	insts []string         // institution codes, in the order first added
	index map[string]int32 // institution code → index in insts
	ids   []byte           // the ids, back to back
	ends  []uint32         // where each id ends in ids
	inst  []int32          // each id's institution, an index in insts
	last  int32            // index of the institution of the last Add
}

// Add adds an id at an institution.
func (l *RosterIDs) Add(id, institution string) {
	i := l.last
	if l.index == nil {
		l.index, i = map[string]int32{}, -1
	}
	if i < 0 || l.insts[i] != institution {
		var ok bool
		if i, ok = l.index[institution]; !ok {
			i = int32(len(l.insts))
			l.insts = append(l.insts, institution)
			l.index[institution] = i
		}
		l.last = i
	}
	if len(l.ends) == cap(l.ends) {
		// Double rather than append's quarter at a time: a roster of 150,000 ids
		// otherwise takes some 40 new arrays, and every page of each is a fault.
		n := max(len(l.ends), 1024)
		l.ends, l.inst = slices.Grow(l.ends, n), slices.Grow(l.inst, n)
	}
	if len(l.ids)+len(id) > cap(l.ids) {
		l.ids = slices.Grow(l.ids, max(len(l.ids), len(id), 16<<10))
	}
	l.ids = append(l.ids, id...)
	l.ends = append(l.ends, uint32(len(l.ids)))
	l.inst = append(l.inst, i)
}

// ID returns the i-th id added.
func (l *RosterIDs) ID(i int) string {
	begin := uint32(0)
	if i > 0 {
		begin = l.ends[i-1]
	}
	return string(l.ids[begin:l.ends[i]])
}

// Len returns how many ids were added.
func (l *RosterIDs) Len() int { return len(l.ends) }

// encode returns the stored form: the text grouped by institution in code order, each
// institution's ids in the order added, compressed.
func (l *RosterIDs) encode() ([]byte, error) {
	// A counting sort by institution keeps each institution's ids in order.
	order := make([]int32, len(l.insts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(l.insts[a], l.insts[b]) })
	start := make([]int, len(l.insts)+1)
	for _, i := range l.inst {
		start[i+1]++
	}
	at := make([]int, len(l.insts)) // where each institution's ids start, in code order
	n := 0
	for _, i := range order {
		at[i] = n
		n += start[i+1]
	}
	perm := make([]int32, len(l.inst))
	for j, i := range l.inst {
		perm[at[i]] = int32(j)
		at[i]++
	}
	text := make([]byte, 0, len(l.ids)+4*len(l.ends)+16*len(l.insts))
	prev := int32(-1)
	for _, j := range perm {
		if i := l.inst[j]; i != prev {
			text = append(text, '@')
			text = appendEntry(text, l.insts[i])
			prev = i
		}
		begin := uint32(0)
		if j > 0 {
			begin = l.ends[j-1]
		}
		text = appendEntry(text, l.ids[begin:l.ends[j]])
	}
	var out bytes.Buffer
	// Huffman coding leaves ids some 52% of their text (a year of the demo: 8.9 MB
	// of 17): room for 5/8 of it, so the buffer is not grown, and copied, at the end.
	out.Grow(len(text)*5/8 + 64)
	out.WriteByte('z')
	zw, err := flate.NewWriter(&out, flate.HuffmanOnly)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(text); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func appendEntry[T string | []byte](b []byte, s T) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

var errRosterIDs = errors.New("roster ids: malformed value")

// eachRosterID calls fn for every id of a stored value with its institution. The
// slices are valid only during the call.
func eachRosterID(value []byte, fn func(id, institution []byte) error) error {
	if len(value) > 0 && value[0] == 'z' {
		var text bytes.Buffer
		text.Grow(2 * len(value))
		if _, err := text.ReadFrom(flate.NewReader(bytes.NewReader(value[1:]))); err != nil {
			return fmt.Errorf("roster ids: %w", err)
		}
		value = text.Bytes()
	}
	var inst []byte
	for len(value) > 0 {
		isInst := value[0] == '@'
		if isInst {
			value = value[1:]
		}
		n, k := 0, 0
		for k < len(value) && value[k] >= '0' && value[k] <= '9' && n <= len(value) {
			n = 10*n + int(value[k]-'0')
			k++
		}
		if k == 0 || k >= len(value) || value[k] != ':' || n > len(value)-k-1 {
			return errRosterIDs
		}
		entry := value[k+1 : k+1+n]
		value = value[k+1+n:]
		switch {
		case isInst:
			inst = entry
		case inst == nil:
			return errRosterIDs
		default:
			if err := fn(entry, inst); err != nil {
				return err
			}
		}
	}
	return nil
}

// PutRosterIDs stores the ids of a roster snapshot (a kind in a year and district),
// replacing any stored for it.
func (tx *Tx) PutRosterIDs(ctx context.Context, kind string, year int, district string, batch int64, ids *RosterIDs) error {
	value, err := ids.encode()
	if err != nil {
		return err
	}
	return tx.putRosterValue(ctx, kind, year, district, batch, ids, value)
}

// Roster is a roster snapshot's ids, for PutRosters.
type Roster struct {
	Year     int
	District string
	IDs      *RosterIDs
}

// PutRosters stores the ids of roster snapshots of a kind, as PutRosterIDs does each,
// in order; they are compressed on the other cores meanwhile, not one by one between
// the writes (a year's rosters of a city are some 17 MB of text). first, if not nil,
// runs in the transaction while they are compressed, before they are stored: other
// writes of the import that need not wait for them.
func (tx *Tx) PutRosters(ctx context.Context, kind string, batch int64, rosters []Roster, first func() error) error {
	type encoded struct {
		value []byte
		err   error
	}
	done := make([]chan encoded, len(rosters))
	for i := range done {
		done[i] = make(chan encoded, 1)
	}
	next := make(chan int, len(rosters))
	for i := range rosters {
		next <- i
	}
	close(next)
	stop := make(chan struct{})
	defer close(stop) // on an error, the encoders stop taking rosters
	for range min(runtime.GOMAXPROCS(0), len(rosters)) {
		go func() {
			for i := range next {
				select {
				case <-stop:
					return
				default:
				}
				v, err := rosters[i].IDs.encode()
				done[i] <- encoded{v, err}
			}
		}()
	}
	if first != nil {
		if err := first(); err != nil {
			return err
		}
	}
	for i, r := range rosters {
		e := <-done[i]
		if e.err != nil {
			return e.err
		}
		if err := tx.putRosterValue(ctx, kind, r.Year, r.District, batch, r.IDs, e.value); err != nil {
			return err
		}
	}
	return nil
}

// putRosterValue stores a roster snapshot's ids, encoded.
func (tx *Tx) putRosterValue(ctx context.Context, kind string, year int, district string, batch int64, ids *RosterIDs, value []byte) error {
	_, err := tx.exec(ctx, `INSERT INTO roster_ids (tenant, kind, year, district, rows, ids, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, kind, year, district) DO UPDATE SET rows = excluded.rows, ids = excluded.ids, batch_id = excluded.batch_id`,
		tx.Tenant, kind, year, district, ids.Len(), value, batch)
	if err != nil {
		return fmt.Errorf("roster ids %s %d %s: %w", kind, year, district, err)
	}
	if tx.Written != nil {
		tx.Written.Add(int64(ids.Len()))
	}
	return nil
}

// Clash is an id of a new roster that a stored snapshot holds too.
type Clash struct {
	// List and Index say which id: the Index-th added to the List-th of the lists.
	List, Index int
	// District and Institution hold it.
	District, Institution string
}

// RosterClashes finds the ids of lists (new rosters of a kind in a year, not yet
// stored) that a stored snapshot of the kind in the year holds too, as the transaction
// sees them: the same student or teacher in two institutions in one year. The
// snapshots the new rosters replace must have been taken (TakeScope) already. Clashes
// come in the order of lists and of ids in each.
func (tx *Tx) RosterClashes(ctx context.Context, kind string, year int, lists []*RosterIDs) ([]Clash, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT district, ids FROM roster_ids WHERE tenant = ? AND kind = ? AND year = ? ORDER BY district`,
		tx.Tenant, kind, year)
	if err != nil {
		return nil, fmt.Errorf("roster ids %s %d: %w", kind, year, err)
	}
	defer rows.Close()
	var seen map[string]int64 // id → list<<32 | index, built only if anything is stored
	var out []Clash
	for rows.Next() {
		var district string
		var value []byte
		if err := rows.Scan(&district, &value); err != nil {
			return nil, fmt.Errorf("roster ids %s %d: %w", kind, year, err)
		}
		if seen == nil {
			seen = map[string]int64{}
			for li, l := range lists {
				all := string(l.ids) // one copy; the keys are its substrings
				begin := uint32(0)
				for j, end := range l.ends {
					seen[all[begin:end]] = int64(li)<<32 | int64(j)
					begin = end
				}
			}
		}
		err := eachRosterID(value, func(id, inst []byte) error {
			if at, ok := seen[string(id)]; ok {
				out = append(out, Clash{List: int(at >> 32), Index: int(at & (1<<32 - 1)), District: district, Institution: string(inst)})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("roster ids %s %d %s: %w", kind, year, district, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Clash) int {
		if a.List != b.List {
			return a.List - b.List
		}
		return a.Index - b.Index
	})
	return out, nil
}

// RosterIDsAt calls fn for every id of the stored roster snapshot of a kind (students
// or teachers) in a year and district, with its institution, as the transaction sees
// it; it reports whether there is such a snapshot. The slices are valid only during
// the call.
func (tx *Tx) RosterIDsAt(ctx context.Context, kind string, year int, district string, fn func(id, institution []byte) error) (bool, error) {
	var value []byte
	err := tx.tx.QueryRowContext(ctx, `SELECT ids FROM roster_ids WHERE tenant = ? AND kind = ? AND year = ? AND district = ?`,
		tx.Tenant, kind, year, district).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("roster ids %s %d %s: %w", kind, year, district, err)
	}
	if err := eachRosterID(value, fn); err != nil {
		return true, fmt.Errorf("roster ids %s %d %s: %w", kind, year, district, err)
	}
	return true, nil
}

// HasRosterCells reports whether the transaction sees counts of a kind (students or
// teachers) in a year and district: with no roster_ids, they came as school tables.
func (tx *Tx) HasRosterCells(ctx context.Context, kind string, year int, district string) (bool, error) {
	var one int
	err := tx.tx.QueryRowContext(ctx, `SELECT 1 FROM roster_cells WHERE tenant = ? AND kind = ? AND year = ? AND district = ? LIMIT 1`,
		tx.Tenant, kind, year, district).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("roster cells %s %d %s: %w", kind, year, district, err)
	}
	return true, nil
}

// EachRosterID calls fn for every stored id of a kind (students or teachers) in a year,
// with its district and institution: by district, then institution.
func (db *DB) EachRosterID(ctx context.Context, tenant, kind string, year int, fn func(id, district, institution string) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT district, ids FROM roster_ids WHERE tenant = ? AND kind = ? AND year = ? ORDER BY district`,
		tenant, kind, year)
	if err != nil {
		return fmt.Errorf("roster ids %s %d: %w", kind, year, err)
	}
	defer rows.Close()
	for rows.Next() {
		var district string
		var value []byte
		if err := rows.Scan(&district, &value); err != nil {
			return fmt.Errorf("roster ids %s %d: %w", kind, year, err)
		}
		err := eachRosterID(value, func(id, inst []byte) error { return fn(string(id), district, string(inst)) })
		if err != nil {
			return err
		}
	}
	return rows.Err()
}
