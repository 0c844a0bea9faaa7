package wallet

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/pkg/service"
)

// Flag names shared by the keys subcommands; the daemon's own flags for the
// wallet should use the same names.
const (
	FlagKeystore       = "keystore"
	FlagPassphraseFile = "passphrase-file"
	FlagPassphraseEnv  = "passphrase-env"
	FlagPrivateKeyFile = "private-key-file"
)

// lightScrypt makes the commands write light-scrypt keystores; only tests
// set it.
var lightScrypt = false

// Command is `<role> keys` (carrier: the org wallet; gateway: the provider
// key): new, import and show, then extra (a role's own subcommands, which
// take KeyFlags). Every flag is also the environment variable
// GRIDNODE_<ROLE>_KEYS_<FLAG>. Passphrases and keys come from files or an
// environment variable, never from an argument.
func Command(role string, extra ...*cli.Command) *cli.Command {
	env := keysEnv(role)
	cmd := &cli.Command{
		Name:  "keys",
		Usage: "create, import and show the " + keyName(role) + "'s keystore",
		Subcommands: []*cli.Command{
			{
				Name:  "new",
				Usage: "create a new random key in a new keystore file (mode 0600, never overwritten)",
				Flags: keyFlags(env, true),
				Action: func(c *cli.Context) error {
					w, err := New(optionsFrom(c))
					if err != nil {
						return err
					}
					return printWallet(c, w.Address().Hex(), w.Path(), "created")
				},
			},
			{
				Name:  "import",
				Usage: "import a hex private key from a file into a new keystore file (mode 0600, never overwritten)",
				Flags: append(keyFlags(env, true), &cli.StringFlag{
					Name:     FlagPrivateKeyFile,
					Usage:    "`file` holding the hex private key (mode 0600 or stricter); delete it after the import",
					Required: true,
					EnvVars:  []string{env(FlagPrivateKeyFile)},
				}),
				Action: func(c *cli.Context) error {
					w, err := Import(optionsFrom(c), c.String(FlagPrivateKeyFile))
					if err != nil {
						return err
					}
					return printWallet(c, w.Address().Hex(), w.Path(), "imported")
				},
			},
			{
				Name: "show",
				Usage: "print the keystore's address and path (never secrets); with a passphrase " +
					"file or --check, also check that the passphrase unlocks it",
				Flags: append(keyFlags(env, false), &cli.BoolFlag{
					Name:    "check",
					Usage:   "unlock the keystore with the passphrase from the file or environment variable",
					EnvVars: []string{env("check")},
				}),
				Action: func(c *cli.Context) error {
					opts := optionsFrom(c)
					if c.String(FlagPassphraseFile) != "" || c.Bool("check") {
						w, err := Load(opts)
						if err != nil {
							return err
						}
						return printWallet(c, w.Address().Hex(), w.Path(), "unlocked")
					}
					addr, err := ReadAddress(opts.KeystorePath)
					if err != nil {
						return err
					}
					return printWallet(c, addr.Hex(), opts.KeystorePath, "")
				},
			},
		},
		Action: func(c *cli.Context) error {
			return cli.ShowSubcommandHelp(c)
		},
	}
	cmd.Subcommands = append(cmd.Subcommands, extra...)
	return cmd
}

func keysEnv(role string) func(string) string {
	return func(flag string) string { return service.EnvVar(role+"-keys", flag) }
}

// KeyFlags are the keystore and passphrase flags of `<role> keys`
// subcommands that unlock the key, for a role's own subcommands; EnvVar
// names the environment variable of any other flag of theirs.
func KeyFlags(role string) []cli.Flag { return keyFlags(keysEnv(role), true) }

// EnvVar is the environment variable of a `<role> keys` subcommand's flag.
func EnvVar(role, flag string) string { return keysEnv(role)(flag) }

// OptionsFromCLI are the Options KeyFlags give.
func OptionsFromCLI(c *cli.Context) Options { return optionsFrom(c) }

// keyName names the key a role keeps.
func keyName(role string) string {
	if role == "gateway" {
		return "provider key"
	}
	return "org wallet"
}

func keyFlags(env func(string) string, needPassphrase bool) []cli.Flag {
	passUsage := "`file` holding the keystore passphrase (mode 0600 or stricter)"
	if !needPassphrase {
		passUsage += "; given, the keystore is unlocked to check it"
	}
	return []cli.Flag{
		&cli.StringFlag{
			Name:     FlagKeystore,
			Usage:    "keystore `file` (v3 JSON, one key)",
			Required: true,
			EnvVars:  []string{env(FlagKeystore)},
		},
		&cli.StringFlag{Name: FlagPassphraseFile, Usage: passUsage, EnvVars: []string{env(FlagPassphraseFile)}},
		&cli.StringFlag{
			Name:    FlagPassphraseEnv,
			Value:   DefaultPassphraseEnv,
			Usage:   "`name` of the environment variable holding the passphrase when no passphrase file is given",
			EnvVars: []string{env(FlagPassphraseEnv)},
		},
	}
}

func optionsFrom(c *cli.Context) Options {
	return Options{
		KeystorePath:   c.String(FlagKeystore),
		PassphraseFile: c.String(FlagPassphraseFile),
		PassphraseEnv:  c.String(FlagPassphraseEnv),
		LightScrypt:    lightScrypt,
	}
}

func printWallet(c *cli.Context, addr, path, verb string) error {
	var err error
	if verb != "" {
		_, err = fmt.Fprintf(c.App.Writer, "%s\naddress  %s\nkeystore %s\n", verb, addr, path)
	} else {
		_, err = fmt.Fprintf(c.App.Writer, "address  %s\nkeystore %s\n", addr, path)
	}
	return err
}
