// Package bleve compares hirebot's in-memory text search with Bleve's on the
// same generated profiles and queries, in one run:
//
//	cd bench/bleve && go test -run '^$' -bench . -benchtime 1x -timeout 30m
//
// It is a module of its own so that hirebot never links Bleve; only this
// benchmark does.
package bleve
