// sign-challenge.mjs signs a gridnode gateway login challenge with ethers.js,
// as a dapp does with Wallet.signTypedData (MetaMask's eth_signTypedData_v4
// gives the same signature).
//
// stdin:  the gateway's answer to POST /v1/orders/{id}/challenge
// stdout: the body of POST /v1/orders/{id}/login: {"nonce","expires","signature"}
// The buyer's private key (hex) is read from the file BUYER_KEY_FILE names.
// With --digest, it prints {"digest"} instead: ethers' EIP-712 hash of the
// typed data (the tests compare it with the gateway's).
import { readFileSync } from 'node:fs';
import { TypedDataEncoder, Wallet } from 'ethers';

const challenge = JSON.parse(readFileSync(0, 'utf8'));
const { domain, types, message } = challenge.typedData;
const signTypes = { ...types };
delete signTypes.EIP712Domain; // ethers derives the domain's type itself

if (process.argv.includes('--digest')) {
  process.stdout.write(JSON.stringify({ digest: TypedDataEncoder.hash(domain, signTypes, message) }) + '\n');
  process.exit(0);
}

const keyFile = process.env.BUYER_KEY_FILE;
if (!keyFile) {
  console.error('sign-challenge: set BUYER_KEY_FILE to a file holding the buyer\'s hex private key');
  process.exit(2);
}
const wallet = new Wallet(readFileSync(keyFile, 'utf8').trim());
const signature = await wallet.signTypedData(domain, signTypes, message);
process.stdout.write(JSON.stringify({ nonce: challenge.nonce, expires: challenge.expires, signature }) + '\n');
