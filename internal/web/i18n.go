package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// Languages of the pages: Chinese first, English on request.
const (
	langZh = "zh"
	langEn = "en"
)

// langOf picks a page's language: ?lang=zh|en wins; else English when Accept-Language
// prefers English over Chinese; else Chinese.
func langOf(r *http.Request) string {
	switch l := queryValue(r, "lang"); l {
	case langZh, langEn:
		return l
	}
	if prefersEnglish(r.Header.Get("Accept-Language")) {
		return langEn
	}
	return langZh
}

// prefersEnglish reports whether an Accept-Language header ranks English above Chinese:
// by q-value, then by order.
func prefersEnglish(header string) bool {
	enQ, zhQ := -1.0, -1.0
	enAt, zhAt := -1, -1
	for i, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		switch {
		case primary == "en" && q > enQ:
			enQ, enAt = q, i
		case primary == "zh" && q > zhQ:
			zhQ, zhAt = q, i
		}
	}
	if enQ <= 0 {
		return false
	}
	return enQ > zhQ || (enQ == zhQ && enAt < zhAt)
}

// withLang returns the request's URL with ?lang set, keeping every other parameter.
func withLang(u *url.URL, lang string) string {
	q := u.Query()
	q.Set("lang", lang)
	return u.Path + "?" + q.Encode()
}

// pick returns one of the data's paired texts (an org's Name and NameEn, a status's
// Label and LabelEn) in the page's language; an English text that is missing falls back
// to the Chinese one. The pages' own words are in the locale catalogue, not here.
func pick(lang, zh, en string) string {
	if lang == langEn && en != "" {
		return en
	}
	return zh
}

// unitLabel is how a page writes an indicator's unit.
func unitLabel(lang, unit string) string {
	switch unit {
	case "ratio":
		return locale.T(lang, "unit_ratio")
	}
	zh, en := plan.UnitWords(unit) // a count has no English unit: "5–8", not "5–8 count"
	return pick(lang, zh, en)
}

// withUnit writes a formatted number with its unit: "41.17%", "49.18万人", "1.07",
// "10.8 years".
func withUnit(lang, number, unit string) string {
	switch unit {
	case "%":
		return number + "%"
	case "ratio":
		return number
	}
	if lang == langEn {
		if l := unitLabel(lang, unit); l != "" {
			return number + " " + l
		}
		return number
	}
	return number + unitLabel(lang, unit)
}

// unitShown writes a number of a table with its unit where the number alone misleads
// (92,052万元, 40 Gbps, 10.8年); counts of schools, lessons or people go bare, as their
// names say what is counted.
func unitShown(lang, number, unit string) string {
	switch unit {
	case "count", "个", "所", "节", "人", "":
		return number
	}
	return withUnit(lang, number, unit)
}

// attributeLabel is how a page writes an indicator's attribute.
func attributeLabel(lang string, a plan.Attribute) string {
	return pick(lang, a.Label(), a.LabelEn())
}

// statusLabel is how a page writes a progress status.
func statusLabel(lang string, s progress.Status) string {
	return pick(lang, s.Label(), s.LabelEn())
}

// formatNumber writes x with the decimals and "," between thousands, as both Chinese and
// English pages write numbers.
func formatNumber(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', max(decimals, 0), 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		s = s[1:]
		if strings.Trim(s, "0.") != "" { // no "-0.00"
			sign = "-"
		}
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
