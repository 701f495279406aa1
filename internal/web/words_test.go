package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// visibleText is what a reader sees of a page: its text without scripts, styles, tags
// and attributes.
func visibleText(body []byte) string {
	s := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>`).ReplaceAllString(string(body), " ")
	s = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(s, " ")
	return html.UnescapeString(s)
}

// TestPagesSpeakWords: the pages name things in words, in Chinese and in English, and
// keep codes for the API. They showed the commitments' codes beside their names
// (kg_public_new on /projects and /review), the kinds of data by code in the upload
// form's list (students), audit actions by code (task.edit), and the review's figures
// without units (92,052 for 万元).
func TestPagesSpeakWords(t *testing.T) {
	codes := []string{"kg_public_new", "kg_public_share", "education_spending", "non_decreasing", "at_least", "task.edit"}
	for _, tt := range []struct {
		path string
		want []string // words that must be there
	}{
		{"/projects", []string{"新增公办幼儿园"}},
		{"/projects?lang=en", []string{"New public kindergartens"}},
		{"/review", []string{"万元"}},
		{"/review?lang=en", []string{"×10,000 yuan"}},
		{"/imports", []string{"学生名册", "教师名册"}},
		{"/imports?lang=en", []string{"Students roster"}},
		{"/audit", nil},
		{"/audit?lang=en", nil},
	} {
		res, body := get(t, tt.path)
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", tt.path, res.StatusCode)
			continue
		}
		text := visibleText(body)
		for _, c := range codes {
			if strings.Contains(text, c) {
				t.Errorf("%s shows the code %q", tt.path, c)
			}
		}
		if regexp.MustCompile(`\b(students|teachers|institutions|population|facts)\b`).MatchString(strings.ToLower(text)) && strings.Contains(tt.path, "/imports") {
			if m := regexp.MustCompile(`(?m)^\s*(students|teachers|institutions|population|facts)\s*$`).FindString(text); m != "" {
				t.Errorf("%s lists a kind of data by its code: %q", tt.path, strings.TrimSpace(m))
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", tt.path, w)
			}
		}
	}
}
