import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { Button, ErrorBox, Field } from '../ui.js';

function loginError(e) {
  if (e.code === 'bad_credentials') return { message: 'Wrong user name or password.' };
  if (e.code === 'locked') return { message: 'This account is locked after too many failed sign-ins. ' + e.message.replace(/^.*until/, 'Try again after') + '.', code: e.code };
  if (e.code === 'rate_limited') return { message: 'Too many sign-in attempts from your address. ' + e.message.replace(/^.*;\s*/, '') + '.', code: e.code };
  return e;
}

async function walletSignIn(onSignedIn) {
  const eth = window.ethereum;
  const [address] = await eth.request({ method: 'eth_requestAccounts' });
  const ch = await post('login/wallet/challenge', { address });
  const signature = await eth.request({ method: 'personal_sign', params: [ch.message, address] });
  onSignedIn(await post('login/wallet', { message: ch.message, signature }));
}

export function Login({ opts, onSignedIn }) {
  const [user, setUser] = useState('');
  const [pw, setPw] = useState('');
  const [err, setErr] = useState(null);
  const submit = async () => {
    setErr(null);
    try {
      onSignedIn(await post('login', { username: user.trim(), password: pw }));
    } catch (e) {
      setErr(loginError(e));
    }
  };
  const wallet = opts && opts.wallet && typeof window !== 'undefined' && window.ethereum;
  return html`<div class="auth">
    <form class="auth-card" onSubmit=${(e) => { e.preventDefault(); submit(); }}>
      <div class="brand big"><span class="logo" aria-hidden="true"></span><div><div class="brand-name">gridnode admin</div>
        <div class="brand-org">${opts ? opts.orgName || opts.org || '' : ''}</div></div></div>
      <h1>Sign in</h1>
      ${opts && opts.noAccounts && html`<div class="alert warn"><div><strong>No operator account yet</strong>
        <p>Start admin with <code>--bootstrap-password-file</code> to make the first admin account.</p></div></div>`}
      <${ErrorBox} error=${err} title="Sign-in refused" />
      <${Field} label="User name"><input id="username" name="username" autocomplete="username" value=${user} onInput=${(e) => setUser(e.target.value)} required autofocus /><//>
      <${Field} label="Password"><input id="password" name="password" type="password" autocomplete="current-password" value=${pw} onInput=${(e) => setPw(e.target.value)} required /><//>
      <${Button} type="submit" id="sign-in" onClick=${submit} busyLabel="Signing in…">Sign in<//>
      ${wallet && html`<div class="or">or</div><${Button} kind="ghost" onClick=${async () => { setErr(null); try { await walletSignIn(onSignedIn); } catch (e) { setErr(loginError(e)); } }} busyLabel="Waiting for the wallet…">Sign in with your wallet<//>`}
      ${opts && opts.wallet && !wallet && html`<p class="muted small">The organization's owner can also sign in with an Ethereum wallet (a browser with one installed).</p>`}
    </form>
  </div>`;
}

export function ChangePassword({ sess, forced, onChanged, onLogout }) {
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [err, setErr] = useState(null);
  const [done, setDone] = useState(false);
  const mismatch = again && next !== again;
  const submit = async () => {
    setErr(null);
    if (next !== again) {
      setErr({ message: 'The two new passwords differ.' });
      return;
    }
    try {
      const s = await post('password', { current: cur, new: next });
      setDone(true);
      setCur('');
      setNext('');
      setAgain('');
      onChanged(s);
    } catch (e) {
      setErr(e.code === 'bad_credentials' ? { message: 'The current password is wrong.' } : e);
    }
  };
  const form = html`<form class=${forced ? 'auth-card' : 'card narrow'} onSubmit=${(e) => { e.preventDefault(); submit(); }}>
    ${forced && html`<div class="brand big"><span class="logo" aria-hidden="true"></span><div><div class="brand-name">gridnode admin</div><div class="brand-org">${sess.org}</div></div></div>`}
    <h1>${forced ? 'Choose your password' : 'Change your password'}</h1>
    ${forced && html`<p class="muted">Signed in as <strong>${sess.user}</strong> with a temporary password. Choose your own before you go on: 12 or more characters, not your user name.</p>`}
    ${done && !forced && html`<div class="alert ok"><div><strong>Password changed.</strong> Your other sessions were signed out.</div></div>`}
    <${ErrorBox} error=${err} title="Password not changed" />
    <${Field} label="Current password"><input id="current-password" type="password" autocomplete="current-password" value=${cur} onInput=${(e) => setCur(e.target.value)} required /><//>
    <${Field} label="New password" hint="12 or more characters"><input id="new-password" type="password" autocomplete="new-password" minlength="12" value=${next} onInput=${(e) => setNext(e.target.value)} required /><//>
    <${Field} label="New password again" error=${mismatch ? 'differs from the new password' : null}><input id="new-password-again" type="password" autocomplete="new-password" value=${again} onInput=${(e) => setAgain(e.target.value)} required /><//>
    <div class="row">
      <${Button} type="submit" id="change-password" onClick=${submit} busyLabel="Saving…">Change password<//>
      ${forced && html`<button type="button" class="btn ghost" onClick=${onLogout}>Sign out</button>`}
    </div>
  </form>`;
  return forced ? html`<div class="auth">${form}</div>` : html`<section class="page">${form}</section>`;
}
