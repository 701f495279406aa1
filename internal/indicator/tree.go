package indicator

import "strconv"

// Node is a formula as its readers see it, taken from the syntax tree the formula was
// compiled from, as parsed: an arithmetic operation on two operands, a number, or a
// read of data.
// The views render formulas in symbols and in words from it.
type Node struct {
	// Op is +, -, * or / with Left and Right its operands; "" for a leaf.
	Op          string
	Left, Right *Node
	// Number is a constant as Go writes it ("100", "0.5"), for a leaf that is one.
	Number string
	// Read is the data a leaf reads, for a leaf that is a call.
	Read *Read
}

// Tree returns the formula's tree; nil when the formula is more than arithmetic over
// numbers and reads of data (another function such as cagr, a sign, a comparison),
// which a view then shows as written.
func (f *Formula) Tree() *Node { return f.tree }

// String writes the tree fully parenthesised, reads as fn[filter] with their element,
// offset and fixed year: ((100 * students[stage=preschool]) / population[age=3..5]).
func (n *Node) String() string {
	switch {
	case n == nil:
		return "<nil>"
	case n.Op != "":
		return "(" + n.Left.String() + " " + n.Op + " " + n.Right.String() + ")"
	case n.Read != nil:
		r := n.Read
		s := r.Func
		if r.Func != r.Element {
			s += ":" + r.Element
		}
		s += "[" + r.FilterText + "]"
		if r.Offset != 0 {
			s += strconv.Itoa(r.Offset)
		}
		if r.Year != 0 {
			s += "@" + strconv.Itoa(r.Year)
		}
		return s
	}
	return n.Number
}
