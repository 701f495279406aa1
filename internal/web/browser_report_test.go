package web_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserReport opens the review, editions and open data pages and the HTML report in
// chromium: no console error, no refused Content-Security-Policy, the report's style
// sheet applied (its tables' borders collapse) and every chart image decoded.
func TestBrowserReport(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium (CI runs it)")
	}
	exe := chromium(t)
	shots := screenshotDir(t)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	var seen problems
	if err := chromedp.Listen(ctx, seen.listen); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path string }{
		{"review-zh", "/review"},
		{"review-live-en", "/review?live=true&lang=en"},
		{"editions-zh", "/editions"},
		{"open-data-en", "/open-data?lang=en"},
		{"report-final-zh", "/reports/final/2025"},
		{"report-midterm-en", "/reports/midterm/2023?lang=en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
			defer cancel()
			seen.take()
			res, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+tc.path))
			if err != nil {
				t.Fatalf("navigate: %v", err)
			}
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			if tc.name[:6] == "report" {
				collapse, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("table")).borderCollapse`))
				if err != nil || collapse != "collapse" {
					t.Errorf("the report's style sheet is not applied: border-collapse %q %v", collapse, err)
				}
				broken, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.images).filter(function (i) { return !i.complete || i.naturalWidth === 0 }).length + (document.images.length === 0 ? 1000 : 0)`))
				if err != nil || broken != 0 {
					t.Errorf("%d chart images not shown (%v)", broken, err)
				}
			}
			screenshot(ctx, t, filepath.Join(shots, tc.name+".png"))
			for _, p := range seen.take() {
				t.Errorf("%s: %s", tc.path, p)
			}
		})
	}
}
