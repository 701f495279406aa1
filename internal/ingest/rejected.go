package ingest

import "github.com/yantai-edu/eduplan/internal/plan"

// ErrorCode is EFORBIDDEN when rows reach outside the caller's scope, EINVALID
// otherwise: what the caller must change before the files can be imported.
func (e *RejectedError) ErrorCode() string {
	if e.OutOfScope() {
		return plan.EFORBIDDEN
	}
	return plan.EINVALID
}

// ErrorMessages say that nothing was changed, and why in a word; the Reports say the
// rest, row by row.
func (e *RejectedError) ErrorMessages() (zh, en string) {
	if e.OutOfScope() {
		return "文件中有超出您权限范围的数据，未作任何更改", "the file has rows outside your scope; nothing was changed"
	}
	return "导入被拒绝，数据未作任何更改", "import rejected; nothing was changed"
}

// OutOfScope reports whether the refusal is (also) because rows reach outside the
// caller's scope.
func (e *RejectedError) OutOfScope() bool {
	for _, r := range e.Reports {
		if r.Counts["scope"] > 0 {
			return true
		}
	}
	return false
}
