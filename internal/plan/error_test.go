package plan_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestLoadDirErrorsCoded: a pack that cannot be loaded is said with a code and in both
// languages, so that the CLI exits with the code's status rather than as an internal
// error.
func TestLoadDirErrorsCoded(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	tests := []struct {
		dir, code, zh, en string
	}{
		{filepath.Join(dir, "missing"), plan.ENOTFOUND, "不存在", "does not exist"},
		{file, plan.EINVALID, "不是目录", "not a directory"},
		{empty, plan.EINVALID, "规划包有误", "pack.yaml"},
	}
	for _, tt := range tests {
		_, err := plan.LoadDir(tt.dir)
		zh, en := plan.ErrorMessages(err)
		if code := plan.ErrorCode(err); code != tt.code || !strings.Contains(zh, tt.zh) || !strings.Contains(en, tt.en) {
			t.Errorf("LoadDir(%s): %s %q / %q, want %s with %q", tt.dir, code, zh, en, tt.code, tt.zh)
		}
	}
}

// TestErrorCode: the code and messages are read through wrapping, from *Error and from
// any other Coded error; anything else is internal.
func TestErrorCode(t *testing.T) {
	tests := []struct {
		err      error
		code, zh string
	}{
		{plan.Errorf(plan.ENOTFOUND, "无 %d", "no %d", 7), plan.ENOTFOUND, "无 7"},
		{fmt.Errorf("read: %w", plan.Errorf(plan.EINVALID, "错", "wrong")), plan.EINVALID, "错"},
		{fmt.Errorf("load: %w", &plan.CheckError{Issues: []plan.Issue{{File: "pack.yaml", Message: "bad"}}}), plan.EINVALID, "规划包有误"},
		{errors.New("disk on fire"), plan.EINTERNAL, "内部错误"},
		{nil, plan.EINTERNAL, "内部错误"},
	}
	for _, tt := range tests {
		zh, _ := plan.ErrorMessages(tt.err)
		if code := plan.ErrorCode(tt.err); code != tt.code || !strings.Contains(zh, tt.zh) {
			t.Errorf("%v: %s %q, want %s %q", tt.err, code, zh, tt.code, tt.zh)
		}
	}
}
