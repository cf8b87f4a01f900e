package main

import (
	"context"
	"io"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	_ = ctx
	fs := newFlags("bench", stderr)
	return parse(fs, args)
}
