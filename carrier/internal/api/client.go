package api

import "github.com/gridnode/gridnode/pkg/carrierapi"

// Client calls the carrier API; the `carrier` subcommands use it. It is
// carrierapi.Client, the API's one client.
type Client = carrierapi.Client
