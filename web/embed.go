// Package web holds ketnap's static assets (CSS, small scripts, icons),
// embedded in the binary and served under content-hash URLs.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed static
var files embed.FS

// Asset is one static file with its content-hash name.
type Asset struct {
	Name        string // logical name, e.g. "app.css"
	HashedName  string // e.g. "app.3f2a1b9c.css"
	ContentType string
	Body        []byte
}

// Assets indexes the embedded static files by logical and hashed name.
type Assets struct {
	byName   map[string]*Asset
	byHashed map[string]*Asset
}

var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
}

// Load reads every embedded file and computes its hashed name.
func Load() (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byHashed: map[string]*Asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		sum := sha256.Sum256(body)
		as := &Asset{Name: name, HashedName: strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext,
			ContentType: contentTypes[ext], Body: body}
		if as.ContentType == "" {
			as.ContentType = "application/octet-stream"
		}
		a.byName[name] = as
		a.byHashed[as.HashedName] = as
		return nil
	})
	return a, err
}

// URL returns the content-hash URL of a logical asset name.
func (a *Assets) URL(name string) string {
	if as, ok := a.byName[name]; ok {
		return "/static/" + as.HashedName
	}
	return "/static/" + name
}

// ByHashedName returns the asset served at /static/<hashed>.
func (a *Assets) ByHashedName(h string) (*Asset, bool) {
	as, ok := a.byHashed[h]
	return as, ok
}
