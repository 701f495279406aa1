package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// Backup writes a consistent copy of a SQLite database to a new file at path while the
// database stays in use: readers and writers go on, and the copy is the database as
// one committed state (VACUUM INTO, compacted). A PostgreSQL database is backed up by
// PostgreSQL's own tools (pg_dump), which Backup says.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, ok := db.dialect.(postgres); ok {
		return plan.Errorf(plan.EINVALID, "PostgreSQL 数据库请用 pg_dump 备份（如 pg_dump -Fc -f eduplan.dump 数据库URL），用 pg_restore 恢复",
			"back a PostgreSQL database up with pg_dump (such as pg_dump -Fc -f eduplan.dump DATABASE_URL) and restore it with pg_restore")
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return plan.Errorf(plan.ECONFLICT, "备份文件 %s 已存在，不覆盖", "the backup file %s exists already; it is not overwritten", path)
	}
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
