package postgres

// SetNarrowScope changes how many organizations a scope may hold for its
// audit events to be read organization by organization, until the returned
// function puts it back.
func SetNarrowScope(n int) (restore func()) {
	old := narrowScope
	narrowScope = n
	return func() { narrowScope = old }
}

// SetPerOrgScope changes how many organizations a scope may hold for its
// list to be read organization by organization, until the returned function
// puts it back.
func SetPerOrgScope(n int) (restore func()) {
	old := perOrgScope
	perOrgScope = n
	return func() { perOrgScope = old }
}

// SetSmallScope changes how many organizations a scope may hold for a name
// search to read it whole, until the returned function puts it back.
func SetSmallScope(n int) (restore func()) {
	old := smallScope
	smallScope = n
	return func() { smallScope = old }
}
