package plan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Choose returns the pack a command works with, given --plan (dir) and --tenant
// (tenant). A province runs one database for all its cities, each city (tenant) with
// its own pack:
//
//   - dir is "" (the built-in pack only), the directory of one pack (it holds
//     pack.yaml), or a directory of packs, one per subdirectory: the province's cities.
//   - tenant is "" (the one pack there is: the built-in one, dir's, or the only one under
//     dir) or a city's code: the pack under dir whose tenant it is, else the built-in
//     pack when the code is its (370600, Yantai).
//
// Only the chosen pack is loaded and checked; of the others only pack.yaml is read.
func Choose(dir, tenant string) (*Pack, error) {
	tenant = strings.TrimSpace(tenant)
	dirs, err := packDirs(dir)
	if err != nil {
		return nil, err
	}
	if tenant == "" {
		switch len(dirs) {
		case 0:
			return Builtin()
		case 1:
			return LoadDir(dirs[0])
		}
	}
	var found []string
	tenants := map[string]string{} // tenant → its pack's directory, for the message
	for _, d := range dirs {
		t, err := tenantOf(d)
		if err != nil {
			return nil, err
		}
		tenants[t] = d
		if t == tenant {
			found = append(found, d)
		}
	}
	switch {
	case tenant == "":
		return nil, Errorf(EINVALID, "%s 下有 %d 个城市的规划包，请用 --tenant 指定其一：%s",
			"%s holds the packs of %d cities: name one with --tenant: %s", dir, len(dirs), tenantList(tenants))
	case len(found) == 1:
		return LoadDir(found[0])
	case len(found) > 1:
		return nil, Errorf(EINVALID, "%s 下有 %d 个城市 %s 的规划包：%s", "%s holds %d packs of tenant %s: %s",
			dir, len(found), tenant, strings.Join(found, ", "))
	}
	b, err := Builtin()
	if err != nil {
		return nil, err
	}
	if b.Tenant == tenant {
		return b, nil
	}
	tenants[b.Tenant] = "built-in"
	return nil, Errorf(ENOTFOUND, "没有城市 %s 的规划包（有：%s）", "no plan pack has tenant %s (there are: %s)", tenant, tenantList(tenants))
}

// packDirs returns the pack directories --plan names: none for "", dir itself when it
// holds a pack, else its subdirectories that hold one; with none, the error of loading
// dir as a pack.
func packDirs(dir string) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	if isFile(filepath.Join(dir, "pack.yaml")) {
		return []string{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		_, err := LoadDir(dir) // says what is wrong with dir, as for one pack
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		if d := filepath.Join(dir, e.Name()); e.IsDir() && isFile(filepath.Join(d, "pack.yaml")) {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		_, err := LoadDir(dir) // lists what a pack's directory lacks, as for one pack
		return nil, err
	}
	return dirs, nil
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// tenantOf reads the tenant of the pack in dir from its pack.yaml alone.
func tenantOf(dir string) (string, error) {
	l := &loader{fsys: os.DirFS(dir)}
	var t string
	if n := l.document("pack.yaml"); n != nil {
		t = l.mapping("pack.yaml", "", n).str("tenant", true)
	}
	if len(l.issues) > 0 {
		for i := range l.issues {
			l.issues[i].File = filepath.Join(dir, l.issues[i].File)
		}
		return "", &CheckError{Issues: l.issues}
	}
	return t, nil
}

// tenantList writes the tenants and where their packs are: "370600 (built-in), 371000
// (packs/weihai)".
func tenantList(tenants map[string]string) string {
	keys := make([]string, 0, len(tenants))
	for t := range tenants {
		keys = append(keys, t)
	}
	slices.Sort(keys)
	for i, t := range keys {
		keys[i] = t + " (" + tenants[t] + ")"
	}
	return strings.Join(keys, ", ")
}
