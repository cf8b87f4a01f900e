package sqldb

// ColumnKind names the backup kind of a column, for the external tests.
func ColumnKind(table, column string) string {
	return [...]string{"plain", "time", "lease", "date", "list", "bool"}[columnKind(table, column)]
}
