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
