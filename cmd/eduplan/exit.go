package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// exitCodes are the exit statuses of the domain's error codes. 1 is a failure with no
// code of its own: an import refused (its report says why), a plan that fails its
// check, or an internal error.
var exitCodes = map[string]int{
	plan.EINVALID:      2,
	plan.ENOTFOUND:     3,
	plan.EFORBIDDEN:    4,
	plan.ECONFLICT:     5,
	plan.EUNAUTHORIZED: 6,
	plan.ETHROTTLED:    7,
}

// exitStatus is what eduplan says on stderr for an error that ended a command, and its
// exit status: the one place where errors become exit codes.
//
//   - a domain error (plan.Coded) is said in both languages with its code's status;
//   - an import refused whole exits 1, its reports already written by the command;
//   - an error of the command line itself, found by cobra before a command ran (an
//     unknown command or flag, a flag's bad value, a missing argument), is a usage
//     error: status 2, as plan.EINVALID;
//   - a file the system could not find or open is said as such (3 or 4);
//   - anything else is the program's own: status 1, told as it is.
func exitStatus(err error) (code int, msg string) {
	var ee *exitError
	var rej *ingest.RejectedError
	var pe *fs.PathError
	var ran *ranError
	var coded plan.Coded
	switch {
	case err == nil:
		return 0, ""
	case errors.As(err, &ee):
		return ee.code, ee.msg
	case errors.As(err, &rej):
		return 1, "导入被拒绝，数据未作任何更改 / import rejected; nothing was changed\n" +
			"文件格式见 docs/formats.md（运行中的服务：/formats）/ file formats: docs/formats.md (on a running server: /formats)"
	case errors.As(err, &coded):
	case !errors.As(err, &ran):
		err = plan.Errorf(plan.EINVALID, "命令行有误：%v（见 --help）", "%v (see --help)", err)
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		err = &plan.Error{Code: plan.ENOTFOUND, Message: "路径不存在：" + pe.Path, MessageEn: pe.Error()}
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		err = &plan.Error{Code: plan.EFORBIDDEN, Message: "无权访问：" + pe.Path, MessageEn: pe.Error()}
	default:
		return 1, "eduplan: 内部错误 internal error: " + err.Error()
	}
	zh, en := plan.ErrorMessages(err)
	if code = exitCodes[plan.ErrorCode(err)]; code == 0 {
		code = 1
	}
	return code, "eduplan: " + zh + " / " + en
}

// exitError ends the program with a code after its message (if any), for a command that
// reports its own failure (plan check lists a pack's problems).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }

// ranError is an error a command returned once it ran, as opposed to one cobra found in
// the command line before it did.
type ranError struct{ err error }

func (e *ranError) Error() string { return e.err.Error() }
func (e *ranError) Unwrap() error { return e.err }

// markRuns wraps the run of c and of every command below it, so that exitStatus knows
// the errors they return from cobra's.
func markRuns(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if err := run(cmd, args); err != nil {
				return &ranError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markRuns(sub)
	}
}
