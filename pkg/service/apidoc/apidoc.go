// Package apidoc checks that a daemon's OpenAPI document and the routes it
// serves agree: every served route is documented and every documented
// operation is served. The carrier's, gateway's and admin's tests use it.
package apidoc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

// Documented reads the operations of the OpenAPI document at path as
// "METHOD /path" strings. An operation without a body is an error.
func Documented(path string) (map[string]bool, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the API document: %w", err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Paths) == 0 {
		return nil, fmt.Errorf("%s: no paths", path)
	}
	ops := map[string]bool{}
	var errs []error
	for p, item := range doc.Paths {
		for method, op := range item {
			m := strings.ToUpper(method)
			if !methods[m] {
				continue // parameters, summary, servers…
			}
			if op == nil {
				errs = append(errs, fmt.Errorf("%s: %s %s has no body", path, m, p))
			}
			ops[m+" "+p] = true
		}
	}
	return ops, errors.Join(errs...)
}

// InSources finds the route patterns written as string literals
// "METHOD /prefix…" in the non-test Go files matching glob.
func InSources(glob, prefix string) (map[string]bool, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return nil, err
	}
	route := regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (` + regexp.QuoteMeta(prefix) + `[^"]*)"`)
	served := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			served[m[1]+" "+m[2]] = true
		}
	}
	return served, nil
}

// Compare lists, sorted, the served routes the document lacks and the
// documented operations nothing serves; doc names the document.
func Compare(doc string, served, documented map[string]bool) []string {
	var out []string
	for r := range served {
		if !documented[r] {
			out = append(out, fmt.Sprintf("route %s is not in %s", r, doc))
		}
	}
	for r := range documented {
		if !served[r] {
			out = append(out, fmt.Sprintf("%s documents %s, which is not served", doc, r))
		}
	}
	sort.Strings(out)
	return out
}
