package main

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
)

// TestServeUploadDir: uploads are kept beside the database (<db>.uploads), not in the
// system's temporary directory, and what an upload killed midway (kill -9) left there
// is removed when the server starts.
func TestServeUploadDir(t *testing.T) {
	if fixture.Postgres() {
		t.Skip("about the directory beside a SQLite file; on PostgreSQL serve makes a temporary one")
	}
	db := tinyDB(t)
	if _, _, err := runIn(t, "district passphrase\n", "user", "add", "--db", db, "--name", "zhifu", "--role", "district_officer", "--org", "370602"); err != nil {
		t.Fatal(err)
	}
	uploads := db + ".uploads"
	leftover := filepath.Join(uploads, "eduplan-upload-1234567")
	if err := os.MkdirAll(leftover, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(leftover, "students.csv"), []byte("half a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	base, _ := startServe(t, db)
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("a killed upload's files are still there after start: %v", err)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/login", url.Values{"name": {"zhifu"}, "password": {"district passphrase"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", res, err)
	}
	// An upload held open halfway: its file is being written under <db>.uploads.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"/api/v1/imports", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := c.Do(req)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	fw, err := mw.CreateFormFile("file", "facts.csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, "year,org,element,dims,value\n")
	var inFlight []string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && len(inFlight) == 0; time.Sleep(20 * time.Millisecond) {
		inFlight, _ = filepath.Glob(filepath.Join(uploads, "eduplan-upload-*", "facts.csv"))
	}
	if len(inFlight) == 0 {
		t.Errorf("no upload in progress under %s", uploads)
	}
	io.WriteString(fw, "2020,370602,working_age_schooling_years,,11.9\n")
	mw.Close()
	pw.Close()
	if status := <-done; status != http.StatusCreated {
		t.Errorf("upload: %d, want 201", status)
	}
	if left, _ := filepath.Glob(filepath.Join(uploads, "*")); len(left) != 0 {
		t.Errorf("a finished upload left %v", left)
	}
}
