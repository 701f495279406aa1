package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestPrefersEnglish(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"zh-CN,zh;q=0.9", false},
		{"en", true},
		{"en-US,en;q=0.9", true},
		{"en-US,en;q=0.9,zh-CN;q=0.8", true},
		{"zh-CN,zh;q=0.9,en;q=0.8", false},
		{"zh;q=0.5, en;q=0.7", true},
		{"en;q=0.5, zh;q=0.5", true}, // equal: the first listed
		{"zh;q=0.5, en;q=0.5", false},
		{"en;q=0", false},
		{"fr, de", false},
		{"fr, en;q=0.3", true},
		{"ZH-tw, EN;q=0.8", false},
	} {
		if got := prefersEnglish(tc.header); got != tc.want {
			t.Errorf("prefersEnglish(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		x        float64
		decimals int
		want     string
	}{
		{41.17, 2, "41.17"},
		{41.166, 2, "41.17"},
		{100, 1, "100.0"},
		{49.18, 2, "49.18"},
		{1234567.891, 2, "1,234,567.89"},
		{123456, 0, "123,456"},
		{1000, 0, "1,000"},
		{999, 0, "999"},
		{-1234.5, 1, "-1,234.5"},
		{-0.001, 2, "0.00"},
		{1.07, 2, "1.07"},
	} {
		if got := formatNumber(tc.x, tc.decimals); got != tc.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tc.x, tc.decimals, got, tc.want)
		}
	}
}

func TestRecoverPanics(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	h := s.logRequests(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret detail")
	})))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/values", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d", w.Code)
	}
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if e.Error != (errorDetail{Code: "internal", Message: "内部错误", MessageEn: "Internal error"}) {
		t.Errorf("error %+v", e.Error)
	}
}
