// Package indicator compiles the pack's formulas and evaluates them against the cube:
// every indicator for the city, each district and each institution, each year, with an
// explanation of any value down to the import batches its inputs came from.
//
// It reads cube and is read by progress and the views.
package indicator

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// rosterFuncs are the formula functions that count a roster element.
var rosterFuncs = []string{"students", "teachers", "population", "institutions"}

// call is one call of a formula function, with its constant arguments resolved.
type call struct {
	text string
	// fn is the function called: a roster function or fact.
	fn      string
	element string
	// filterText is the filter as written: "stage=preschool; ownership=public".
	filterText string
	filter     plan.Filter
	offset     int
	// fixed is the year the call reads whatever the year evaluated (at(2020)), 0 if none.
	fixed int
	// persons: the call reads an element of a record kind about persons (a count,
	// share, mean, sum or rate of students' or teachers' rows), which rests on the
	// counts of people cube.Result.People gives, as people() protects.
	persons bool
}

// Year offsets stay within ±maxOffset and fixed years within minYear..maxYear, so that
// the two never meet: at run time both arrive at a function as a plain int.
const (
	maxOffset = 100
	minYear   = 1900
	maxYear   = 2200
)

// yearFor is the year the call reads when the formula is evaluated for year.
func (c *call) yearFor(year int) int {
	if c.fixed != 0 {
		return c.fixed
	}
	return year + c.offset
}

// Formula is an indicator's compiled formula.
type Formula struct {
	Indicator *plan.Indicator
	program   *vm.Program
	// tree is the formula for readers (Tree), nil where it is more than arithmetic.
	tree *Node
	// calls are keyed by the call's text arguments, as the functions see them at run time.
	calls map[string]*call
	order []*call
}

// callKey identifies a call by its arguments as they arrive at run time.
func callKey(fn string, args []any) string {
	var b strings.Builder
	b.WriteString(fn)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%v", a)
	}
	return b.String()
}

// typeEnv declares the formula functions for the type checker.
func typeEnv() map[string]any {
	env := map[string]any{}
	for _, fn := range rosterFuncs {
		env[fn] = func(filter string, offset ...int) float64 { return 0 }
	}
	env["fact"] = func(element string, rest ...any) float64 { return 0 }
	env["years_since"] = func(year int) float64 { return 0 }
	env["cagr"] = cagr
	return env
}

// cagr is the formula function cagr(now, base, years): the average yearly growth that
// takes base to now in years, (now / base)^(1 / years) − 1 (年均增长), as 0.1 for 10%.
// It is undefined (NaN) for years ≤ 0, a base ≤ 0 or a negative now.
func cagr(now, base, years float64) float64 {
	if years <= 0 || base <= 0 || now < 0 {
		return math.NaN()
	}
	return math.Pow(now/base, 1/years) - 1
}

// atFunction is the formula function at(YEAR): as a roster or fact function's last
// argument it reads that fixed year instead of the year evaluated, e.g.
// institutions("type=kindergarten", at(2020)). It passes the year through, so the
// functions see it where an offset would be; compiled into the program, it needs no
// place in the run-time environment.
var atFunction = expr.Function("at", func(params ...any) (any, error) { return params[0], nil }, new(func(int) int))

// fixedYear is an at(YEAR) argument while a formula is compiled.
type fixedYear int

type collector struct {
	pack  *plan.Pack
	calls map[string]*call
	order []*call
	// tree is the formula for readers, by the node of the syntax tree it stands for,
	// built as the walk reaches each node (children first, as parsed: before the
	// compiler folds constants); root is the node reached last, the whole formula.
	tree map[ast.Node]*Node
	root ast.Node
	errs []string
}

func (v *collector) Visit(n *ast.Node) {
	v.root = *n
	switch m := (*n).(type) {
	case *ast.CallNode:
		if c := v.call(m); c != nil {
			r := c.read()
			v.tree[m] = &Node{Read: &r}
		}
	case *ast.BinaryNode:
		l, r := v.tree[m.Left], v.tree[m.Right]
		switch m.Operator {
		case "+", "-", "*", "/":
			if l != nil && r != nil {
				v.tree[m] = &Node{Op: m.Operator, Left: l, Right: r}
			}
		}
	case *ast.IntegerNode:
		v.tree[m] = &Node{Number: strconv.Itoa(m.Value)}
	case *ast.FloatNode:
		v.tree[m] = &Node{Number: strconv.FormatFloat(m.Value, 'f', -1, 64)}
	}
}

// call resolves a call of a data function; nil for another function, or a call in
// error (noted in errs).
func (v *collector) call(c *ast.CallNode) *call {
	id, ok := c.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	fn := id.Value
	isRoster := false
	for _, r := range rosterFuncs {
		isRoster = isRoster || r == fn
	}
	if !isRoster && fn != "fact" {
		return nil
	}
	args, ok := v.constArgs(c)
	if !ok {
		return nil
	}
	cl := &call{text: c.String(), fn: fn}
	rest := args
	if isRoster {
		cl.element = fn
	} else {
		if len(args) == 0 {
			v.errs = append(v.errs, "fact() needs the element code")
			return nil
		}
		cl.element, _ = args[0].(string)
		rest = args[1:]
	}
	el := v.pack.Element(cl.element)
	if el == nil {
		v.errs = append(v.errs, fmt.Sprintf("%s: no data element %q in the pack", c.String(), cl.element))
		return nil
	}
	filterText, ok := v.filterAndYear(c, cl, rest)
	if !ok {
		return nil
	}
	f, err := el.ParseFilter(filterText)
	if err != nil {
		v.errs = append(v.errs, fmt.Sprintf("%s: %v", c.String(), err))
		return nil
	}
	cl.filter, cl.filterText = f, filterText
	if rm := el.Record; rm != nil {
		rk := v.pack.RecordKind(rm.Kind)
		cl.persons = rk != nil && rk.Person()
	}
	return v.add(fn, args, cl)
}

// constArgs returns a call's arguments as constants: strings, integers (negated ones
// too) and at(YEAR) as a fixedYear; false for any other argument (noted in errs).
func (v *collector) constArgs(c *ast.CallNode) ([]any, bool) {
	var args []any
	for _, a := range c.Arguments {
		switch a := a.(type) {
		case *ast.StringNode:
			args = append(args, a.Value)
		case *ast.IntegerNode:
			args = append(args, a.Value)
		case *ast.UnaryNode:
			if i, ok := a.Node.(*ast.IntegerNode); ok && a.Operator == "-" {
				args = append(args, -i.Value)
				continue
			}
			v.errs = append(v.errs, fmt.Sprintf("%s: arguments must be constants or at(YEAR)", c.String()))
			return nil, false
		case *ast.CallNode:
			if y, ok := atYear(a); ok {
				args = append(args, fixedYear(y))
				continue
			}
			v.errs = append(v.errs, fmt.Sprintf("%s: arguments must be constants or at(YEAR)", c.String()))
			return nil, false
		default:
			v.errs = append(v.errs, fmt.Sprintf("%s: arguments must be constants or at(YEAR)", c.String()))
			return nil, false
		}
	}
	return args, true
}

// filterAndYear reads the arguments after the element: an optional filter first, then
// an optional year offset or at(YEAR) last, set on cl. It returns the filter as
// written; false for arguments out of place or a year out of range (noted in errs).
func (v *collector) filterAndYear(c *ast.CallNode, cl *call, rest []any) (string, bool) {
	filterText := ""
	for i, a := range rest {
		switch a := a.(type) {
		case string:
			if i != 0 {
				v.errs = append(v.errs, fmt.Sprintf("%s: the filter comes before the year offset", c.String()))
				return "", false
			}
			filterText = a
		case int:
			if i != len(rest)-1 {
				v.errs = append(v.errs, fmt.Sprintf("%s: the year offset is the last argument", c.String()))
				return "", false
			}
			if a < -maxOffset || a > maxOffset {
				v.errs = append(v.errs, fmt.Sprintf("%s: a year offset lies within -%d..%d (for a fixed year write at(%d))",
					c.String(), maxOffset, maxOffset, a))
				return "", false
			}
			cl.offset = a
		case fixedYear:
			if i != len(rest)-1 {
				v.errs = append(v.errs, fmt.Sprintf("%s: at(YEAR) is the last argument", c.String()))
				return "", false
			}
			if a < minYear || a > maxYear {
				v.errs = append(v.errs, fmt.Sprintf("%s: at(%d): a year within %d..%d", c.String(), int(a), minYear, maxYear))
				return "", false
			}
			cl.fixed = int(a)
		}
	}
	return filterText, true
}

// add keeps a resolved call once, keyed by its arguments as the function sees them at
// run time (at(YEAR) as a plain int), and returns the call kept under that key.
func (v *collector) add(fn string, args []any, cl *call) *call {
	for i, a := range args {
		if y, ok := a.(fixedYear); ok {
			args[i] = int(y)
		}
	}
	key := callKey(fn, args)
	if _, ok := v.calls[key]; !ok {
		v.calls[key] = cl
		v.order = append(v.order, cl)
	}
	return v.calls[key]
}

// atYear returns YEAR of a call at(YEAR) with a constant integer.
func atYear(c *ast.CallNode) (int, bool) {
	id, ok := c.Callee.(*ast.IdentifierNode)
	if !ok || id.Value != "at" || len(c.Arguments) != 1 {
		return 0, false
	}
	i, ok := c.Arguments[0].(*ast.IntegerNode)
	if !ok {
		return 0, false
	}
	return i.Value, true
}

// Compile compiles an indicator's formula against the pack: the functions and their
// constant arguments (elements, filters, offsets) are checked here, once.
func Compile(pack *plan.Pack, ind *plan.Indicator) (*Formula, error) {
	v := &collector{pack: pack, calls: map[string]*call{}, tree: map[ast.Node]*Node{}}
	prog, err := expr.Compile(ind.Formula, expr.Env(typeEnv()), atFunction, expr.Patch(v), expr.AsFloat64())
	if err != nil {
		return nil, fmt.Errorf("formula: %s", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	if len(v.errs) > 0 {
		return nil, fmt.Errorf("formula: %s", strings.Join(v.errs, "; "))
	}
	if len(v.order) == 0 {
		return nil, fmt.Errorf("formula: reads no data (use students, teachers, population, institutions or fact)")
	}
	return &Formula{Indicator: ind, program: prog, calls: v.calls, order: v.order, tree: v.tree[v.root]}, nil
}

// Read is one number a formula reads: an element, filtered, in the year the formula is
// evaluated for plus Offset (-8 for eight years earlier), or in the fixed Year when it
// is not 0 (at(2020)).
type Read struct {
	// Call is the formula's call, e.g. students("stage=primary; grade=1", -8), as
	// explanations name it (Input.Call).
	Call string
	// Func is the function called: students, teachers, population, institutions or
	// fact.
	Func    string
	Element string
	Filter  plan.Filter
	// FilterText is the filter as written, its conditions in the written order.
	FilterText string
	Offset     int
	Year       int
}

// Reads returns what the formula reads, each distinct call once, in formula order: a
// value cannot be computed where any of them is missing (cube.Result.OK false).
func (f *Formula) Reads() []Read {
	out := make([]Read, len(f.order))
	for i, c := range f.order {
		out[i] = c.read()
	}
	return out
}

func (c *call) read() Read {
	return Read{Call: c.text, Func: c.fn, Element: c.element, Filter: c.filter, FilterText: c.filterText, Offset: c.offset, Year: c.fixed}
}

// CheckPack compiles every formula of a pack and returns the problems as pack issues
// located at the formula's line.
func CheckPack(pack *plan.Pack) []plan.Issue {
	var issues []plan.Issue
	for _, ind := range slices.Concat(pack.Indicators, pack.Commitments) {
		if _, err := Compile(pack, ind); err != nil {
			key := "indicators"
			if ind.File == plan.CommitmentsFile {
				key = "commitments"
			}
			issues = append(issues, plan.Issue{File: cmp.Or(ind.File, plan.IndicatorsFile), Line: ind.FormulaLine,
				Field: key + "[" + ind.Code + "].formula", Message: err.Error()})
		}
	}
	return issues
}

// describe is a call in words, for explanations: students(stage=preschool) in 2012.
func (c *call) describe(year int) string {
	s := c.text
	if c.offset != 0 {
		s += " @" + strconv.Itoa(c.yearFor(year))
	}
	return s
}
