// The console shell: the session, the hash router, the navigation.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCSRF, setUnauthorizedHandler } from './api.js';
import { Loading } from './ui.js';
import { Login, ChangePassword } from './pages/login.js';
import { Overview } from './pages/overview.js';
import { Directory } from './pages/directory.js';
import { Providers } from './pages/providers.js';
import { Orders, OrderDetail, NewOrder } from './pages/orders.js';
import { Credits } from './pages/credits.js';
import { Settlements } from './pages/settlements.js';
import { Settings } from './pages/settings.js';

const pages = [
  { path: 'overview', label: 'Overview', icon: '◈', view: Overview },
  { path: 'directory', label: 'Network directory', icon: '⌕', view: Directory },
  { path: 'providers', label: 'Providers', icon: '▦', view: Providers },
  { path: 'orders', label: 'Orders', icon: '≡', view: Orders },
  { path: 'credits', label: 'Credits & tokens', icon: '◎', view: Credits },
  { path: 'settlements', label: 'Settlements', icon: '∑', view: Settlements },
  { path: 'settings', label: 'Settings', icon: '⚙', view: Settings },
];

function currentRoute() {
  const h = location.hash.replace(/^#\/?/, '');
  return h.split('?')[0].split('/').filter(Boolean);
}

export function navigate(path) {
  location.hash = '#/' + path;
}

export function App() {
  const [sess, setSess] = useState(undefined); // undefined: loading; null: signed out
  const [route, setRoute] = useState(currentRoute());
  const [opts, setOpts] = useState(null);

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    setUnauthorizedHandler(() => {
      setCSRF('');
      setSess(null);
    });
    get('login').then(setOpts, () => setOpts({}));
    get('session').then(
      (s) => {
        setCSRF(s.csrf);
        setSess(s);
      },
      () => setSess(null),
    );
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const signedIn = (s) => {
    setCSRF(s.csrf);
    setSess(s);
    if (!route[0]) navigate('overview');
  };
  const logout = async () => {
    try {
      await post('logout');
    } catch {
      /* the session is gone either way */
    }
    setCSRF('');
    setSess(null);
  };

  if (sess === undefined) return html`<div class="boot"><${Loading} label="Opening the console…" /></div>`;
  if (sess === null) return html`<${Login} opts=${opts} onSignedIn=${signedIn} />`;
  if (sess.mustChange) return html`<${ChangePassword} sess=${sess} forced=${true} onChanged=${signedIn} onLogout=${logout} />`;

  const [top, ...rest] = route;
  const page = pages.find((p) => p.path === top) || pages[0];
  let view;
  if (page.path === 'orders' && rest[0] === 'new') view = html`<${NewOrder} sess=${sess} />`;
  else if (page.path === 'orders' && rest[0]) view = html`<${OrderDetail} sess=${sess} id=${rest[0]} />`;
  else if (top === 'password') view = html`<${ChangePassword} sess=${sess} onChanged=${signedIn} onLogout=${logout} />`;
  else view = html`<${page.view} sess=${sess} />`;
  const isAdmin = sess.role === 'admin';

  return html`<div class=${'shell ' + (isAdmin ? 'role-admin' : 'role-viewer')}>
    <nav class="side">
      <div class="brand"><span class="logo" aria-hidden="true"></span><div><div class="brand-name">gridnode</div>
        <div class="brand-org" title="organization">${(opts && opts.orgName) || sess.org}</div></div></div>
      <ul>${pages.map(
        (p) => html`<li><a href=${'#/' + p.path} class=${p === page && top !== 'password' ? 'active' : ''} data-nav=${p.path}>
          <span class="nav-icon" aria-hidden="true">${p.icon}</span>${p.label}</a></li>`,
      )}</ul>
      <div class="side-foot">${opts && opts.version ? 'admin ' + opts.version : ''}</div>
    </nav>
    <div class="main">
      <header class="top">
        <div class="top-org">Organization <strong>${sess.org}</strong></div>
        <div class="top-user">
          ${!isAdmin && html`<span class="badge muted" title="a viewer sees everything and changes nothing">read-only</span>`}
          <span class="user" title=${sess.kind === 'wallet' ? 'signed in with a wallet' : 'signed in with a password'}>${sess.user}</span>
          <span class=${'badge ' + (isAdmin ? 'accent' : 'muted')} data-role=${sess.role}>${sess.role}</span>
          ${sess.kind === 'password' && html`<a class="btn tiny ghost" href="#/password">Password</a>`}
          <button class="btn tiny ghost" id="logout" onClick=${logout}>Sign out</button>
        </div>
      </header>
      <main class="content">${view}</main>
    </div>
  </div>`;
}
