package service

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// resetHelp undoes what imported libraries do to urfave/cli's process-wide
// help settings (go-ethereum's init replaces the flag stringer and files
// --help under a "MISC" category), so every daemon's --help looks alike.
func resetHelp() {
	cli.FlagStringer = flagString
	if h, ok := cli.HelpFlag.(*cli.BoolFlag); ok {
		h.Category = ""
	}
}

// flagString renders one flag for --help: names, value placeholder, usage,
// default and environment variables.
func flagString(f cli.Flag) string {
	df, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return fmt.Sprint(f)
	}
	var names []string
	for _, n := range f.Names() {
		if len(n) == 1 {
			names = append(names, "-"+n)
		} else {
			names = append(names, "--"+n)
		}
	}
	placeholder, usage := unquoteUsage(df.GetUsage())
	s := strings.Join(names, ", ")
	if df.TakesValue() {
		if placeholder == "" {
			placeholder = "value"
		}
		s += " " + placeholder
	}
	s += "\t" + usage
	def := df.GetDefaultText()
	if def == "" {
		def = df.GetValue()
	}
	if def != "" && def != `""` && def != "false" {
		s += " (default: " + def + ")"
	}
	if env := df.GetEnvVars(); len(env) > 0 {
		s += " [$" + strings.Join(env, ", $") + "]"
	}
	return s
}

// unquoteUsage takes the first `quoted` word of a usage string as the value
// placeholder, as urfave/cli does.
func unquoteUsage(usage string) (string, string) {
	start := strings.IndexByte(usage, '`')
	if start < 0 {
		return "", usage
	}
	end := strings.IndexByte(usage[start+1:], '`')
	if end < 0 {
		return "", usage
	}
	name := usage[start+1 : start+1+end]
	return name, usage[:start] + name + usage[start+1+end+1:]
}
