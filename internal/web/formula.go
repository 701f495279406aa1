package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// A formula as a page shows it: in symbols (100 × A ÷ B) and in words
// (100 × 在园幼儿（公办） ÷ 在园幼儿), each symbol standing for one read of data. It is
// rendered from the syntax tree the engine compiled (indicator.Formula.Tree); a formula
// the tree does not cover, or one that reads a fixed year, is shown as written.

// formulaView is a formula in symbols and in words, with what each symbol stands for.
type formulaView struct {
	Text    string // as the pack writes it
	Symbols string // 100 × A ÷ B
	Words   string // 100 × 在园幼儿（公办） ÷ 在园幼儿
	Terms   []formulaTerm
	// byCall finds a term by its call as explanations name it (indicator.Input.Call).
	byCall map[string]formulaTerm
}

// formulaTerm is one distinct read of data in a formula.
type formulaTerm struct {
	Symbol string // A, B, ...
	Call   string // students("stage=preschool; ownership=public")
	Words  string // 在园幼儿（公办）
}

// formulaOf renders an indicator's compiled formula in the page's language.
func formulaOf(pack *plan.Pack, lang string, f *indicator.Formula) formulaView {
	if f == nil {
		return formulaView{}
	}
	v := formulaView{Text: strings.Join(strings.Fields(f.Indicator.Formula), " "), byCall: map[string]formulaTerm{}}
	tree := f.Tree()
	if tree == nil || slices.ContainsFunc(f.Reads(), func(r indicator.Read) bool { return r.Year != 0 }) {
		v.Symbols, v.Words = v.Text, v.Text
		return v
	}
	r := formulaRenderer{pack: pack, lang: lang, v: &v, symbolOf: map[string]string{}}
	r.node(tree, "", false)
	v.Symbols, v.Words = joinTokens(r.sym), joinTokens(r.words)
	return v
}

// formulaRenderer writes a tree as tokens, in symbols and in words.
type formulaRenderer struct {
	pack       *plan.Pack
	lang       string
	v          *formulaView
	symbolOf   map[string]string // by the read's key
	sym, words []string
}

// opSigns are the operators as a page writes them.
var opSigns = map[string]string{"+": "+", "-": "-", "*": "×", "/": "÷"}

// node writes n, an operand of parent (on its right if right), bracketed where the
// order of operations needs it, and a ratio of ratios always: (A ÷ B) ÷ (C ÷ D).
func (r *formulaRenderer) node(n *indicator.Node, parent string, right bool) {
	switch {
	case n.Op != "":
		p, q := precedence(n.Op), precedence(parent)
		wrap := parent != "" && (p < q || p == q && right || n.Op == "/" && parent == "/")
		if wrap {
			r.emit("(", "(")
		}
		r.node(n.Left, n.Op, false)
		r.emit(opSigns[n.Op], opSigns[n.Op])
		r.node(n.Right, n.Op, true)
		if wrap {
			r.emit(")", ")")
		}
	case n.Read != nil:
		key := n.Read.Element + "|" + n.Read.Filter.String() + "|" + strconv.Itoa(n.Read.Offset)
		words := callWords(r.pack, r.lang, n.Read)
		s, seen := r.symbolOf[key]
		if !seen {
			s = symbolName(len(r.v.Terms))
			r.symbolOf[key] = s
			r.v.Terms = append(r.v.Terms, formulaTerm{Symbol: s, Call: n.Read.Call, Words: words})
		}
		if _, ok := r.v.byCall[n.Read.Call]; !ok {
			r.v.byCall[n.Read.Call] = r.v.Terms[slices.IndexFunc(r.v.Terms, func(t formulaTerm) bool { return t.Symbol == s })]
		}
		r.emit(s, words)
	default:
		r.emit(n.Number, n.Number)
	}
}

func (r *formulaRenderer) emit(sym, words string) {
	r.sym, r.words = append(r.sym, sym), append(r.words, words)
}

// precedence is an operator's: × and ÷ bind tighter than + and −; 0 for none.
func precedence(op string) int {
	switch op {
	case "+", "-":
		return 1
	case "*", "/":
		return 2
	}
	return 0
}

// term returns the term a call (as an explanation writes it) stands for.
func (v formulaView) term(call string) (formulaTerm, bool) {
	t, ok := v.byCall[call]
	return t, ok
}

// symbolName is A, B, ... Z, then A1, B1, ...
func symbolName(i int) string {
	s := string(rune('A' + i%26))
	if i >= 26 {
		s += strconv.Itoa(i / 26)
	}
	return s
}

// joinTokens writes tokens with a space around operators and none inside parentheses.
func joinTokens(ts []string) string {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 && t != ")" && ts[i-1] != "(" {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

// callWords is a read in words: 在园幼儿（公办）, students (preschool, public).
func callWords(pack *plan.Pack, lang string, rd *indicator.Read) string {
	en := lang == langEn
	var head string
	conds := writtenConds(rd.FilterText)
	switch rd.Func {
	case "students":
		head = locale.T(lang, "read_students")
		// Chinese has a word of its own for children in kindergarten, which takes the
		// place of the stage; English says "students (preschool)".
		if !en && len(conds) > 0 && conds[0] == [2]string{"stage", "preschool"} {
			head, conds = "在园幼儿", conds[1:]
		} else if !en {
			for i, kv := range conds {
				if kv == [2]string{"stage", "preschool"} {
					head, conds = "在园幼儿", append(slices.Clone(conds[:i]), conds[i+1:]...)
					break
				}
			}
		}
	case "teachers":
		head = locale.T(lang, "read_teachers")
	case "population":
		head = locale.T(lang, "read_population")
	case "institutions":
		head = locale.T(lang, "read_institutions")
	case "fact":
		head = rd.Element
		if el := pack.Element(rd.Element); el != nil {
			head = pick(lang, el.Name, el.NameEn)
		}
	}
	var quals []string
	multi := false
	for _, kv := range conds {
		quals = append(quals, condWords(lang, kv[0], kv[1]))
		multi = multi || strings.ContainsAny(kv[1], ",")
	}
	switch {
	case rd.Offset < 0:
		quals = append(quals, fmt.Sprintf(locale.T(lang, "read_years_earlier"), -rd.Offset))
	case rd.Offset > 0:
		quals = append(quals, fmt.Sprintf(locale.T(lang, "read_years_later"), rd.Offset))
	}
	if len(quals) == 0 {
		return head
	}
	sep := locale.T(lang, "phrase_sep")
	if multi { // a list of values holds commas already
		sep = locale.T(lang, "phrase_sep_lists")
	}
	return fmt.Sprintf(locale.T(lang, "read_qualified"), head, strings.Join(quals, sep))
}

// writtenConds are a filter's conditions as written, in the written order (the engine
// keeps them sorted and ranges expanded): "stage=preschool; age=3..5".
func writtenConds(filter string) [][2]string {
	var conds [][2]string
	for part := range strings.SplitSeq(filter, ";") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			conds = append(conds, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	return conds
}

// condWords is one filter condition in words: 公办, public; 小学、初中, primary or junior.
func condWords(lang, key, value string) string {
	var items []string
	for item := range strings.SplitSeq(value, ",") {
		items = append(items, strings.TrimSpace(item))
	}
	switch key {
	case "grade", "age":
		for i, it := range items {
			items[i] = strings.Replace(it, "..", "–", 1)
		}
		list := joinWords(lang, items)
		switch {
		case key == "age":
			return fmt.Sprintf(locale.T(lang, "cond_age"), list)
		case len(items) > 1 || strings.Contains(list, "–"):
			return fmt.Sprintf(locale.T(lang, "cond_grades"), list)
		}
		return fmt.Sprintf(locale.T(lang, "cond_grade"), list)
	}
	if phrase, ok := flagWords[key]; ok && len(items) == 1 {
		switch items[0] {
		case "true":
			return pick(lang, phrase[0], phrase[1])
		case "false":
			return fmt.Sprintf(locale.T(lang, "cond_not"), pick(lang, phrase[0], phrase[1]))
		}
	}
	words, known := valueWords[key]
	for i, it := range items {
		w, ok := words[it]
		if !known || !ok {
			return key + "=" + value // shown as written rather than guessed
		}
		items[i] = pick(lang, w[0], w[1])
	}
	return joinWords(lang, items)
}

// joinWords lists values: 小学、初中; primary or junior secondary; a, b or c.
func joinWords(lang string, items []string) string {
	if lang != langEn {
		return strings.Join(items, "、")
	}
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// valueWords are the values of the interchange formats' dimensions (plan.Domains) in
// Chinese and English.
var valueWords = map[string]map[string][2]string{
	"stage": {
		"preschool": {"学前", "preschool"}, "primary": {"小学", "primary"}, "junior": {"初中", "junior secondary"},
		"senior": {"普通高中", "general senior secondary"}, "secondary_vocational": {"中职", "secondary vocational"},
		"special": {"特殊教育", "special education"}, "higher": {"高等教育", "higher education"},
	},
	"type": {
		"kindergarten": {"幼儿园", "kindergartens"}, "primary": {"小学", "primary schools"}, "junior": {"初级中学", "junior secondary schools"},
		"nine_year": {"九年一贯制学校", "nine-year schools"}, "complete_secondary": {"完全中学", "complete secondary schools"},
		"senior": {"高级中学", "senior secondary schools"}, "twelve_year": {"十二年一贯制学校", "twelve-year schools"},
		"secondary_vocational": {"中等职业学校", "secondary vocational schools"}, "special": {"特殊教育学校", "special schools"},
		"higher_vocational": {"高职院校", "higher vocational colleges"}, "university": {"普通本科高校", "universities"},
		"training": {"培训机构", "training institutions"},
	},
	"ownership": {"public": {"公办", "public"}, "private": {"民办", "private"}},
	"location":  {"urban": {"城区", "urban"}, "town": {"镇区", "town"}, "rural": {"乡村", "rural"}},
	"sex":       {"M": {"男", "male"}, "F": {"女", "female"}},
	"hukou":     {"local": {"本地户籍", "local hukou"}, "migrant": {"随迁子女", "migrant"}},
	"education": {
		"below_secondary": {"高中以下", "below upper secondary"}, "secondary": {"高中（中专）", "upper secondary"},
		"associate": {"专科", "associate degree"}, "bachelor": {"本科", "bachelor's"}, "master": {"硕士", "master's"},
		"doctor": {"博士", "doctorate"},
	},
}

// flagWords are the yes/no dimensions, said of those for whom they hold.
var flagWords = map[string][2]string{
	"preschool_major": {"学前教育专业毕业", "graduated in preschool education"},
	"dual_qualified":  {"双师型", "dual-qualified"},
	"rotated":         {"交流轮岗", "rotated"},
	"new_hire":        {"新招聘", "new hires"},
	"inclusive":       {"普惠性", "inclusive"},
}
