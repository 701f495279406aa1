package web

// authMessages are the strings of the sign-in, import and audit pages, merged into
// messages when the package starts.
var authMessages = map[string]map[string]string{
	langZh: {
		"login":               "登录",
		"logout":              "退出",
		"login_note":          "区县市、学校和市级用户登录后可导入数据、查看明细；公众无需登录即可查看公开的汇总指标。",
		"login_demo":          "演示：首次启动时服务器日志中打印了管理员 admin 的密码。",
		"user_name":           "用户名",
		"password":            "密码",
		"signed_in_as":        "当前用户",
		"import_nav":          "导入数据",
		"import_note":         "上传一个 CSV 或 XLSX 文件（格式见 spec/formats.md）。与命令行导入相同：任何一行有误则不作任何更改，并逐行列出问题。",
		"import_scope":        "您可导入的范围：",
		"import_file":         "文件",
		"import_kind_auto":    "按表头识别",
		"import_submit":       "上传并导入",
		"import_dry_run":      "仅预览：列出将替换的数据，不导入",
		"import_allow_shrink": "允许大幅减少（文件比现有数据少 30% 以上行时须勾选）",
		"import_preview":      "预览：以下为导入将替换的数据，数据未作任何更改。",
		"import_result":       "导入结果",
		"import_ok":           "已导入 %s：%d 行，批次 #%d。指标已更新。",
		"import_unchanged":    "该文件已按原样导入过，未作更改。",
		"import_rejected":     "导入被拒绝，数据未作任何更改。请按下表逐行修正后重新上传。",
		"import_counts":       "%d 行，%d 个错误，%d 条警告",
		"errors":              "错误",
		"row":                 "行",
		"column":              "列",
		"value":               "值",
		"problem":             "问题",
		"audit_nav":           "审计日志",
		"audit_note":          "每一项更改：谁、何时、做了什么、从何处。日志只追加，不可修改或删除。",
		"audit_at":            "时间",
		"audit_actor":         "操作人",
		"audit_action":        "操作",
		"audit_object":        "对象",
		"audit_detail":        "说明",
		"audit_remote":        "来源",
		"audit_empty":         "暂无记录",
		"audit_older":         "更早的记录",
		"task_edit":           "更新台账",
		"task_save":           "保存",
	},
	langEn: {
		"login":               "Sign in",
		"logout":              "Sign out",
		"login_note":          "District, school and city users sign in to import data and see details; the public sees the published aggregate indicators without signing in.",
		"login_demo":          "Demo: the password of the admin user was printed in the server's log at first start.",
		"user_name":           "User name",
		"password":            "Password",
		"signed_in_as":        "Signed in as",
		"import_nav":          "Import data",
		"import_note":         "Upload one CSV or XLSX file (formats in spec/formats.md). As with the command line: if any row is wrong nothing changes, and every problem is listed by row.",
		"import_scope":        "You may import for:",
		"import_file":         "File",
		"import_kind_auto":    "from the header",
		"import_submit":       "Upload and import",
		"import_dry_run":      "Preview only: list what would be replaced, import nothing",
		"import_allow_shrink": "Allow a large drop (needed when the file has over 30% fewer rows than the data it replaces)",
		"import_preview":      "Preview: the import would replace the data below; nothing was changed.",
		"import_result":       "Result",
		"import_ok":           "Imported %s: %d rows, batch #%d. The indicators are up to date.",
		"import_unchanged":    "This file was imported as it is already; nothing changed.",
		"import_rejected":     "Import rejected; nothing was changed. Correct the rows below and upload again.",
		"import_counts":       "%d rows, %d errors, %d warnings",
		"errors":              "Errors",
		"row":                 "Row",
		"column":              "Column",
		"value":               "Value",
		"problem":             "Problem",
		"audit_nav":           "Audit log",
		"audit_note":          "Every change: who, when, what, from where. The log is append-only: entries cannot be changed or removed.",
		"audit_at":            "When",
		"audit_actor":         "Who",
		"audit_action":        "Action",
		"audit_object":        "Object",
		"audit_detail":        "Detail",
		"audit_remote":        "From",
		"audit_empty":         "No entries yet",
		"audit_older":         "Older entries",
		"task_edit":           "Update the ledger",
		"task_save":           "Save",
	},
}

func init() { addMessages(authMessages) }

// addMessages adds the strings of a page family to messages, by language; a key that
// messages has already keeps its string.
func addMessages(more map[string]map[string]string) {
	for lang, m := range more {
		for k, v := range m {
			if _, dup := messages[lang][k]; !dup {
				messages[lang][k] = v
			}
		}
	}
}
