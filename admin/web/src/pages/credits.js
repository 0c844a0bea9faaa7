import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { opID, post, query } from '../api.js';
import { ago, amount, short } from '../format.js';
import { Badge, Button, Card, Empty, ErrorBox, Field, Loading, Page, Stat, Table, useData } from '../ui.js';
import { TxProgress, final } from '../tx.js';

// Operation runs one deposit or withdrawal and follows its intents.
function Operation({ op, onDone }) {
  const [left, setLeft] = useState(op.intents.filter((i) => !final(i)).length);
  const [failed, setFailed] = useState(op.intents.some((i) => i.state === 'failed'));
  const done = (st) => {
    if (st.state === 'failed') setFailed(true);
    setLeft((n) => {
      if (n - 1 === 0) onDone();
      return n - 1;
    });
  };
  return html`<div class="operation" data-operation=${op.id}>
    <div class="op-head"><strong>${op.kind === 'deposit' ? 'Deposit' : 'Withdrawal'} of ${amount(op.amount)}</strong> <span class="muted">operation ${op.id}</span>
      ${left === 0 && html`<${Badge} value=${failed ? 'failed' : 'confirmed'} />`}</div>
    ${op.intents.map((i) => html`<${TxProgress} key=${i.key} txKey=${i.key} initial=${i} label=${i.key.replace('deposit ' + op.id + ' ', '').replace('withdraw ' + op.id, 'withdraw')} onFinal=${done} />`)}
    ${left === 0 && !failed && html`<p class="ok-text" id=${op.kind + '-done'}>${op.kind === 'deposit' ? 'Deposited: the credit is yours to order with.' : 'Withdrawn: the tokens are back in the org wallet.'}</p>`}
    ${left === 0 && failed && html`<p class="bad-text">The operation failed; nothing more is sent. See the transactions below for the reason.</p>`}
  </div>`;
}

function AmountForm({ kind, onStarted, max }) {
  const [value, setValue] = useState('');
  const [err, setErr] = useState(null);
  const submit = async () => {
    setErr(null);
    const v = value.trim();
    if (!/^\d+$/.test(v) || /^0+$/.test(v)) {
      setErr({ message: 'Give a positive whole number of token base units.' });
      return;
    }
    try {
      onStarted(await post('credits/' + kind, { amount: v, operation: opID(kind) }));
      setValue('');
    } catch (e) {
      setErr(e);
    }
  };
  return html`<form class="amount-form" onSubmit=${(e) => { e.preventDefault(); submit(); }}>
    <${Field} label=${kind === 'deposit' ? 'Deposit (tokens → credit)' : 'Withdraw (credit → tokens)'}
      hint=${kind === 'deposit' ? 'approve + deposit: two transactions' : max ? 'up to ' + amount(max) : ''}>
      <div class="inline"><input name=${kind + '-amount'} inputmode="numeric" placeholder="base units" value=${value} onInput=${(e) => setValue(e.target.value)} />
        <${Button} type="submit" id=${kind} onClick=${submit} busyLabel="Sending…" kind=${kind === 'deposit' ? 'primary' : 'ghost'}>${kind === 'deposit' ? 'Deposit' : 'Withdraw'}<//></div><//>
    <${ErrorBox} error=${err} title=${kind === 'deposit' ? 'Not deposited' : 'Not withdrawn'} />
  </form>`;
}

const txColumns = [
  { label: 'Intent', render: (t) => html`<span class="mono small">${t.key}</span>` },
  { label: 'State', render: (t) => html`<${Badge} value=${t.state} />` },
  { label: 'Confirmations', class: 'num', render: (t) => (t.state === 'pending' ? '—' : `${t.confirmations || 0}/${t.requiredConfirmations}`) },
  { label: 'Block', class: 'num', render: (t) => t.block || '—' },
  { label: 'Tx', render: (t) => (t.hash ? html`<span class="mono small" title=${t.hash}>${short(t.hash)}</span>` : '—') },
  { label: 'Result', render: (t) => (t.state === 'failed' ? html`<span class="bad-text small">${t.reason || t.lastError}</span>` : t.gasUsed ? html`<span class="muted small">${t.gasUsed} gas</span>` : '') },
  { label: 'Updated', render: (t) => html`<span class="small" title=${t.updated}>${ago(t.updated)}</span>` },
];

export function Credits({ sess }) {
  const bal = useData('credits', { interval: 10000 });
  const [filter, setFilter] = useState('');
  const txs = useData('txs' + query({ limit: 50, state: filter }), { interval: 3000 });
  const [ops, setOps] = useState([]);
  const b = bal.data;
  const isAdmin = sess.role === 'admin';
  const started = (op) => setOps((list) => [op, ...list.filter((o) => o.id !== op.id)].slice(0, 5));
  const refresh = () => {
    bal.reload();
    txs.reload();
  };
  return html`<${Page} title="Credits & tokens" subtitle="The org wallet's tokens and its credit at the Market, which pays for orders.">
    <${ErrorBox} error=${bal.error} retry=${bal.reload} title="Balances could not be read" />
    ${!b && !bal.error && html`<${Loading} />`}
    ${b && html`<div class="stats three" id="balances">
      <${Stat} label="Credit" value=${amount(b.credit)} title=${b.credit} hint="at the Market: orders are paid from it" tone="ok" />
      <${Stat} label="Tokens" value=${amount(b.tokens)} title=${b.tokens} hint="in the org wallet" />
      <${Stat} label="In escrow" value=${amount(b.escrowed)} title=${b.escrowed} hint="held by open orders" />
      <${Stat} label="Earned" value=${amount(b.earned)} title=${b.earned} hint="paid to us as provider" />
      <${Stat} label="Allowance" value=${amount(b.allowance)} title=${b.allowance} hint="the Market may still pull" />
      <${Stat} label="Gas" value=${amount(b.gas)} title=${b.gas} hint="wei, for transaction fees" tone=${toGasTone(b.gas)} />
    </div>
    <p class="muted small">Account <span class="mono">${b.account}</span> · amounts in token base units</p>`}
    ${isAdmin && html`<${Card} title="Move money"><div class="grid2">
      <${AmountForm} kind="deposit" onStarted=${started} />
      <${AmountForm} kind="withdraw" onStarted=${started} max=${b && b.credit} />
    </div>
    ${ops.map((op) => html`<${Operation} key=${op.id} op=${op} onDone=${refresh} />`)}<//>`}
    <${Card} title="Transactions" actions=${html`<select aria-label="state" value=${filter} onChange=${(e) => setFilter(e.target.value)}>
        <option value="">all</option><option value="pending">pending</option><option value="mined">mined</option><option value="confirmed">confirmed</option><option value="failed">failed</option></select>`}>
      <${ErrorBox} error=${txs.error} retry=${txs.reload} title="Transactions could not be read" />
      ${!txs.data && !txs.error && html`<${Loading} />`}
      ${txs.data && html`<${Table} columns=${txColumns} rows=${txs.data} rowKey=${(t) => t.key}
        empty=${html`<${Empty} title=${filter ? 'No ' + filter + ' transaction' : 'No transaction yet'} icon="◎">Every transaction the carrier sends for this organization (registration, deposits, orders, settlements) is listed here with its confirmations.<//>`} />`}
    <//>
  <//>`;
}

function toGasTone(g) {
  try {
    return BigInt(g || 0) < 10n ** 15n ? 'warn' : '';
  } catch {
    return '';
  }
}
