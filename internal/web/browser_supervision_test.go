package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
	"github.com/yantai-edu/eduplan/internal/web"
)

// TestBrowserSupervision walks one round of supervision end to end in Chinese, as the
// people who take each step would: the city's inspector opens it; Zhifu's officer
// answers every item with a PDF as evidence and submits; the inspector returns one item
// and the self-evaluation; the officer revises and resubmits; the inspector accepts
// every item, raises a finding and verifies; the officer rectifies and submits for
// re-check; the inspector closes the case. Its own database (the tiny data set), so
// the shared fixture is not changed.
func TestBrowserSupervision(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium (CI runs it)")
	}
	exe := chromium(t)
	shots := screenshotDir(t)
	bg := context.Background()
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(bg, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	users := auth.NewService(db, pack)
	for _, u := range []auth.NewUser{{Name: "duxue", Role: auth.Inspector, Org: "370600", Password: "password-of-duxue"},
		{Name: "zhifu", Role: auth.DistrictOfficer, Org: "370602", Password: "password-of-zhifu"}} {
		if _, err := users.AddUser(bg, auth.Actor{Name: "test"}, u); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: func() *indicator.Engine { return e }, Auth: users,
		Logger: slog.New(slog.DiscardHandler)}).Handler())
	defer srv.Close()
	evidence := filepath.Join(t.TempDir(), "教育经费执行情况.pdf")
	if err := os.WriteFile(evidence, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	alloc, cancel := chromedp.NewExecAllocator(bg, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
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
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	b := &walker{t: t, ctx: ctx, base: srv.URL, shots: shots, seen: &seen}
	const evalPath = "/supervision/rounds/1/370602"
	items := []string{"D1", "D2", "D3", "D4", "D5"}

	// The inspector opens the round over Zhifu.
	b.signIn("duxue")
	b.go_("/supervision")
	b.set("#r-title", "2020 年区市政府履行教育职责督导")
	b.set("#r-subject", "checklist:district_duty")
	b.set("#r-year", "2020")
	b.click(`input[name=org][value="370602"]`)
	b.set("#r-self", "2026-12-20")
	b.set("#r-rectify", "2027-01-31")
	b.submit("#open-round")
	b.want("h1", "2020 年区市政府履行教育职责督导")
	b.shot("sup-1-round-opened")

	// Zhifu's officer finds it awaiting them, answers every item, attaches a PDF to D1
	// and submits.
	b.signIn("zhifu")
	b.go_("/supervision")
	b.want(".sup-inbox", "芝罘区")
	b.shot("sup-2-inbox-officer")
	b.go_(evalPath)
	for _, it := range items {
		b.set("select[name=answer_"+it+"]", "met")
		b.set("textarea[name=note_"+it+"]", "已落实，见佐证材料。")
	}
	b.upload("input[name=file_D1]", evidence)
	b.shot("sup-3-self-evaluation-form")
	b.submit("#submit")
	b.want("#eval-state", "已提交")
	b.want("#item-D1", "教育经费执行情况.pdf")

	// The inspector returns D2 with a reason, and the self-evaluation with it.
	b.signIn("duxue")
	b.go_("/supervision")
	b.want(".sup-inbox", "验证通过")
	b.go_(evalPath)
	b.set(`#item-D2 input[name=reason]`, "缺少中小学布局规划文件")
	b.submit(`button.return[data-item="D2"]`)
	b.want("#item-D2", "已退回")
	b.set("#ret-reason", "D2 须补充布局规划文件后重新提交")
	b.submit("#return-eval")
	b.want("#eval-state", "已退回")
	b.shot("sup-4-returned")

	// The officer sees why, revises D2 and resubmits.
	b.signIn("zhifu")
	b.go_(evalPath)
	b.want("#item-D2", "缺少中小学布局规划文件")
	b.set("textarea[name=note_D2]", "已补充《芝罘区中小学幼儿园布局规划（2021—2025）》。")
	b.submit("#submit")
	b.want("#eval-state", "已提交")
	b.want("#submission", "第 2 次提交")

	// The inspector accepts every item, raises a finding on D4 and verifies.
	b.signIn("duxue")
	b.go_(evalPath)
	for _, it := range items {
		b.submit(`button.accept[data-item="` + it + `"]`)
		b.want("#item-"+it, "已认可")
	}
	b.set("#f-item", "D4")
	b.set("#f-text", "部分学校安全风险台账未按月更新")
	b.submit("#raise")
	b.want("#h-cases", "问题")
	b.submit("#verify")
	b.want("#eval-state", "已验证")
	b.shot("sup-5-verified")

	// The officer rectifies: starts, then submits for re-check with a note and evidence.
	b.signIn("zhifu")
	b.go_("/supervision")
	b.want(".sup-inbox", "部分学校安全风险台账未按月更新")
	b.go_("/supervision/cases/1")
	b.set("#s-do", "start")
	b.set("#s-note", "已部署全区学校逐月更新")
	b.submit("#step")
	b.want("#case-state", "整改中")
	b.set("#s-do", "submit")
	b.set("#s-note", "全部学校台账已更新至 11 月")
	b.upload("#s-file", evidence)
	b.submit("#step")
	b.want("#case-state", "待复查")
	b.shot("sup-6-case-submitted")

	// The inspector re-checks and closes the case.
	b.signIn("duxue")
	b.go_("/supervision")
	b.want(".sup-inbox", "复查通过并销号")
	b.go_("/supervision/cases/1")
	b.set("#s-do", "close")
	b.set("#s-note", "复查通过")
	b.submit("#step")
	b.want("#case-state", "已销号")
	b.shot("sup-7-case-closed")
	b.go_("/supervision/rounds/1")
	b.want("#org-370602", "已验证")
	b.shot("sup-8-round-report")

	// A round of computed items: the officer sees each indicator's value now, and once
	// submitted the value as submitted beside it.
	svc := &sv.Service{DB: db, Pack: pack, Engine: func() *indicator.Engine { return e }}
	city := sv.Actor{Principal: auth.Principal{User: "duxue", Role: auth.Inspector, Org: "370600"}}
	if _, err := svc.OpenRound(bg, city, sv.NewRound{Title: "2020 年主要指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602"}}); err != nil {
		t.Fatal(err)
	}
	b.signIn("zhifu")
	b.go_("/supervision/rounds/2/370602")
	b.want("#item-kg_public_share", "%")
	b.submit("#submit")
	b.want("#submission", "第 1 次提交")
	b.shot("sup-9-indicators-submitted")
	if p := seen.take(); len(p) > 0 {
		t.Errorf("problems on the pages:\n%s", strings.Join(p, "\n"))
	}
}

// walker drives the browser through the supervision pages.
type walker struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	seen  *problems
}

func (b *walker) go_(path string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path)); err != nil {
		b.t.Fatalf("%s: %v", path, err)
	}
}

func (b *walker) set(sel, v string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.SetValue(chromedp.CSS(sel), v)); err != nil {
		b.t.Fatalf("set %s: %v", sel, err)
	}
}

func (b *walker) click(sel string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}

func (b *walker) upload(sel, file string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file})); err != nil {
		b.t.Fatalf("upload into %s: %v", sel, err)
	}
}

// submit clicks a form's button and waits for the page it leads to; a page that says
// an error (the error page's section) fails the test with its message.
func (b *walker) submit(sel string) {
	b.t.Helper()
	cctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(cctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.t.Fatalf("submit %s: %v", sel, err)
	}
	msg, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector("section.error") || {}).textContent || ""`))
	if msg != "" {
		b.t.Fatalf("submit %s: %s", sel, strings.Join(strings.Fields(msg), " "))
	}
}

// want fails unless the element's text holds s.
func (b *walker) want(sel, s string) {
	b.t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {}).textContent || ""`))
	if err != nil || !strings.Contains(got, s) {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("at %s, %s says %q, want %q (%v)", loc, sel, strings.Join(strings.Fields(got), " "), s, err)
	}
}

func (b *walker) shot(name string) {
	b.t.Helper()
	screenshot(b.ctx, b.t, filepath.Join(b.shots, name+".png"))
}

// signIn signs out whoever is signed in and signs in as the user (password
// "password-of-<name>").
func (b *walker) signIn(name string) {
	b.t.Helper()
	b.go_("/login")
	if has, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!document.querySelector("form.logout button")`)); has {
		b.submit("form.logout button")
		b.go_("/login")
	}
	b.set("#login-name", name)
	b.set("#login-password", "password-of-"+name)
	b.submit("#main form.form button")
	who, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(".top .who") || {}).textContent || ""`))
	if who != name {
		b.t.Fatalf("sign in as %s: the top bar names %q", name, who)
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
