package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small pull tokenizer for the XML parts of a workbook. It knows just
// enough XML for what spreadsheet programs write: tags with attributes, text with the
// predefined and numeric character references, CDATA, comments and processing
// instructions; a document type declaration is refused. It walks a sheet three times
// as fast as encoding/xml's RawToken, which allocates a token, names and attributes
// for every tag (BenchmarkXMLTokens).
type xmlScanner struct {
	r   io.Reader
	buf []byte
	pos int   // the next unread byte of buf
	end int   // the end of the data in buf
	err error // the error that ended reading r; io.EOF at its end
}

const (
	xmlBufSize = 64 << 10
	// maxXMLToken bounds a tag or text: a cell holds at most 32,767 characters, and a
	// corrupt or hostile file must not make the reader hold the whole part.
	maxXMLToken = 4 << 20
)

var errXMLTooLong = errors.New("XML tag or text longer than 4 MiB")

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, xmlBufSize)}
}

// xmlTag is a tag; its slices are valid until the next call of the scanner.
type xmlTag struct {
	name  []byte // the local name, without a namespace prefix
	attrs []byte // the attributes as written
	end   bool   // </name>
	empty bool   // <name/>
}

func (t *xmlTag) is(name string) bool { return string(t.name) == name }

// fill reads more of r into buf, keeping buf[pos:end] (moved to the start of buf:
// offsets from pos stay valid). It reports whether it read anything.
func (s *xmlScanner) fill() bool {
	if s.err != nil {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxXMLToken {
			s.err = errXMLTooLong
			return false
		}
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	n, err := io.ReadAtLeast(s.r, s.buf[s.end:], 1)
	s.end += n
	if err != nil {
		s.err = err
	}
	return n > 0
}

// readErr is the error for input that ends early.
func (s *xmlScanner) readErr() error {
	if s.err == io.EOF || s.err == nil {
		return io.ErrUnexpectedEOF
	}
	return s.err
}

// find returns the offset from pos of the first c at or after pos+from, or -1 if the
// input ends first.
func (s *xmlScanner) find(from int, c byte) int {
	for {
		if i := bytes.IndexByte(s.buf[s.pos+from:s.end], c); i >= 0 {
			return from + i
		}
		from = s.end - s.pos
		if !s.fill() {
			return -1
		}
	}
}

// findString returns the offset from pos of the first str at or after pos+from, or -1.
func (s *xmlScanner) findString(from int, str string) int {
	for {
		i := s.find(from, str[0])
		if i < 0 || !s.ensure(i+len(str)) {
			return -1
		}
		if string(s.buf[s.pos+i:s.pos+i+len(str)]) == str {
			return i
		}
		from = i + 1
	}
}

// ensure reports whether n bytes from pos are in buf, reading as needed.
func (s *xmlScanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

func (s *xmlScanner) hasPrefix(p string) bool {
	return s.ensure(len(p)) && string(s.buf[s.pos:s.pos+len(p)]) == p
}

// skipMarkup skips a comment, CDATA section or processing instruction at pos, if one
// is there, and reports whether it did. A document type declaration is an error.
func (s *xmlScanner) skipMarkup() (bool, error) {
	var close string
	switch {
	case s.hasPrefix("<!--"):
		close = "-->"
	case s.hasPrefix("<![CDATA["):
		close = "]]>"
	case s.hasPrefix("<?"):
		close = "?>"
	case s.hasPrefix("<!"):
		return false, errors.New("XML document type declarations are not supported")
	default:
		return false, nil
	}
	i := s.findString(2, close)
	if i < 0 {
		return false, s.readErr()
	}
	s.pos += i + len(close)
	return true, nil
}

// next returns the next tag, skipping text and other markup. At the end of the input
// it returns io.EOF.
func (s *xmlScanner) next() (xmlTag, error) {
	for {
		// Text is dropped as it is skipped: only a tag must fit in buf.
		for {
			if s.pos < s.end && s.buf[s.pos] == '<' { // tags mostly follow tags
				break
			}
			if i := bytes.IndexByte(s.buf[s.pos:s.end], '<'); i >= 0 {
				s.pos += i
				break
			}
			s.pos = s.end
			if !s.fill() {
				if s.err == io.EOF {
					return xmlTag{}, io.EOF
				}
				return xmlTag{}, s.readErr()
			}
		}
		if !s.ensure(2) {
			return xmlTag{}, s.readErr()
		}
		if c := s.buf[s.pos+1]; c == '!' || c == '?' {
			if _, err := s.skipMarkup(); err != nil {
				return xmlTag{}, err
			}
			continue
		}
		j, err := s.tagEnd()
		if err != nil {
			return xmlTag{}, err
		}
		raw := s.buf[s.pos+1 : s.pos+j]
		s.pos += j + 1
		return parseTag(raw)
	}
}

// tagEnd returns the offset from pos of the '>' that ends the tag at pos; a '>' in a
// quoted attribute value does not.
func (s *xmlScanner) tagEnd() (int, error) {
	j := s.find(1, '>')
	if j < 0 {
		return 0, s.readErr()
	}
	// Unless a quote before the '>' is open, it ends the tag.
	if tag := s.buf[s.pos+1 : s.pos+j]; bytes.IndexByte(tag, '\'') < 0 && bytes.Count(tag, []byte{'"'})%2 == 0 {
		return j, nil
	}
	var quote byte
	i := 1
	for {
		for ; s.pos+i < s.end; i++ {
			c := s.buf[s.pos+i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '>':
				return i, nil
			case c == '"' || c == '\'':
				quote = c
			}
		}
		if !s.fill() {
			return 0, s.readErr()
		}
	}
}

func parseTag(raw []byte) (xmlTag, error) {
	var t xmlTag
	if len(raw) > 0 && raw[0] == '/' {
		t.end = true
		raw = trimSpace(raw[1:])
	} else if len(raw) > 0 && raw[len(raw)-1] == '/' {
		t.empty = true
		raw = raw[:len(raw)-1]
	}
	n, colon := 0, -1
	for ; n < len(raw); n++ {
		if c := raw[n]; isSpace(c) {
			break
		} else if c == ':' {
			colon = n
		}
	}
	if n == colon+1 {
		return t, errors.New("XML tag without a name")
	}
	t.name, t.attrs = raw[colon+1:n], raw[n:]
	return t, nil
}

// trimSpace trims XML white space; bytes.TrimSpace would take Unicode's.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName strips a namespace prefix: some writers put the SpreadsheetML elements in
// a prefixed namespace (<x:row>).
func localName(b []byte) []byte {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// attr returns the raw value of the attribute of the local name, if the attributes
// have it; see attrValue for its text.
func attr(attrs []byte, name string) ([]byte, bool) {
	for {
		attrs = trimSpace(attrs)
		eq := bytes.IndexByte(attrs, '=')
		if eq <= 0 {
			return nil, false
		}
		key := localName(trimSpace(attrs[:eq]))
		rest := trimSpace(attrs[eq+1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return nil, false
		}
		if string(key) == name {
			return rest[1 : 1+end], true
		}
		attrs = rest[end+2:]
	}
}

// attrString returns the text of an attribute, "" if the attributes lack it.
func attrString(attrs []byte, name string) (string, error) {
	v, ok := attr(attrs, name)
	if !ok {
		return "", nil
	}
	b, err := appendText(nil, v)
	return string(b), err
}

// text appends the text at pos, up to the next tag, to dst: character references
// decoded, CDATA sections taken as they are, comments skipped.
func (s *xmlScanner) text(dst []byte) ([]byte, error) {
	start := len(dst)
	for {
		i := s.find(0, '<')
		if i < 0 {
			return dst, s.readErr()
		}
		if len(dst)-start+i > maxXMLToken {
			return dst, errXMLTooLong
		}
		var err error
		if dst, err = appendText(dst, s.buf[s.pos:s.pos+i]); err != nil {
			return dst, err
		}
		s.pos += i
		if !s.ensure(2) {
			return dst, s.readErr()
		}
		if c := s.buf[s.pos+1]; c != '!' && c != '?' {
			return dst, nil // a tag
		}
		switch {
		case s.hasPrefix("<![CDATA["):
			j := s.findString(9, "]]>")
			if j < 0 {
				return dst, s.readErr()
			}
			dst = appendRaw(dst, s.buf[s.pos+9:s.pos+j])
			s.pos += j + 3
		case s.hasPrefix("<!--"), s.hasPrefix("<?"):
			if _, err := s.skipMarkup(); err != nil {
				return dst, err
			}
		default:
			return dst, nil
		}
	}
}

// appendText appends XML character data to dst, decoding character references and
// turning line ends into "\n" as an XML parser must.
func appendText(dst, b []byte) ([]byte, error) {
	if bytes.IndexByte(b, '&') < 0 {
		return appendRaw(dst, b), nil
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return appendRaw(dst, b), nil
		}
		dst = appendRaw(dst, b[:i])
		b = b[i:]
		j := bytes.IndexByte(b, ';')
		if j < 0 {
			return dst, errors.New("XML character reference without ';'")
		}
		ref := b[1:j]
		b = b[j+1:]
		switch string(ref) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "apos":
			dst = append(dst, '\'')
		case "quot":
			dst = append(dst, '"')
		default:
			r, ok := charRef(ref)
			if !ok {
				return dst, fmt.Errorf("unknown XML entity &%.20s;", ref)
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, nil
}

// charRef decodes the inside of a numeric character reference (#65, #x41).
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || !isXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// appendRaw appends text without references, turning "\r\n" and "\r" into "\n".
func appendRaw(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

// unescapeOOXML decodes the _xHHHH_ escapes with which Excel writes characters that XML
// cannot hold (a carriage return is _x000D_); _x005F_ escapes the underscore, so
// "_x005F_x000D_" is the text "_x000D_". It returns b itself when there is none.
func unescapeOOXML(b []byte) []byte {
	if !bytes.Contains(b, []byte("_x")) {
		return b
	}
	out := make([]byte, 0, len(b))
	for {
		i := bytes.Index(b, []byte("_x"))
		if i < 0 || len(b)-i < 7 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		h := b[i+2 : i+6]
		if b[i+6] != '_' || !isHex4(h) {
			out = append(out, b[i])
			b = b[i+1:]
			continue
		}
		n, _ := strconv.ParseUint(string(h), 16, 32)
		out = utf8.AppendRune(out, rune(n)) // a lone surrogate becomes U+FFFD
		b = b[i+7:]
	}
}

func isHex4(h []byte) bool {
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// aheadReader reads r in a goroutine, a few blocks ahead of its reader: inflating a
// sheet then takes a second core while the first parses it.
type aheadReader struct {
	full chan []byte // blocks read
	free chan []byte // blocks to read into
	stop chan struct{}
	done chan struct{}
	err  error  // why reading ended; set before full is closed
	cur  []byte // the block being passed on, and what is left of it
	left []byte
}

const (
	aheadReaderBlocks = 4
	aheadReaderSize   = 256 << 10
)

func newAheadReader(r io.Reader) *aheadReader {
	ra := &aheadReader{full: make(chan []byte, aheadReaderBlocks), free: make(chan []byte, aheadReaderBlocks),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range aheadReaderBlocks {
		ra.free <- make([]byte, aheadReaderSize)
	}
	go ra.fill(r)
	return ra
}

func (ra *aheadReader) fill(r io.Reader) {
	defer close(ra.done)
	defer close(ra.full)
	defer func() { // a corrupt file must not bring the server down
		if p := recover(); p != nil {
			ra.err = fmt.Errorf("%v", p)
		}
	}()
	for {
		var b []byte
		select {
		case b = <-ra.free:
		case <-ra.stop:
			return
		}
		n, err := io.ReadFull(r, b)
		if n > 0 {
			select {
			case ra.full <- b[:n]:
			case <-ra.stop:
				return
			}
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			ra.err = err
			return
		}
	}
}

func (ra *aheadReader) Read(p []byte) (int, error) {
	for len(ra.left) == 0 {
		if ra.cur != nil {
			ra.free <- ra.cur[:cap(ra.cur)]
			ra.cur = nil
		}
		b, ok := <-ra.full
		if !ok {
			return 0, ra.err
		}
		ra.cur, ra.left = b, b
	}
	n := copy(p, ra.left)
	ra.left = ra.left[n:]
	return n, nil
}

// Close stops the goroutine, and returns when it has stopped reading r.
func (ra *aheadReader) Close() {
	close(ra.stop)
	<-ra.done
}
