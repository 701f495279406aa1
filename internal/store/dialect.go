package store

// dialect holds what differs between the databases eduplan runs on. SQLite is the only
// one so far; PostgreSQL will be a second implementation of this and a second folder of
// migrations (statements use ? placeholders, which a PostgreSQL dialect rebinds).
type dialect interface {
	name() string
}

type sqlite struct{}

func (sqlite) name() string { return "sqlite" }
