package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPlanCheckCounts: plan check's summary counts what the pack holds — the built-in
// pack's 14 org units (the city and 13 districts), 76 elements (32 declared in
// elements.yaml, 44 computed from record kinds), 13 indicators, 56
// commitments, 12 key projects and 33 main tasks — and none of the optional files a
// pack leaves out.
func TestPlanCheckCounts(t *testing.T) {
	builtin := filepath.Join("..", "..", "internal", "plan", "packs", "yantai-2021-2025")
	out, _, err := run(t, "plan", "check", builtin)
	want := "yantai-2021-2025 1.0.0: ok (14 org units, 76 elements, 13 indicators, 56 commitments, 12 key projects, 33 main tasks)\n"
	if err != nil || out != want {
		t.Errorf("plan check = %q, %v; want %q", out, err, want)
	}
	// Without projects.yaml and tasks.yaml.
	dir := t.TempDir()
	entries, err := os.ReadDir(builtin)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "projects.yaml" || e.Name() == "tasks.yaml" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(builtin, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err = run(t, "plan", "check", dir)
	want = "yantai-2021-2025 1.0.0: ok (14 org units, 76 elements, 13 indicators, 56 commitments, 0 key projects, 0 main tasks)\n"
	if err != nil || out != want {
		t.Errorf("plan check without projects and tasks = %q, %v; want %q", out, err, want)
	}
}
