package web_test

import (
	"strings"
	"testing"
)

// TestPagesNameTheirZone: every page names the zone of its times, Asia/Shanghai by
// default, and the data page shows import times in it (it printed them in UTC while
// the ledger printed Beijing dates, neither saying so).
func TestPagesNameTheirZone(t *testing.T) {
	for _, path := range []string{"/", "/data", "/projects", "/data?lang=en", "/indicators/kg_public_share"} {
		res, body := get(t, path)
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", path, res.StatusCode)
			continue
		}
		if !strings.Contains(string(body), "Asia/Shanghai") {
			t.Errorf("%s does not name the zone of its times", path)
		}
		if strings.Contains(string(body), " UTC<") || strings.Contains(string(body), " UTC ") {
			t.Errorf("%s shows times in UTC", path)
		}
	}
}
