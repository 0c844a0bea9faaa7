// Package testport hands tests loopback ports that nothing else can take
// between the moment a test picks a port and the moment the process it
// starts binds it. Ports come from 20000–29999, below the kernel's ephemeral
// range (so no bind to :0 and no outgoing connection ever gets one), and
// each is held with a lock file across every test process of the machine
// until the test ends. Daemons that can bind :0 themselves should; this is
// for the listeners whose address must be known before the process starts
// (libp2p, the via's public and relay ports, Consul's seven ports).
package testport
