package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// A formula as a page shows it: in symbols (100 × A ÷ B) and in words
// (100 × 在园幼儿（公办） ÷ 在园幼儿), each symbol standing for one call of a data
// function. This is a reader's rendering of the formula text, not a second evaluator:
// anything it does not recognise is shown as written.

// formulaView is a formula in symbols and in words, with what each symbol stands for.
type formulaView struct {
	Text    string // as the pack writes it
	Symbols string // 100 × A ÷ B
	Words   string // 100 × 在园幼儿（公办） ÷ 在园幼儿
	Terms   []formulaTerm
}

// formulaTerm is one distinct call of a data function in a formula.
type formulaTerm struct {
	Symbol string // A, B, ...
	Call   string // students("stage=preschool; ownership=public")
	Words  string // 在园幼儿（公办）
	key    string
}

// dataFuncs are the formula functions that read data (see internal/indicator).
var dataFuncs = []string{"students", "teachers", "population", "institutions", "fact"}

// token is a piece of a formula: an operator, a number, a parenthesis, or a call.
type token struct {
	text string
	call *callText
}

// callText is a data-function call as written: its function, element (for fact), filter
// conditions in written order, and year offset.
type callText struct {
	fn, element string
	conds       [][2]string
	offset      int
	text        string
}

// key identifies a call however it is spaced or ordered, so that the inputs of an
// explanation (written by the expression library) find their symbol.
func (c *callText) key() string {
	conds := make([]string, len(c.conds))
	for i, kv := range c.conds {
		conds[i] = kv[0] + "=" + strings.ReplaceAll(kv[1], " ", "")
	}
	slices.Sort(conds)
	return c.fn + "|" + c.element + "|" + strings.Join(conds, ";") + "|" + strconv.Itoa(c.offset)
}

// tokenize splits a formula into tokens; ok is false for text it cannot read, which is
// then shown only as written.
func tokenize(s string) (toks []token, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			j := i
			for j < len(s) && (isIdentStart(s[j]) || isDigit(s[j])) {
				j++
			}
			name := s[i:j]
			k := skipSpace(s, j)
			if !slices.Contains(dataFuncs, name) || k >= len(s) || s[k] != '(' {
				toks = append(toks, token{text: name})
				i = j
				continue
			}
			call, end, ok := readCall(s, i, name, k+1)
			if !ok {
				return nil, false
			}
			toks = append(toks, token{call: call})
			i = end
		case isDigit(c) || c == '.':
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == '.' || s[j] == '_') {
				j++
			}
			toks = append(toks, token{text: s[i:j]})
			i = j
		case c == '*':
			toks = append(toks, token{text: "×"})
			i++
		case c == '/':
			toks = append(toks, token{text: "÷"})
			i++
		case c == '+' || c == '-' || c == '(' || c == ')':
			toks = append(toks, token{text: string(c)})
			i++
		default:
			return nil, false
		}
	}
	return toks, true
}

// readCall reads the arguments of a call whose "(" ends just before i: string and
// integer constants, as the formula compiler requires.
func readCall(s string, start int, fn string, i int) (*callText, int, bool) {
	var args []string
	offset, hasOffset := 0, false
	if j := skipSpace(s, i); j < len(s) && s[j] == ')' {
		i = j + 1
	} else {
		for {
			i = skipSpace(s, i)
			switch {
			case i >= len(s) || hasOffset: // the offset is the last argument
				return nil, 0, false
			case s[i] == '"':
				j := strings.IndexByte(s[i+1:], '"')
				if j < 0 {
					return nil, 0, false
				}
				args = append(args, s[i+1:i+1+j])
				i += j + 2
			case s[i] == '-' || isDigit(s[i]):
				j := i + 1
				for j < len(s) && isDigit(s[j]) {
					j++
				}
				n, err := strconv.Atoi(s[i:j])
				if err != nil {
					return nil, 0, false
				}
				offset, hasOffset = n, true
				i = j
			default:
				return nil, 0, false
			}
			i = skipSpace(s, i)
			if i < len(s) && s[i] == ',' {
				i++
				continue
			}
			if i < len(s) && s[i] == ')' {
				i++
				break
			}
			return nil, 0, false
		}
	}
	c := &callText{fn: fn, offset: offset, text: s[start:i]}
	if fn == "fact" {
		if len(args) == 0 {
			return nil, 0, false
		}
		c.element, args = args[0], args[1:]
	}
	if len(args) > 1 {
		return nil, 0, false
	}
	if len(args) == 1 {
		for part := range strings.SplitSeq(args[0], ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				if strings.TrimSpace(part) == "" {
					continue
				}
				return nil, 0, false
			}
			c.conds = append(c.conds, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	return c, i, true
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func skipSpace(s string, i int) int {
	for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
		i++
	}
	return i
}

// formulaOf renders an indicator's formula in the page's language.
func formulaOf(pack *plan.Pack, lang, formula string) formulaView {
	v := formulaView{Text: strings.Join(strings.Fields(formula), " ")}
	toks, ok := tokenize(formula)
	if !ok {
		v.Symbols, v.Words = v.Text, v.Text
		return v
	}
	symbolOf := map[string]string{}
	var sym, words []string
	for _, t := range toks {
		if t.call == nil {
			sym, words = append(sym, t.text), append(words, t.text)
			continue
		}
		key := t.call.key()
		s, seen := symbolOf[key]
		if !seen {
			s = symbolName(len(v.Terms))
			symbolOf[key] = s
			v.Terms = append(v.Terms, formulaTerm{Symbol: s, Call: t.call.text, Words: callWords(pack, lang, t.call), key: key})
		}
		sym = append(sym, s)
		words = append(words, callWords(pack, lang, t.call))
	}
	v.Symbols, v.Words = joinTokens(sym), joinTokens(words)
	return v
}

// term returns the term a call (as an explanation writes it) stands for.
func (v formulaView) term(call string) (formulaTerm, bool) {
	toks, ok := tokenize(call)
	if !ok || len(toks) != 1 || toks[0].call == nil {
		return formulaTerm{}, false
	}
	key := toks[0].call.key()
	for _, t := range v.Terms {
		if t.key == key {
			return t, true
		}
	}
	return formulaTerm{}, false
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

// callWords is a call in words: 在园幼儿（公办）, students (preschool, public).
func callWords(pack *plan.Pack, lang string, c *callText) string {
	en := lang == langEn
	var head string
	conds := c.conds
	switch c.fn {
	case "students":
		head = pick(lang, "在校生", "students")
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
		head = pick(lang, "专任教师", "full-time teachers")
	case "population":
		head = pick(lang, "常住人口", "resident population")
	case "institutions":
		head = pick(lang, "学校（机构）数", "institutions")
	case "fact":
		head = c.element
		if el := pack.Element(c.element); el != nil {
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
	case c.offset < 0:
		quals = append(quals, pick(lang, strconv.Itoa(-c.offset)+"年前", strconv.Itoa(-c.offset)+" years earlier"))
	case c.offset > 0:
		quals = append(quals, pick(lang, strconv.Itoa(c.offset)+"年后", strconv.Itoa(c.offset)+" years later"))
	}
	if len(quals) == 0 {
		return head
	}
	if !en {
		return head + "（" + strings.Join(quals, "，") + "）"
	}
	sep := ", "
	if multi {
		sep = "; "
	}
	return head + " (" + strings.Join(quals, sep) + ")"
}

// condWords is one filter condition in words: 公办, public; 小学、初中, primary or junior.
func condWords(lang, key, value string) string {
	en := lang == langEn
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
		case key == "age" && en:
			return "aged " + list
		case key == "age":
			return list + "岁"
		case en && (len(items) > 1 || strings.Contains(list, "–")):
			return "grades " + list
		case en:
			return "grade " + list
		}
		return list + "年级"
	}
	if phrase, ok := flagWords[key]; ok && len(items) == 1 {
		switch items[0] {
		case "true":
			return pick(lang, phrase[0], phrase[1])
		case "false":
			return pick(lang, "非"+phrase[0], "not "+phrase[1])
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
