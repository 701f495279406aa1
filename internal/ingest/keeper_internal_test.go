package ingest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeeper: the kept copy is the file gzipped, readable by compress/gzip, and only
// if it is the file that was hashed: a keeper may begin before the hash is known
// (prepareFiles), so wait checks it against the file's hash when it is.
func TestKeeper(t *testing.T) {
	text := []byte(strings.Repeat("2020,S5CAD0676801B,3706020001,preschool,1,M,2016-12-05,local\n", 5000))
	path := filepath.Join(t.TempDir(), "students.csv")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(text)
	f := &file{path: path, name: "students.csv", size: int64(len(text))}
	k := keep(f)
	f.sha = hex.EncodeToString(sum[:]) // known after the keeper began
	content, err := k.wait(f)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, text) {
		t.Errorf("kept copy: %d bytes, %v; want the file's %d", len(got), err, len(text))
	}

	other := sha256.Sum256([]byte("the file as it was hashed"))
	f.sha = hex.EncodeToString(other[:])
	if _, err := keep(f).wait(f); err == nil || !strings.Contains(err.Error(), "changed while it was imported") {
		t.Errorf("a file other than the one hashed: %v, want it refused", err)
	}
}
