package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestChoose picks a city's pack by --plan and --tenant: the built-in one, a pack's
// directory, or one of a directory of packs; a tenant that no pack has, two packs of
// one tenant, and several packs with no tenant named are refused, saying which
// tenants there are.
func TestChoose(t *testing.T) {
	_, packs := fixture.SecondCity(t)
	weihai := filepath.Join(packs, "weihai")
	// Two packs of one tenant: a province's mistake.
	twice := filepath.Join(t.TempDir(), "twice")
	for _, name := range []string{"a", "b"} {
		if err := os.CopyFS(filepath.Join(twice, name), os.DirFS(weihai)); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	tests := []struct {
		dir, tenant string
		want        string // the pack's tenant, or the error's code
		msg         string // in the error's English message
	}{
		{"", "", "370600", ""},
		{"", "370600", "370600", ""},
		{"", " 370600 ", "370600", ""},
		{"", "371000", plan.ENOTFOUND, "no plan pack has tenant 371000 (there are: 370600 (built-in))"},
		{weihai, "", "371000", ""},
		{weihai, "371000", "371000", ""},
		{weihai, "370600", "370600", ""},
		{packs, "", "371000", ""}, // the only pack there
		{packs, "371000", "371000", ""},
		{packs, "370600", "370600", ""},
		{packs, "370100", plan.ENOTFOUND, "(there are: 370600 (built-in), 371000 (" + weihai + "))"},
		{twice, "371000", plan.EINVALID, "holds 2 packs of tenant 371000"},
		{twice, "", plan.EINVALID, "holds the packs of 2 cities: name one with --tenant"},
		{twice, "370600", "370600", ""},
		{empty, "", plan.EINVALID, "pack.yaml:0: : no such file or directory"},
		{filepath.Join(empty, "missing"), "", plan.ENOTFOUND, "does not exist"},
	}
	for _, tt := range tests {
		p, err := plan.Choose(tt.dir, tt.tenant)
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("Choose(%q, %q): %v", tt.dir, tt.tenant, err)
		case tt.msg == "" && p.Tenant != tt.want:
			t.Errorf("Choose(%q, %q) = the pack of %s, want %s", tt.dir, tt.tenant, p.Tenant, tt.want)
		case tt.msg != "" && (plan.ErrorCode(err) != tt.want || !strings.Contains(err.Error(), tt.msg)):
			t.Errorf("Choose(%q, %q): %v (%s), want %s: %q", tt.dir, tt.tenant, err, plan.ErrorCode(err), tt.want, tt.msg)
		case tt.msg != "":
			if zh, _ := plan.ErrorMessages(err); zh == "" || zh == err.Error() {
				t.Errorf("Choose(%q, %q): no Chinese message: %q", tt.dir, tt.tenant, zh)
			}
		}
	}
}
