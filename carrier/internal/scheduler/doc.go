// Package scheduler matches a buyer's request to providers of the network
// directory: it ranks the listings whose free capacity, price, region and
// labels fit, with the cost the Market would escrow, and says for every
// other provider why it was left out.
package scheduler
