// Package h1client is the HTTP/1.1 client that via and the gateway use to
// reach plain (cleartext) upstreams behind httputil.ReverseProxy. Unlike
// http.Transport it runs each exchange on the caller's goroutine, with no
// reader and writer goroutine per connection: on two cores the hand-offs
// between those were a third of a proxy's CPU per request. Each Upstream
// keeps its own stack of idle connections; framing on both sides is
// net/http's (http.Request.Write, http.ReadResponse).
package h1client
