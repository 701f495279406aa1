package plan

import (
	"slices"
	"strconv"
	"strings"
)

// Domains lists the values a dimension of the interchange formats may take. Dimensions
// not listed here (grade, age) are integers.
var Domains = map[string][]string{
	"stage":           {"preschool", "primary", "junior", "senior", "secondary_vocational", "special", "higher"},
	"type":            {"kindergarten", "primary", "junior", "nine_year", "complete_secondary", "senior", "twelve_year", "secondary_vocational", "special", "higher_vocational", "university", "training"},
	"ownership":       {"public", "private"},
	"location":        {"urban", "town", "rural"},
	"sex":             {"M", "F"},
	"hukou":           {"local", "migrant"},
	"education":       {"below_secondary", "secondary", "associate", "bachelor", "master", "doctor"},
	"inclusive":       {"true", "false"},
	"preschool_major": {"true", "false"},
	"dual_qualified":  {"true", "false"},
	"rotated":         {"true", "false"},
	"new_hire":        {"true", "false"},
	"subject":         {"chinese", "math", "foreign_language", "science", "pe", "music", "art", "it", "moral", "other"},
	"backbone":        {"none", "county", "city", "province", "national"},
}

// intDims are the integer dimensions, with their valid range.
var intDims = map[string][2]int{
	"grade": {1, 30},
	"age":   {0, 100},
}

// Cond is one condition of a filter: the dimension Key takes one of Values.
type Cond struct {
	Key    string
	Values []string
}

// Filter selects rows or facts by their dimensions: every condition must hold.
// Its text form is "key=value; key=v1,v2; age=3..5".
type Filter []Cond

// String returns the canonical text of the filter: keys sorted, values in given order.
func (f Filter) String() string {
	parts := make([]string, len(f))
	for i, c := range f {
		parts[i] = c.Key + "=" + strings.Join(c.Values, ",")
	}
	return strings.Join(parts, ";")
}

// Single reports whether every condition has one value, so that the filter names one
// cell that a reported fact can match exactly.
func (f Filter) Single() bool {
	for _, c := range f {
		if len(c.Values) != 1 {
			return false
		}
	}
	return true
}

// Expand returns the single-valued filters whose union is f, in a stable order.
func (f Filter) Expand() []Filter {
	out := []Filter{nil}
	for _, c := range f {
		var next []Filter
		for _, prefix := range out {
			for _, v := range c.Values {
				g := append(slices.Clone(prefix), Cond{Key: c.Key, Values: []string{v}})
				next = append(next, g)
			}
		}
		out = next
	}
	return out
}

// ParseFilter parses the text form of a filter and checks each key and value against the
// dimensions allowed (nil allows any key of Domains and the integer dimensions).
func ParseFilter(s string, allowed []string) (Filter, error) {
	return parseFilter(s, allowed, nil)
}

// parseFilter is ParseFilter with domains that add to (or, for a key they hold,
// replace) Domains: a record kind's code fields.
func parseFilter(s string, allowed []string, domains map[string][]string) (Filter, error) {
	var f Filter
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, Errorf(EINVALID, "%q 不是“维度=值”的形式", "%q is not key=value", part)
		}
		if seen[k] {
			return nil, Errorf(EINVALID, "维度 %q 出现了两次", "dimension %q given twice", k)
		}
		seen[k] = true
		if allowed != nil && !slices.Contains(allowed, k) {
			return nil, Errorf(EINVALID, "维度 %q 不在 %s 之中", "dimension %q is not one of %s", k, strings.Join(allowed, ", "))
		}
		var values []string
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			vs, err := dimValues(k, item, domains)
			if err != nil {
				return nil, err
			}
			values = append(values, vs...)
		}
		f = append(f, Cond{Key: k, Values: values})
	}
	slices.SortFunc(f, func(a, b Cond) int { return strings.Compare(a.Key, b.Key) })
	return f, nil
}

func dimValues(key, item string, domains map[string][]string) ([]string, error) {
	if dom, ok := domains[key]; ok {
		if !slices.Contains(dom, item) {
			return nil, Errorf(EINVALID, "%s=%s：应为 %s 之一", "%s=%s: expected one of %s", key, item, strings.Join(dom, ", "))
		}
		return []string{item}, nil
	}
	if r, ok := intDims[key]; ok {
		lo, hi, isRange := strings.Cut(item, "..")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, Errorf(EINVALID, "%s=%s：%q 不是整数", "%s=%s: %q is not an integer", key, item, lo)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, Errorf(EINVALID, "%s=%s：%q 不是整数", "%s=%s: %q is not an integer", key, item, hi)
			}
		}
		if a > b || a < r[0] || b > r[1] {
			return nil, Errorf(EINVALID, "%s=%s：超出 %d..%d", "%s=%s: outside %d..%d", key, item, r[0], r[1])
		}
		var vs []string
		for i := a; i <= b; i++ {
			vs = append(vs, strconv.Itoa(i))
		}
		return vs, nil
	}
	dom, ok := Domains[key]
	if !ok {
		return nil, Errorf(EINVALID, "未知维度 %q", "unknown dimension %q", key)
	}
	if !slices.Contains(dom, item) {
		return nil, Errorf(EINVALID, "%s=%s：应为 %s 之一", "%s=%s: expected one of %s", key, item, strings.Join(dom, ", "))
	}
	return []string{item}, nil
}

// ParseDims parses the dims column of a facts file ("sex=F;location=rural") into its
// canonical form (pairs sorted by key). Every value must be single; "" is the total.
func ParseDims(s string, allowed []string) (string, error) {
	f, err := ParseFilter(s, allowed)
	if err != nil {
		return "", err
	}
	if !f.Single() {
		return "", Errorf(EINVALID, "%q：数据中每个维度只取一个值", "%q: each dimension takes one value in a fact", s)
	}
	return f.String(), nil
}
