package edition

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/yantai-edu/eduplan/internal/store"
)

// Decoding an edition's JSON was most of what a page, report or download of a frozen
// edition cost (40% of the CPU of serving them, in a profile of the web tests). An
// edition never changes once frozen, so the last ones decoded are kept, keyed by their
// tenant, number and SHA-256: the store still reads, unpacks and checks the content
// against its hash on every Open, and only content that matched is looked up here, so
// a kept Content is always that of the bytes just read.

// decodedBytes bounds the JSON behind the contents kept (a Yantai-size edition is a few
// MiB of JSON).
const decodedBytes = 64 << 20

type decodedKey struct {
	tenant string
	number int
	sha256 string
}

type decodedEntry struct {
	key     decodedKey
	size    int
	content *Content
}

// decodedCache keeps decoded contents, most recently used last.
type decodedCache struct {
	mu      sync.Mutex
	max     int
	size    int
	entries []decodedEntry
}

var decoded = &decodedCache{max: decodedBytes}

// content returns the decoded content of se, from the cache or by decoding it.
func (dc *decodedCache) content(tenant string, se *store.Edition) (*Content, error) {
	k := decodedKey{tenant, se.Number, se.SHA256}
	dc.mu.Lock()
	for i, e := range dc.entries {
		if e.key == k {
			dc.entries = append(append(dc.entries[:i:i], dc.entries[i+1:]...), e)
			dc.mu.Unlock()
			return e.content, nil
		}
	}
	dc.mu.Unlock()
	var c Content
	if err := json.Unmarshal(se.Content, &c); err != nil {
		return nil, fmt.Errorf("edition %d: %w", se.Number, err)
	}
	dc.add(decodedEntry{k, len(se.Content), &c})
	return &c, nil
}

func (dc *decodedCache) add(e decodedEntry) {
	if e.size > dc.max {
		return
	}
	dc.mu.Lock()
	defer dc.mu.Unlock()
	for _, old := range dc.entries {
		if old.key == e.key {
			return // decoded meanwhile by another request
		}
	}
	dc.entries = append(dc.entries, e)
	dc.size += e.size
	for dc.size > dc.max {
		dc.size -= dc.entries[0].size
		dc.entries = dc.entries[1:]
	}
}
