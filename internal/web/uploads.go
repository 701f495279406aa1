package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// uploadPrefix begins the name of the directory an upload is kept in while it is
// imported (removed when the import ends).
const uploadPrefix = "eduplan-upload-"

// CleanUploads makes the directory uploads are kept in (serve puts it beside the
// database: an upload may be as large as a year's roster, more than a small /tmp
// holds) and removes what uploads cut short by a killed server left in it.
func CleanUploads(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("upload directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("upload directory: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), uploadPrefix) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("remove a left-over upload: %w", err)
			}
		}
	}
	return nil
}
