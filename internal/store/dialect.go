package store

// dialect names the database eduplan runs on, which picks the migrations' folder.
// SQLite is the only one; nothing else differs by dialect yet (see the package doc).
type dialect interface {
	name() string
}

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }
