package locale

import (
	"slices"
	"strings"
	"testing"
)

func TestMergeRefusesDuplicate(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("merge kept a key defined in two families")
		}
		if !strings.Contains(r.(string), `"app"`) {
			t.Errorf("panic %q does not name the key", r)
		}
	}()
	merge(catalogue{"app": {"教育规划监测", "Education plan monitoring"}}, catalogue{"app": {"另一个", "another"}})
}

// TestBothLanguages: every key has its Chinese and its English, neither empty nor
// padded, and a format string has the same verbs in both.
func TestBothLanguages(t *testing.T) {
	for _, k := range Keys() {
		tx, _ := Lookup(k)
		for lang, s := range map[string]string{Zh: tx.Zh, En: tx.En} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: no %s text", k, lang)
			}
		}
		if a, b := verbs(tx.Zh), verbs(tx.En); a != b {
			t.Errorf("%s: verbs %q in Chinese, %q in English", k, a, b)
		}
	}
}

// verbs lists a format string's verbs (%s, %d, %.1f, %[2]d: the ones the catalogue
// uses) sorted, as English may reorder them ("%[2]d of %[1]d"); a bare "30%" is no verb.
func verbs(s string) string {
	var v []string
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 >= len(s) {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("0123456789.[]", s[j]) >= 0 {
			j++
		}
		if j < len(s) && strings.IndexByte("sdvfq", s[j]) >= 0 {
			v = append(v, string(s[j]))
		}
		i = j
	}
	slices.Sort(v)
	return strings.Join(v, "")
}

func TestT(t *testing.T) {
	for _, tc := range []struct{ lang, key, want string }{
		{Zh, "login", "登录"},
		{En, "login", "Sign in"},
		{"", "login", "登录"},
		{Both, "login", "登录 Sign in"},
		{En, "no_such_key", "no_such_key"},
	} {
		if got := T(tc.lang, tc.key); got != tc.want {
			t.Errorf("T(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}

// TestIn: the one rule for choosing a language, for the catalogue and the data's
// paired fields alike (the command line's --lang both included).
func TestIn(t *testing.T) {
	for _, tc := range []struct {
		t          Text
		lang, want string
	}{
		{Text{"指标", "indicator"}, Zh, "指标"},
		{Text{"指标", "indicator"}, En, "indicator"},
		{Text{"指标", "indicator"}, Both, "指标 indicator"},
		{Text{"指标", ""}, En, "指标"},
		{Text{"指标", ""}, Both, "指标"},
		{Text{"", "indicator"}, Both, "indicator"},
		{Text{"370602", "370602"}, Both, "370602"},
		{Text{"", "indicator"}, Zh, ""},
	} {
		if got := tc.t.In(tc.lang); got != tc.want {
			t.Errorf("%v.In(%q) = %q, want %q", tc.t, tc.lang, got, tc.want)
		}
	}
}

// TestF: with Both, each language's format is filled on its own before they are joined.
func TestF(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{Zh, "约5（±1）"},
		{En, "about 5 (±1)"},
		{Both, "约5（±1） about 5 (±1)"},
	} {
		if got := F(tc.lang, "cli_about_band", "5", "1"); got != tc.want {
			t.Errorf("F(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}
