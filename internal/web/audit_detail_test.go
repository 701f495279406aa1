package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
)

// TestAuditDetailInLanguage: the audit page's 说明 column is in the page's language: a
// user added and a task edited read in Chinese at /audit, in English at ?lang=en. The
// details were written in English only.
func TestAuditDetailInLanguage(t *testing.T) {
	s, svc, _ := tinyServer(t)
	if _, err := svc.AddUser(context.Background(), auth.Actor{Name: "test"},
		auth.NewUser{Name: "cityadmin", Role: auth.Admin, Org: "370600", Password: "admin of the city"}); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, s.URL, "cityadmin", "admin of the city")
	same := []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"}
	if res, body := do(t, c, "PATCH", s.URL+"/api/v1/tasks/7", strings.NewReader(`{"status":"in_progress"}`), same...); res.StatusCode != 200 {
		t.Fatalf("editing task 7: %d %.300s", res.StatusCode, body)
	}
	tests := []struct {
		url       string
		want, not []string
	}{
		{"/audit", []string{"角色 admin，机构 370600", "状态 未启动 → 进行中"}, []string{"role admin on", "status not_started"}},
		{"/audit?lang=en", []string{"role admin on 370600", "status not_started → in_progress"}, []string{"角色", "状态"}},
	}
	for _, tt := range tests {
		_, body := do(t, c, "GET", s.URL+tt.url, nil)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tt.url, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(body, n) {
				t.Errorf("%s has %q", tt.url, n)
			}
		}
	}
}
