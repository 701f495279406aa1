package sheet

// aheadSource reads a CSV file's rows on another goroutine, a block at a time, while the
// rows before them are validated and counted: parsing CSV is a third of reading a
// roster, and a machine has more than one core. The CSV reader makes new strings for
// each row's cells, so a block need only keep the cells' slices.
type aheadSource struct {
	src    *csvSource
	blocks chan *rowBlock // filled, in file order
	free   chan *rowBlock // handed back, to be filled again
	stop   chan struct{}
	done   chan struct{}
	cur    *rowBlock
	next   int // the next row of cur
}

// rowBlock is rows read ahead; err is what Next returned after the last of them (nil
// if the block is full).
type rowBlock struct {
	rows  []int
	cells []string // every row's cells, back to back
	ends  []int    // where each row's cells end in cells
	err   error
}

// aheadRows is how many rows a block holds, aheadBlocks how many blocks are read ahead.
const aheadRows, aheadBlocks = 512, 4

// ReadAhead returns a Source that reads src's rows ahead on another goroutine (see
// aheadSource) if src reads a CSV file; any other Source is returned as it is.
func ReadAhead(src Source) Source {
	csv, ok := src.(*csvSource)
	if !ok {
		return src
	}
	return readAhead(csv)
}

func readAhead(src *csvSource) *aheadSource {
	s := &aheadSource{src: src, blocks: make(chan *rowBlock, aheadBlocks), free: make(chan *rowBlock, aheadBlocks+2),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range aheadBlocks + 2 {
		s.free <- &rowBlock{}
	}
	go s.fill()
	return s
}

func (s *aheadSource) fill() {
	defer close(s.done)
	for {
		var b *rowBlock
		select {
		case b = <-s.free:
		case <-s.stop:
			return
		}
		b.rows, b.cells, b.ends, b.err = b.rows[:0], b.cells[:0], b.ends[:0], nil
		for len(b.rows) < aheadRows {
			row, cells, err := s.src.Next()
			if err != nil {
				b.err = err
				break
			}
			b.rows = append(b.rows, row)
			b.cells = append(b.cells, cells...)
			b.ends = append(b.ends, len(b.cells))
		}
		select {
		case s.blocks <- b:
		case <-s.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

func (s *aheadSource) Header() []string { return s.src.Header() }

// Size returns the size of the CSV file, as csvSource.Size.
func (s *aheadSource) Size() int64 { return s.src.Size() }

func (s *aheadSource) Next() (int, []string, error) {
	for s.cur == nil || s.next == len(s.cur.rows) {
		if s.cur != nil {
			if s.cur.err != nil {
				return 0, nil, s.cur.err
			}
			s.free <- s.cur
		}
		s.cur, s.next = <-s.blocks, 0
	}
	i := s.next
	s.next++
	begin := 0
	if i > 0 {
		begin = s.cur.ends[i-1]
	}
	return s.cur.rows[i], s.cur.cells[begin:s.cur.ends[i]:s.cur.ends[i]], nil
}

// Close stops the reading ahead and closes the file.
func (s *aheadSource) Close() error {
	close(s.stop)
	<-s.done
	return s.src.Close()
}
