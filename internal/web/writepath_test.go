package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// sessionRoutes write sessions, not records: sign-in and sign-out.
var sessionRoutes = map[string]bool{"POST /dang-nhap": true, "POST /dang-xuat": true}

// TestEveryPostReachesTheService reads the handlers' source: each POST
// route's handler, with the methods of the server it calls, must call a
// method of the domain service (s.Svc.…). The web package holds no store
// that writes (Queries and Sessions only read, or keep sessions), so a
// handler that wrote any other way would not compile; one that wrote
// nothing would fail here.
func TestEveryPostReachesTheService(t *testing.T) {
	methods := map[string]*ast.FuncDecl{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
				methods[fd.Name.Name] = fd
			}
		}
	}
	// reaches reports whether method name, or a server method it calls, calls s.Svc.…
	var reaches func(name string, seen map[string]bool) bool
	reaches = func(name string, seen map[string]bool) bool {
		fd, ok := methods[name]
		if !ok || seen[name] {
			return false
		}
		seen[name] = true
		found := false
		ast.Inspect(fd, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || found {
				return !found
			}
			if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Svc" {
				found = true
				return false
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "s" && reaches(sel.Sel.Name, seen) {
				found = true
			}
			return !found
		})
		return found
	}
	e := newEnv(t, false)
	n := 0
	err := chi.Walk(e.h.(chi.Routes), func(method, route string, h http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := method + " " + route
		if method != http.MethodPost || sessionRoutes[key] {
			return nil
		}
		n++
		fn := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name() // ketnap/internal/web.(*Server).name-fm
		name := strings.TrimSuffix(fn[strings.LastIndex(fn, ".")+1:], "-fm")
		if _, ok := methods[name]; !ok {
			t.Errorf("%s: handler %s not found in the source", key, fn)
			return nil
		}
		if !reaches(name, map[string]bool{}) {
			t.Errorf("%s: handler %s never calls the domain service", key, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Fatalf("only %d POST routes walked", n)
	}
}
