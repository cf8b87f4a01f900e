package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

// TestHelpListsEveryCommandAndFilter reads the command switch of
// commands.go, so a command added without a line in /help fails here.
func TestHelpListsEveryCommandAndFilter(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "commands.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "command" {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if cc, ok := n.(*ast.CaseClause); ok {
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						names = append(names, s)
					}
				}
			}
			return true
		})
	}
	if len(names) < 30 {
		t.Fatalf("found %d commands in commands.go; the switch moved?", len(names))
	}
	aliases := map[string]bool{"start": true, "pools": true} // /start is the platforms' own; /pools is /pool
	for _, n := range names {
		if !aliases[n] && !strings.Contains(bot.HelpText, "/"+n) {
			t.Errorf("/help does not mention /%s", n)
		}
	}
	for _, filter := range []string{"skill:", "rate<", "rate>", "tz:", "type:", "page:", "available", "remote", `"exact phrase"`} {
		if !strings.Contains(bot.HelpText, filter) {
			t.Errorf("/help does not mention the search filter %s", filter)
		}
		if filter != `"exact phrase"` && !strings.Contains(bot.SearchHelp, filter) {
			t.Errorf("the search help does not mention %s", filter)
		}
	}
}
