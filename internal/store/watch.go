package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// importsChannel is the PostgreSQL channel on which a committed import is announced,
// with its tenant as the payload.
const importsChannel = "eduplan_imports"

// announceBatch announces the transaction's import to every process listening on the
// database (Imports): on PostgreSQL, a notification sent when, and only if, the
// transaction commits. SQLite has no such thing.
func (tx *Tx) announceBatch(ctx context.Context) error {
	if _, ok := tx.db.dialect.(postgres); !ok {
		return nil
	}
	_, err := tx.exec(ctx, `SELECT pg_notify('`+importsChannel+`', ?)`, tx.Tenant)
	return err
}

// Imports returns a channel that receives a value soon after an import of the tenant
// commits, from this process or another one on the same PostgreSQL database, until ctx
// ends. Values do not queue: one pending stands for any number of imports. It is nil
// on SQLite, where LastBatch is to be polled. A lost connection is made again, every
// second until it is back; LastBatch still tells what committed meanwhile.
func (db *DB) Imports(ctx context.Context, tenant string) (<-chan struct{}, error) {
	if db.pgConfig == nil {
		return nil, nil
	}
	c, err := db.listen(ctx)
	if err != nil {
		return nil, fmt.Errorf("listen for imports: %w", err)
	}
	ch := make(chan struct{}, 1)
	go func() {
		defer func() { c.Close(context.WithoutCancel(ctx)) }()
		for {
			n, err := c.WaitForNotification(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				c.Close(ctx)
				for c, err = db.listen(ctx); err != nil; c, err = db.listen(ctx) {
					select {
					case <-ctx.Done():
						return
					case <-time.After(time.Second):
					}
				}
				n = &pgconn.Notification{Payload: tenant} // something may have committed meanwhile
			}
			if n.Payload == tenant {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		}
	}()
	return ch, nil
}

func (db *DB) listen(ctx context.Context) (*pgx.Conn, error) {
	c, err := pgx.ConnectConfig(ctx, db.pgConfig)
	if err != nil {
		return nil, err
	}
	if _, err := c.Exec(ctx, `LISTEN `+importsChannel); err != nil {
		c.Close(ctx)
		return nil, err
	}
	return c, nil
}

// LastBatch returns the id of the tenant's newest batch (0 if none): it changes when
// and only when an import commits, from this process or another one.
func (db *DB) LastBatch(ctx context.Context, tenant string) (int64, error) {
	var id int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM batches WHERE tenant = ?`, tenant).Scan(&id); err != nil {
		return 0, fmt.Errorf("last batch: %w", err)
	}
	return id, nil
}

// ReplacedSince returns the years and districts (or the city, for the facts it
// reports) whose current snapshot a batch newer than after holds: what the imports
// committed since batch after replaced.
func (db *DB) ReplacedSince(ctx context.Context, tenant string, after int64) ([]YearDistrict, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT year, scope FROM snapshots
		WHERE tenant = ? AND batch_id > ? ORDER BY year, scope`, tenant, after)
	if err != nil {
		return nil, fmt.Errorf("scopes since batch %d: %w", after, err)
	}
	defer rows.Close()
	var out []YearDistrict
	for rows.Next() {
		var s YearDistrict
		if err := rows.Scan(&s.Year, &s.District); err != nil {
			return nil, fmt.Errorf("scopes since batch %d: %w", after, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
