package kick

// EndpointInfo is what the tests of package kick_test see of an endpoint of endpoints.gen.go.
type EndpointInfo struct{ ID, Method, Path string }

// Endpoints returns every endpoint of the spec, from endpoints.gen.go, for the benchmarks of
// package kick_test, which must cover them all.
func Endpoints() []EndpointInfo {
	out := make([]EndpointInfo, len(endpoints))
	for i, ep := range endpoints {
		out[i] = EndpointInfo{ID: ep.id, Method: ep.method, Path: ep.path}
	}
	return out
}
