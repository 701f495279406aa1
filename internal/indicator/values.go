package indicator

// chunkSize is how many values a chunk of a valueList holds.
const chunkSize = 1024

// valueList is the engine's values in chunks, so that an engine updated after an import
// copies only the chunks whose values changed (copy on write) and shares the rest with
// the engine it came from. Engines never change a chunk they share.
type valueList struct {
	chunks [][]Value
	n      int
}

func (l *valueList) len() int { return l.n }

func (l *valueList) at(i int) Value { return l.chunks[i/chunkSize][i%chunkSize] }

func (l *valueList) add(v Value) {
	if l.n%chunkSize == 0 {
		l.chunks = append(l.chunks, make([]Value, 0, chunkSize))
	}
	c := len(l.chunks) - 1
	l.chunks[c] = append(l.chunks[c], v)
	l.n++
}

// all calls fn with each value in order.
func (l *valueList) all(fn func(Value)) {
	for _, c := range l.chunks {
		for _, v := range c {
			fn(v)
		}
	}
}

// shared returns a list with the same values, sharing every chunk with l; set on it
// copies a chunk before its first change (owned says which chunks it owns).
func (l *valueList) shared() *sharedList {
	return &sharedList{valueList: valueList{chunks: append([][]Value(nil), l.chunks...), n: l.n}, owned: make([]bool, len(l.chunks))}
}

// sharedList is a valueList whose chunks may be another's until changed.
type sharedList struct {
	valueList
	owned []bool
}

func (l *sharedList) set(i int, v Value) {
	c := i / chunkSize
	if !l.owned[c] {
		l.chunks[c] = append(make([]Value, 0, chunkSize), l.chunks[c]...)
		l.owned[c] = true
	}
	l.chunks[c][i%chunkSize] = v
}
