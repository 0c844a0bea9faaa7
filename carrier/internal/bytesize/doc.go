// Package bytesize reads the byte counts of the carrier's flags, API query
// parameters and CLI options: digits with an optional binary suffix (Ki,
// Mi, Gi, Ti), as in --provider-memory 16Gi.
package bytesize
