package supervision

import "github.com/yantai-edu/eduplan/internal/auth"

// EntityLabel names an entity in Chinese and English.
func EntityLabel(e Entity) (zh, en string) {
	switch e {
	case Round:
		return "督导轮次", "round"
	case Evaluation:
		return "自评", "self-evaluation"
	case Item:
		return "评估项", "item"
	case Case:
		return "案件", "case"
	}
	return string(e), string(e)
}

var stateLabels = map[string][2]string{
	None:       {"尚未创建", "not yet made"},
	Open:       {"进行中", "open"},
	Closed:     {"已关闭", "closed"},
	Draft:      {"填报中", "draft"},
	Submitted:  {"已提交", "submitted"},
	Returned:   {"已退回", "returned"},
	Verified:   {"已验证", "verified"},
	Pending:    {"待审核", "pending"},
	Accepted:   {"已认可", "accepted"},
	InProgress: {"整改中", "in progress"},
	Reopened:   {"已重新打开", "reopened"},
}

// StateLabel names a state of an entity in Chinese and English.
func StateLabel(e Entity, s string) (zh, en string) {
	switch {
	case e == Case && s == Open:
		return "待整改", "open"
	case e == Case && s == Submitted:
		return "待复查", "submitted for re-check"
	case e == Case && s == Closed:
		return "已销号", "closed"
	}
	if l, ok := stateLabels[s]; ok {
		return l[0], l[1]
	}
	return s, s
}

var actionLabels = map[string][2]string{
	ActOpen:      {"开启", "open"},
	ActClose:     {"关闭", "close"},
	ActSave:      {"保存", "save"},
	ActSubmit:    {"提交", "submit"},
	ActReturn:    {"退回", "return"},
	ActVerify:    {"验证通过", "verify"},
	ActAccept:    {"认可", "accept"},
	ActResubmit:  {"重新提交审核", "resubmit for review"},
	ActRaise:     {"提出问题", "raise"},
	ActReport:    {"上报", "report"},
	ActStart:     {"开始整改", "start"},
	ActReopen:    {"重新打开", "reopen"},
	ActInterview: {"约谈", "interview"},
	ActNotice:    {"通报", "notice"},
}

// ActionLabel names a step in Chinese and English.
func ActionLabel(e Entity, action string) (zh, en string) {
	switch {
	case e == Case && action == ActSubmit:
		return "提交复查", "submit for re-check"
	case e == Case && action == ActClose:
		return "复查通过并销号", "close on re-check"
	case e == Case && action == ActReopen:
		return "复查未通过，重新打开", "reopen on re-check"
	}
	if l, ok := actionLabels[action]; ok {
		return l[0], l[1]
	}
	return action, action
}

// RoleLabel names a role in Chinese and English.
func RoleLabel(r auth.Role) (zh, en string) {
	switch r {
	case auth.Admin:
		return "管理员", "administrator"
	case auth.Analyst:
		return "分析员", "analyst"
	case auth.Inspector:
		return "督学", "inspector"
	case auth.DistrictOfficer:
		return "区市工作人员", "district officer"
	case auth.SchoolClerk:
		return "学校填报员", "school clerk"
	}
	return "公众", "member of the public"
}

// Answers of a checklist or ledger item: met, partly met, not met.
const (
	Met    = "met"
	Partly = "partly"
	NotMet = "not_met"
)

// AnswerLabel names an answer in Chinese and English; a ledger item's answers are a
// task's progress.
func AnswerLabel(kind, a string) (zh, en string) {
	if kind == KindLedger {
		switch a {
		case Met:
			return "已完成", "done"
		case Partly:
			return "推进中", "in progress"
		case NotMet:
			return "未启动", "not started"
		}
	}
	switch a {
	case Met:
		return "达标", "met"
	case Partly:
		return "部分达标", "partly met"
	case NotMet:
		return "未达标", "not met"
	}
	return "未填", "not answered"
}

// actionEn is how an English sentence says a step: Do with the thing acted on in place
// of %s ("close %s on re-check"), Cannot after "cannot" ("be closed on re-check").
// Each is written out, never made from the verb by a rule: "submit" is not "submited".
type actionEn struct{ Do, Cannot string }

var actionsEn = map[Entity]map[string]actionEn{
	Round: {
		ActOpen:  {"open %s", "be opened"},
		ActClose: {"close %s", "be closed"},
	},
	Evaluation: {
		ActSave:   {"save %s", "be saved"},
		ActSubmit: {"submit %s", "be submitted"},
		ActReturn: {"return %s", "be returned"},
		ActVerify: {"verify %s", "be verified"},
	},
	Item: {
		ActAccept:   {"accept %s", "be accepted"},
		ActReturn:   {"return %s", "be returned"},
		ActResubmit: {"resubmit %s for review", "be resubmitted for review"},
	},
	Case: {
		ActRaise:     {"raise %s on a finding", "be raised"},
		ActReport:    {"report %s", "be reported"},
		ActStart:     {"start rectifying %s", "have its rectification started"},
		ActSubmit:    {"submit %s for re-check", "be submitted for re-check"},
		ActClose:     {"close %s on re-check", "be closed on re-check"},
		ActReopen:    {"reopen %s on re-check", "be reopened on re-check"},
		ActInterview: {"record an interview (约谈) on %s", "have an interview (约谈) recorded"},
		ActNotice:    {"record a notice (通报) on %s", "have a notice (通报) recorded"},
	},
}

// actionEnOf returns a step's English wording; a step without one (which a test
// catches) is named by its code.
func actionEnOf(e Entity, action string) actionEn {
	if w, ok := actionsEn[e][action]; ok {
		return w
	}
	return actionEn{"take the step " + action + " on %s", "take the step " + action}
}

// entityAEn is an entity in English with its article: "an item", "a case".
func entityAEn(e Entity) string {
	switch e {
	case Round:
		return "a round"
	case Evaluation:
		return "a self-evaluation"
	case Item:
		return "an item"
	case Case:
		return "a case"
	}
	return "the " + string(e)
}

// roleAEn is a role in English with its article: "an inspector", "a school clerk".
func roleAEn(r auth.Role) string {
	switch r {
	case auth.Admin:
		return "an administrator"
	case auth.Analyst:
		return "an analyst"
	case auth.Inspector:
		return "an inspector"
	case auth.DistrictOfficer:
		return "a district officer"
	case auth.SchoolClerk:
		return "a school clerk"
	}
	return "a member of the public"
}

// stateIsEn is a state after "the <entity> is": "a draft", "not yet made", "closed".
func stateIsEn(e Entity, s string) string {
	if s == Draft {
		return "a draft"
	}
	_, en := StateLabel(e, s)
	return en
}
