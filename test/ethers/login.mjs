// login.mjs logs a buyer in at a gridnode gateway with ethers.js and prints
// the session (its token is the bearer token of the gateway's API).
//
// usage: BUYER_KEY_FILE=buyer.key node login.mjs <gateway URL> <order id>
// e.g.   node login.mjs https://via.org-a.example/gw/0xabc… 42
import { readFileSync } from 'node:fs';
import { Wallet } from 'ethers';

const [base, order] = process.argv.slice(2);
if (!base || !order || !process.env.BUYER_KEY_FILE) {
  console.error('usage: BUYER_KEY_FILE=<hex key file> node login.mjs <gateway URL> <order id>');
  process.exit(2);
}
const wallet = new Wallet(readFileSync(process.env.BUYER_KEY_FILE, 'utf8').trim());

async function post(path, body) {
  const res = await fetch(base.replace(/\/$/, '') + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) {
    throw new Error(`${path}: ${res.status} ${json.error?.code}: ${json.error?.message}`);
  }
  return json;
}

const challenge = await post(`/v1/orders/${order}/challenge`);
const { domain, types, message } = challenge.typedData;
const signTypes = { ...types };
delete signTypes.EIP712Domain;
const signature = await wallet.signTypedData(domain, signTypes, message);
const session = await post(`/v1/orders/${order}/login`, { nonce: challenge.nonce, expires: challenge.expires, signature });
process.stdout.write(JSON.stringify(session, null, 2) + '\n');
