package indicator

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Live is the engine a server reads, kept fresh: after an import through the server
// (Refresh), and after one committed to the same database by another process, such as
// the command line's import (Watch). Readers take the engine once per request and
// keep it; a refreshed one is stored whole.
type Live struct {
	// Prepare, if set (before the first Refresh or Watch), is called with each
	// refreshed engine before readers get it: a server renders its most read answers
	// from it there, so that no reader waits for them after an import.
	Prepare func(*Engine)

	db     *store.DB
	tenant string
	cur    atomic.Pointer[Engine]
	mu     sync.Mutex // one refresh at a time
	seen   int64      // the newest batch the engine holds
}

// NewLive loads the engine of the pack over the database.
func NewLive(ctx context.Context, db *store.DB, pack *plan.Pack) (*Live, error) {
	l := &Live{db: db, tenant: pack.Tenant}
	// The batch is read before the data: an import committed in between is then
	// refreshed once more, never missed.
	seen, err := db.LastBatch(ctx, l.tenant)
	if err != nil {
		return nil, err
	}
	e, err := Load(ctx, db, pack)
	if err != nil {
		return nil, err
	}
	l.seen = seen
	l.cur.Store(e)
	return l, nil
}

// Engine returns the current engine.
func (l *Live) Engine() *Engine { return l.cur.Load() }

// Refresh brings the engine up to date with every import committed since it was
// loaded or last refreshed, recomputing only the years and districts they replaced
// (Reload). It reports how many scopes it recomputed; 0 when nothing was imported.
func (l *Live) Refresh(ctx context.Context) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	last, err := l.db.LastBatch(ctx, l.tenant)
	if err != nil || last == l.seen {
		return 0, err
	}
	scopes, err := l.db.ReplacedSince(ctx, l.tenant, l.seen)
	if err != nil {
		return 0, err
	}
	e, err := l.cur.Load().Reload(ctx, l.db, scopes)
	if err != nil {
		return 0, err
	}
	if l.Prepare != nil {
		l.Prepare(e)
	}
	l.cur.Store(e)
	l.seen = last
	return len(scopes), nil
}

// Watch refreshes the engine every interval until ctx ends, so that imports made by
// another process show within an interval; on PostgreSQL also as soon as one is
// announced (store.DB.Imports), which is how several servers on one database see each
// other's imports at once. A poll is one indexed query; errors are logged and the next
// poll tries again.
func (l *Live) Watch(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	imports, err := l.db.Imports(ctx, l.tenant) // nil on SQLite: polls alone
	if err != nil {
		log.Error("listen for imports; polling alone", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-imports:
		}
		start := time.Now()
		n, err := l.Refresh(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("refresh indicators after an import", "err", err)
		case n > 0:
			log.Info("indicators recomputed after an import by another process", "scopes", n, "took", time.Since(start).Round(time.Microsecond))
		}
	}
}
