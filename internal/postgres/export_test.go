package postgres

// SetNarrowScope changes how many organizations a scope may hold for its
// audit events to be read organization by organization, until the returned
// function puts it back.
func SetNarrowScope(n int) (restore func()) {
	old := narrowScope
	narrowScope = n
	return func() { narrowScope = old }
}
