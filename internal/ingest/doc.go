// Package ingest brings the interchange files of docs/formats.md into eduplan.
//
// It sits between outside files and the store: package sheet reads a CSV or XLSX file
// as rows of cells (sheet.Source); Read turns each row of one kind into a typed record
// (Institution, Student, Teacher, Population, Fact) after validating it against the
// plan pack, and every problem, the readers' own included, becomes a RowError in a
// Report that names the file, the row as the user's spreadsheet shows it, the column,
// the value and what was expected, in Chinese and English. ImportFiles then writes the
// accepted rows to the store.
package ingest
