import { render } from 'preact';
import { html } from 'htm/preact';

render(html`<p>gridnode admin</p>`, document.getElementById('app'));
