var e,t,n,r,i,a,o,s,c,l,u,d,f,p,m={},h=[],g=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,_=Array.isArray;function v(e,t){for(var n in t)e[n]=t[n];return e}function y(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function b(t,n,r){var i,a,o,s={};for(o in n)o==`key`?i=n[o]:o==`ref`?a=n[o]:s[o]=n[o];if(arguments.length>2&&(s.children=arguments.length>3?e.call(arguments,2):r),typeof t==`function`&&t.defaultProps!=null)for(o in t.defaultProps)s[o]===void 0&&(s[o]=t.defaultProps[o]);return x(t,s,i,a,null)}function x(e,r,i,a,o){var s={type:e,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:o??++n,__i:-1,__u:0};return o==null&&t.vnode!=null&&t.vnode(s),s}function S(e){return e.children}function C(e,t){this.props=e,this.context=t}function w(e,t){if(t==null)return e.__?w(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type==`function`?w(e):null}function ee(e){if(e.__P&&e.__d){var n=e.__v,r=n.__e,i=[],a=[],o=v({},n);o.__v=n.__v+1,t.vnode&&t.vnode(o),oe(e.__P,o,n,e.__n,e.__P.namespaceURI,32&n.__u?[r]:null,i,r??w(n),!!(32&n.__u),a),o.__v=n.__v,o.__.__k[o.__i]=o,ce(i,o,a),n.__e=n.__=null,o.__e!=r&&T(o)}}function T(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),T(e)}function E(e){(!e.__d&&(e.__d=!0)&&r.push(e)&&!D.__r++||i!=t.debounceRendering)&&((i=t.debounceRendering)||a)(D)}function D(){try{for(var e,t=1;r.length;)r.length>t&&r.sort(o),e=r.shift(),t=r.length,ee(e)}finally{r.length=D.__r=0}}function te(e,t,n,r,i,a,o,s,c,l,u){var d,f,p,g,_,v,y=r&&r.__k||h,b=t.length;for(c=O(n,t,y,c,b),d=0;d<b;d++)(p=n.__k[d])!=null&&(f=p.__i!=-1&&y[p.__i]||m,p.__i=d,v=oe(e,p,f,i,a,o,s,c,l,u),g=p.__e,p.ref&&f.ref!=p.ref&&(f.ref&&de(f.ref,null,p),u.push(p.ref,p.__c||g,p)),_==null&&g!=null&&(_=g),4&p.__u?(c=ne(p,c,e),f.__e&&(f.__e=null)):typeof p.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),p.__u&=-7);return n.__e=_,c}function O(e,t,n,r,i){var a,o,s,c,l,u=n.length,d=u,f=0;for(e.__k=Array(i),a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o==`string`||typeof o==`number`||typeof o==`bigint`||o.constructor==String?o=e.__k[a]=x(null,o,null,null,null):_(o)?o=e.__k[a]=x(S,{children:o},null,null,null):o.constructor===void 0&&o.__b>0?o=e.__k[a]=x(o.type,o.props,o.key,o.ref?o.ref:null,o.__v):e.__k[a]=o,c=a+f,o.__=e,o.__b=e.__b+1,s=null,(l=o.__i=re(o,n,c,d))!=-1&&(d--,(s=n[l])&&(s.__u|=2)),s==null||s.__v==null?(l==-1&&(i>u?f--:i<u&&f++),typeof o.type!=`function`&&(o.__u|=4)):l!=c&&(l==c-1?f--:l==c+1?f++:(l>c?f--:f++,o.__u|=4))):e.__k[a]=null;if(d)for(a=0;a<u;a++)(s=n[a])!=null&&!(2&s.__u)&&(s.__e==r&&(r=w(s)),fe(s,s));return r}function ne(e,t,n){var r,i;if(typeof e.type==`function`){for(r=e.__k,i=0;r&&i<r.length;i++)r[i]&&(r[i].__=e,t=ne(r[i],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=w(e)),t=n.insertBefore(e.__e,t||null));do t&&=t.nextSibling;while(t!=null&&t.nodeType==8);return t}function re(e,t,n,r){var i,a,o,s=e.key,c=e.type,l=t[n],u=l!=null&&!(2&l.__u);if(l===null&&s==null||u&&s==l.key&&c==l.type)return n;if(r>+!!u){for(i=n-1,a=n+1;i>=0||a<t.length;)if((l=t[o=i>=0?i--:a++])!=null&&!(2&l.__u)&&s==l.key&&c==l.type)return o}return-1}function ie(e,t,n){t[0]==`-`?e.setProperty(t,n??``):e[t]=n==null?``:typeof n!=`number`||g.test(t)?n:n+`px`}function ae(e,t,n,r,i){var a,o;n:if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||ie(e.style,t,``);if(n)for(t in n)r&&n[t]==r[t]||ie(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)a=t!=(t=t.replace(u,`$1`)),o=t.toLowerCase(),t=o in e||t==`onFocusOut`||t==`onFocusIn`?o.slice(2):t.slice(2),e.l||={},e.l[t+a]=n,n?r?n[l]=r[l]:(n[l]=d,e.addEventListener(t,a?p:f,a)):e.removeEventListener(t,a?p:f,a);else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;break n}catch{}typeof n==`function`||(n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n))}}function k(e){return function(n){if(this.l){var r=this.l[n.type+e];if(n[c]==null)n[c]=d++;else if(n[c]<r[l])return;return r(t.event?t.event(n):n)}}}function oe(e,n,r,i,a,o,s,c,l,u){var d,f,p,m,g,b,x,ee,T,E,D,O,ne,re,ie,ae,k=n.type;if(n.constructor!==void 0)return null;128&r.__u&&(l=!!(32&r.__u),o=[c=n.__e=r.__e]),(d=t.__b)&&d(n);n:if(typeof k==`function`){f=s.length;try{if(T=n.props,E=k.prototype&&k.prototype.render,D=(d=k.contextType)&&i[d.__c],O=d?D?D.props.value:d.__:i,r.__c?ee=(p=n.__c=r.__c).__=p.__E:(E?n.__c=p=new k(T,O):(n.__c=p=new C(T,O),p.constructor=k,p.render=pe),D&&D.sub(p),p.state||(p.state={}),p.__n=i,m=p.__d=!0,p.__h=[],p._sb=[]),E&&p.__s==null&&(p.__s=p.state),E&&k.getDerivedStateFromProps!=null&&(p.__s==p.state&&(p.__s=v({},p.__s)),v(p.__s,k.getDerivedStateFromProps(T,p.__s))),g=p.props,b=p.state,p.__v=n,m)E&&k.getDerivedStateFromProps==null&&p.componentWillMount!=null&&p.componentWillMount(),E&&p.componentDidMount!=null&&p.__h.push(p.componentDidMount);else{if(E&&k.getDerivedStateFromProps==null&&T!==g&&p.componentWillReceiveProps!=null&&p.componentWillReceiveProps(T,O),n.__v==r.__v||!p.__e&&p.shouldComponentUpdate!=null&&!1===p.shouldComponentUpdate(T,p.__s,O)){n.__v!=r.__v&&(p.props=T,p.state=p.__s,p.__d=!1),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),h.push.apply(p.__h,p._sb),p._sb=[],p.__h.length&&s.push(p),c=w(r);break n}p.componentWillUpdate!=null&&p.componentWillUpdate(T,p.__s,O),E&&p.componentDidUpdate!=null&&p.__h.push(function(){p.componentDidUpdate(g,b,x)})}if(p.context=O,p.props=T,p.__P=e,p.__e=!1,ne=t.__r,re=0,E)p.state=p.__s,p.__d=!1,ne&&ne(n),d=p.render(p.props,p.state,p.context),h.push.apply(p.__h,p._sb),p._sb=[];else do p.__d=!1,ne&&ne(n),d=p.render(p.props,p.state,p.context),p.state=p.__s;while(p.__d&&++re<25);p.state=p.__s,p.getChildContext!=null&&(i=v(v({},i),p.getChildContext())),E&&!m&&p.getSnapshotBeforeUpdate!=null&&(x=p.getSnapshotBeforeUpdate(g,b)),ie=d!=null&&d.type===S&&d.key==null?le(d.props.children):d,c=te(e,_(ie)?ie:[ie],n,r,i,a,o,s,c,l,u),p.base=n.__e,n.__u&=-161,p.__h.length&&s.push(p),ee&&(p.__E=p.__=null)}catch(e){if(s.length=f,n.__v=null,l||o!=null){if(e.then){for(n.__u|=l?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;o!=null&&(o[o.indexOf(c)]=null),n.__e=c}else if(o!=null)for(ae=o.length;ae--;)y(o[ae])}else n.__e=r.__e;n.__k??=r.__k||[],e.then||se(n),t.__e(e,n,r)}}else o==null&&n.__v==r.__v?(n.__k=r.__k,n.__e=r.__e):c=n.__e=ue(r.__e,n,r,i,a,o,s,l,u);return(d=t.diffed)&&d(n),128&n.__u?void 0:c}function se(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(se))}function ce(e,n,r){for(var i=0;i<r.length;i++)de(r[i],r[++i],r[++i]);t.__c&&t.__c(n,e),e.some(function(n){try{e=n.__h,n.__h=[],e.some(function(e){e.call(n)})}catch(e){t.__e(e,n.__v)}})}function le(e){return typeof e!=`object`||!e||e.__b>0?e:_(e)?e.map(le):e.constructor===void 0?v({},e):null}function ue(n,r,i,a,o,s,c,l,u){var d,f,p,h,g,v,b,x=i.props||m,S=r.props,C=r.type;if(C==`svg`?o=`http://www.w3.org/2000/svg`:C==`math`?o=`http://www.w3.org/1998/Math/MathML`:o||=`http://www.w3.org/1999/xhtml`,s!=null){for(d=0;d<s.length;d++)if((g=s[d])&&`setAttribute`in g==!!C&&(C?g.localName==C:g.nodeType==3)){n=g,s[d]=null;break}}if(n==null){if(C==null)return document.createTextNode(S);n=document.createElementNS(o,C,S.is&&S),l&&=(t.__m&&t.__m(r,s),!1),s=null}if(C==null)x===S||l&&n.data==S||(n.data=S);else{if(s=C==`textarea`&&S.defaultValue!=null?null:s&&e.call(n.childNodes),!l&&s!=null)for(x={},d=0;d<n.attributes.length;d++)x[(g=n.attributes[d]).name]=g.value;for(d in x)g=x[d],d==`dangerouslySetInnerHTML`?p=g:d==`children`||d in S||d==`value`&&`defaultValue`in S||d==`checked`&&`defaultChecked`in S||ae(n,d,null,g,o);for(d in S)g=S[d],d==`children`?h=g:d==`dangerouslySetInnerHTML`?f=g:d==`value`?v=g:d==`checked`?b=g:l&&typeof g!=`function`||x[d]===g||ae(n,d,g,x[d],o);if(f)l||p&&(f.__html==p.__html||f.__html==n.innerHTML)||(n.innerHTML=f.__html),r.__k=[];else if(p&&(n.innerHTML=``),te(r.type==`template`?n.content:n,_(h)?h:[h],r,i,a,C==`foreignObject`?`http://www.w3.org/1999/xhtml`:o,s,c,s?s[0]:i.__k&&w(i,0),l,u),s!=null)for(d=s.length;d--;)y(s[d]);l&&C!=`textarea`||(d=`value`,C==`progress`&&v==null?n.removeAttribute(`value`):v!=null&&(v!==n[d]||C==`progress`&&!v||C==`option`&&v!=x[d])&&ae(n,d,v,x[d],o),d=`checked`,b!=null&&b!=n[d]&&ae(n,d,b,x[d],o))}return n}function de(e,n,r){try{if(typeof e==`function`){var i=typeof e.__u==`function`;i&&e.__u(),i&&n==null||(e.__u=e(n))}else e.current=n}catch(e){t.__e(e,r)}}function fe(e,n,r){var i,a;if(t.unmount&&t.unmount(e),(i=e.ref)&&(i.current&&i.current!=e.__e||de(i,null,n)),(i=e.__c)!=null){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(e){t.__e(e,n)}i.base=i.__P=i.__n=null}if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&fe(i[a],n,r||typeof e.type!=`function`);r||y(e.__e),e.__c=e.__=e.__e=void 0}function pe(e,t,n){return this.constructor(e,n)}function me(n,r,i){var a,o,s,c;r==document&&(r=document.documentElement),t.__&&t.__(n,r),o=(a=typeof i==`function`)?null:i&&i.__k||r.__k,s=[],c=[],oe(r,n=(!a&&i||r).__k=b(S,null,[n]),o||m,m,r.namespaceURI,!a&&i?[i]:o?null:r.firstChild?e.call(r.childNodes):null,s,!a&&i?i:o?o.__e:r.firstChild,a,c),ce(s,n,c),n.props.children=null}e=h.slice,t={__e:function(e,t,n,r){for(var i,a,o;t=t.__;)if((i=t.__c)&&!i.__)try{if((a=i.constructor)&&a.getDerivedStateFromError!=null&&(i.setState(a.getDerivedStateFromError(e)),o=i.__d),i.componentDidCatch!=null&&(i.componentDidCatch(e,r||{}),o=i.__d),o)return i.__E=i}catch(t){e=t}throw e}},n=0,C.prototype.setState=function(e,t){var n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=v({},this.state);typeof e==`function`&&(e=e(v({},n),this.props)),e&&v(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),E(this))},C.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),E(this))},C.prototype.render=S,r=[],a=typeof Promise==`function`?Promise.prototype.then.bind(Promise.resolve()):setTimeout,o=function(e,t){return e.__v.__b-t.__v.__b},D.__r=0,s=Math.random().toString(8),c=`__d`+s,l=`__a`+s,u=/(PointerCapture)$|Capture$/i,d=0,f=k(!1),p=k(!0);var he=function(e,t,n,r){var i;t[0]=0;for(var a=1;a<t.length;a++){var o=t[a++],s=t[a]?(t[0]|=o?1:2,n[t[a++]]):t[++a];o===3?r[0]=s:o===4?r[1]=Object.assign(r[1]||{},s):o===5?(r[1]=r[1]||{})[t[++a]]=s:o===6?r[1][t[++a]]+=s+``:o?(i=e.apply(s,he(e,s,n,[``,null])),r.push(i),s[0]?t[0]|=2:(t[a-2]=0,t[a]=i)):r.push(s)}return r},ge=new Map;function _e(e){var t=ge.get(this);return t||(t=new Map,ge.set(this,t)),(t=he(this,t.get(e)||(t.set(e,t=function(e){for(var t,n,r=1,i=``,a=``,o=[0],s=function(e){r===1&&(e||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,``)))?o.push(0,e,i):r===3&&(e||i)?(o.push(3,e,i),r=2):r===2&&i===`...`&&e?o.push(4,e,0):r===2&&i&&!e?o.push(5,0,!0,i):r>=5&&((i||!e&&r===5)&&(o.push(r,0,i,n),r=6),e&&(o.push(r,e,0,n),r=6)),i=``},c=0;c<e.length;c++){c&&(r===1&&s(),s(c));for(var l=0;l<e[c].length;l++)t=e[c][l],r===1?t===`<`?(s(),o=[o],r=3):i+=t:r===4?i===`--`&&t===`>`?(r=1,i=``):i=t+i[0]:a?t===a?a=``:i+=t:t===`"`||t===`'`?a=t:t===`>`?(s(),r=1):r&&(t===`=`?(r=5,n=i,i=``):t===`/`&&(r<5||e[c][l+1]===`>`)?(s(),r===3&&(o=o[0]),r=o,(o=o[0]).push(2,0,r),r=0):t===` `||t===`	`||t===`
`||t===`\r`?(s(),r=2):i+=t),r===3&&i===`!--`&&(r=4,o=o[0])}return s(),o}(e)),t),arguments,[])).length>1?t:t[0]}var A=_e.bind(b),ve,j,ye,be,xe=0,Se=[],M=t,Ce=M.__b,we=M.__r,Te=M.diffed,Ee=M.__c,De=M.unmount,Oe=M.__;function ke(e,t){M.__h&&M.__h(j,e,xe||t),xe=0;var n=j.__H||(j.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function N(e){return xe=1,Ae(Ve,e)}function Ae(e,t,n){var r=ke(ve++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Ve(void 0,t),function(e){var t=r.__N?r.__N[0]:r.__[0],n=r.t(t,e);t!==n&&(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=j,!j.__f)){var i=function(e,t,n){if(!r.__c.__H)return!0;var i=!1,o=r.__c.props!==e;if(r.__c.__H.__.some(function(e){if(e.__N){i=!0;var t=e.__[0];e.__=e.__N,e.__N=void 0,t!==e.__[0]&&(o=!0)}}),a){var s=a.call(this,e,t,n);return i?s||o:s}return!i||o};j.__f=!0;var a=j.shouldComponentUpdate,o=j.componentWillUpdate;j.componentWillUpdate=function(e,t,n){if(this.__e){var r=a;a=void 0,i(e,t,n),a=r}o&&o.call(this,e,t,n)},j.shouldComponentUpdate=i}return r.__N||r.__}function je(e,t){var n=ke(ve++,3);!M.__s&&Be(n.__H,t)&&(n.__=e,n.u=t,j.__H.__h.push(n))}function Me(e){return xe=5,Ne(function(){return{current:e}},[])}function Ne(e,t){var n=ke(ve++,7);return Be(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function Pe(e,t){return xe=8,Ne(function(){return e},t)}function Fe(){for(var e;e=Se.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Re),t.__h.some(ze),t.__h=[]}catch(n){t.__h=[],M.__e(n,e.__v)}}}M.__b=function(e){j=null,Ce&&Ce(e)},M.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Oe&&Oe(e,t)},M.__r=function(e){we&&we(e),ve=0;var t=(j=e.__c).__H;t&&(ye===j?(t.__h=[],j.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})):(t.__h.some(Re),t.__h.some(ze),t.__h=[],ve=0)),ye=j},M.diffed=function(e){Te&&Te(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(Se.push(t)!==1&&be===M.requestAnimationFrame||((be=M.requestAnimationFrame)||Le)(Fe)),t.__H.__.some(function(e){e.u&&=(e.__H=e.u,void 0)})),ye=j=null},M.__c=function(e,t){t.some(function(e){try{e.__h.some(Re),e.__h=e.__h.filter(function(e){return!e.__||ze(e)})}catch(n){t.some(function(e){e.__h&&=[]}),t=[],M.__e(n,e.__v)}}),Ee&&Ee(e,t)},M.unmount=function(e){De&&De(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(e){try{Re(e)}catch(e){t=e}}),n.__H=void 0,t&&M.__e(t,n.__v))};var Ie=typeof requestAnimationFrame==`function`;function Le(e){var t,n=function(){clearTimeout(r),Ie&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Ie&&(t=requestAnimationFrame(n))}function Re(e){var t=j,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),j=t}function ze(e){var t=j;e.__c=e.__(),j=t}function Be(e,t){return!e||e.length!==t.length||t.some(function(t,n){return t!==e[n]})}function Ve(e,t){return typeof t==`function`?t(e):t}var He=``,Ue=()=>{};function We(e){He=e||``}function Ge(){return He}function Ke(e){Ue=e}var qe=class extends Error{constructor(e,t,n,r){super(n),this.status=e,this.code=t,this.requestId=r}};async function P(e,t,n,{signal:r}={}){let i={method:e,headers:{Accept:`application/json`},credentials:`same-origin`,signal:r};e!==`GET`&&(i.headers[`X-CSRF-Token`]=He||`login`),n!==void 0&&(i.headers[`Content-Type`]=`application/json`,i.body=JSON.stringify(n));let a;try{a=await fetch(`api/`+t,i)}catch(e){throw e.name===`AbortError`?e:new qe(0,`network`,`The console cannot reach admin (`+e.message+`). Check your connection and retry.`)}let o=await a.text(),s=null;try{s=o?JSON.parse(o):null}catch{s=null}if(!a.ok){let e=s&&s.error||{},t=new qe(a.status,e.code||`http`,e.message||`admin answered ${a.status} ${a.statusText}`,e.request_id);throw a.status===401&&t.code===`unauthorized`&&Ue(),t}return s}var Je=(e,t)=>P(`GET`,e,void 0,t),F=(e,t)=>P(`POST`,e,t===void 0?{}:t),Ye=(e,t)=>P(`PUT`,e,t),Xe=e=>P(`DELETE`,e);async function Ze(e,t,{signal:n}={}){let r;try{r=await fetch(`api/`+e,{credentials:`same-origin`,signal:n,headers:{Accept:`text/plain, application/json`}})}catch(e){if(e.name===`AbortError`)return;throw new qe(0,`network`,`The console cannot reach admin (`+e.message+`).`)}if(!r.ok){let e={};try{e=(await r.json()).error||{}}catch{}throw r.status===401&&e.code===`unauthorized`&&Ue(),new qe(r.status,e.code||`http`,e.message||`admin answered ${r.status}`,e.request_id)}let i=r.body.getReader(),a=new TextDecoder;try{for(;;){let{done:e,value:n}=await i.read();if(e)break;t(a.decode(n,{stream:!0}))}}catch(e){if(e.name!==`AbortError`)throw e}}function Qe(e){let t=new URLSearchParams;for(let[n,r]of Object.entries(e))Array.isArray(r)?r.filter(e=>e!==``&&e!=null).forEach(e=>t.append(n,e)):r!==``&&r!=null&&t.set(n,r);let n=t.toString();return n?`?`+n:``}function $e(e){let t=new Uint8Array(6);return crypto.getRandomValues(t),`console-`+e+`-`+Array.from(t,e=>e.toString(16).padStart(2,`0`)).join(``)}function I(e,{interval:t=0}={}){let[n,r]=N({data:null,error:null,loading:!!e}),i=Me(0),a=Pe(async()=>{if(!e)return;let t=++i.current;r(e=>({...e,loading:!0}));try{let n=await Je(e);t===i.current&&r({data:n,error:null,loading:!1})}catch(e){t===i.current&&r(t=>({data:t.data,error:e,loading:!1}))}},[e]);return je(()=>{if(r({data:null,error:null,loading:!!e}),a(),!t)return;let n=setInterval(a,t);return()=>clearInterval(n)},[a,t]),{...n,reload:a}}function L({title:e,subtitle:t,actions:n,children:r}){return A`<section class="page">
    <header class="page-head">
      <div><h1>${e}</h1>${t&&A`<p class="subtitle">${t}</p>`}</div>
      ${n&&A`<div class="page-actions">${n}</div>`}
    </header>
    ${r}
  </section>`}function R({title:e,actions:t,children:n,class:r=``,id:i}){return A`<div class=${`card `+r} id=${i}>
    ${(e||t)&&A`<div class="card-head"><h2>${e}</h2>${t&&A`<div class="card-actions">${t}</div>`}</div>`}
    <div class="card-body">${n}</div>
  </div>`}var et={passing:`ok`,ok:`ok`,active:`ok`,registered:`ok`,confirmed:`ok`,settled:`ok`,running:`ok`,connected:`ok`,warning:`warn`,pending:`warn`,mined:`warn`,outdated:`warn`,standby:`warn`,ended:`warn`,locked:`warn`,critical:`bad`,failed:`bad`,denied:`bad`,taken:`bad`,unregistered:`muted`,deregistered:`muted`,cancelled:`muted`,admin:`accent`,viewer:`muted`,buyer:`accent`,seller:`accent2`,"buyer+seller":`accent`};function z({value:e,tone:t,title:n}){return A`<span class=${`badge `+(t||et[e]||`muted`)} title=${n}>${e}</span>`}function tt({status:e}){return A`<span class=${`dot `+(et[e]||`muted`)} title=${e}></span>`}function nt({label:e}){return A`<span class="spinner-wrap"><span class="spinner" aria-hidden="true"></span>${e&&A`<span>${e}</span>`}</span>`}function B({error:e,retry:t,title:n}){return e?A`<div class="alert error" role="alert">
    <div><strong>${n||`Something went wrong`}</strong>
      <p>${e.message||String(e)}</p>
      ${e.code&&A`<p class="meta">code ${e.code}${e.requestId?` · request `+e.requestId:``}</p>`}
    </div>
    ${t&&A`<button class="btn small" onClick=${t}>Retry</button>`}
  </div>`:null}function V({tone:e=`info`,title:t,children:n}){return A`<div class=${`alert `+e}><div>${t&&A`<strong>${t}</strong>`}<div>${n}</div></div></div>`}function H({icon:e=`◌`,title:t,children:n}){return A`<div class="empty"><div class="empty-icon" aria-hidden="true">${e}</div><h3>${t}</h3>${n&&A`<p>${n}</p>`}</div>`}function U({label:e=`Loading…`}){return A`<div class="loading"><${nt} label=${e} /></div>`}function W({columns:e,rows:t,empty:n,onRow:r,rowKey:i,rowClass:a}){return!t||t.length===0?n||A`<${H} title="Nothing here yet" />`:A`<div class="table-wrap"><table>
    <thead><tr>${e.map(e=>A`<th class=${e.class||``}>${e.label}</th>`)}</tr></thead>
    <tbody>${t.map((t,n)=>A`<tr key=${i?i(t):n} class=${(r?`clickable `:``)+(a?a(t):``)}
        onClick=${r?()=>r(t):void 0}>
      ${e.map(e=>A`<td class=${e.class||``}>${e.render(t)}</td>`)}</tr>`)}</tbody>
  </table></div>`}function G({onClick:e,children:t,kind:n=`primary`,busyLabel:r,disabled:i,type:a=`button`,small:o,title:s,id:c}){let[l,u]=N(!1);return A`<button id=${c} type=${a} title=${s} class=${`btn `+n+(o?` small`:``)} disabled=${i||l} onClick=${async t=>{if(e){t.preventDefault(),u(!0);try{await e(t)}finally{u(!1)}}}}>
    ${l?A`<${nt} label=${r||t} />`:t}
  </button>`}function rt({title:e,body:t,confirmLabel:n=`Confirm`,danger:r,onConfirm:i,onCancel:a}){return A`<div class="modal-back" onClick=${a}>
    <div class="modal" role="dialog" aria-modal="true" aria-label=${e} onClick=${e=>e.stopPropagation()}>
      <h2>${e}</h2>
      <div class="modal-body">${t}</div>
      <div class="modal-actions">
        <button class="btn ghost" onClick=${a}>Keep it</button>
        <${G} kind=${r?`danger`:`primary`} onClick=${i}>${n}<//>
      </div>
    </div>
  </div>`}function K({label:e,hint:t,children:n,error:r}){return A`<label class="field"><span class="field-label">${e}</span>${n}
    ${t&&!r&&A`<span class="field-hint">${t}</span>`}${r&&A`<span class="field-error">${r}</span>`}</label>`}function q({items:e}){return A`<dl class="kv">${e.filter(Boolean).map(([e,t])=>A`<dt>${e}</dt><dd>${t??`—`}</dd>`)}</dl>`}function J({label:e,value:t,hint:n,tone:r,title:i}){return A`<div class=${`stat `+(r||``)}>
    <div class="stat-label">${e}</div><div class="stat-value" title=${i}>${t}</div>${n&&A`<div class="stat-hint">${n}</div>`}</div>`}function it({value:e}){let[t,n]=N(!1);return A`<button class="btn tiny ghost" onClick=${async()=>{try{await navigator.clipboard.writeText(e),n(!0),setTimeout(()=>n(!1),1500)}catch{}}} title="Copy">${t?`copied`:`copy`}</button>`}function at(e){return e.code===`bad_credentials`?{message:`Wrong user name or password.`}:e.code===`locked`?{message:`This account is locked after too many failed sign-ins. `+e.message.replace(/^.*until/,`Try again after`)+`.`,code:e.code}:e.code===`rate_limited`?{message:`Too many sign-in attempts from your address. `+e.message.replace(/^.*;\s*/,``)+`.`,code:e.code}:e}async function ot(e){let t=window.ethereum,[n]=await t.request({method:`eth_requestAccounts`}),r=await F(`login/wallet/challenge`,{address:n}),i=await t.request({method:`personal_sign`,params:[r.message,n]});e(await F(`login/wallet`,{message:r.message,signature:i}))}function st({opts:e,onSignedIn:t}){let[n,r]=N(``),[i,a]=N(``),[o,s]=N(null),c=async()=>{s(null);try{t(await F(`login`,{username:n.trim(),password:i}))}catch(e){s(at(e))}},l=e&&e.wallet&&typeof window<`u`&&window.ethereum;return A`<div class="auth">
    <form class="auth-card" onSubmit=${e=>{e.preventDefault(),c()}}>
      <div class="brand big"><span class="logo" aria-hidden="true"></span><div><div class="brand-name">gridnode admin</div>
        <div class="brand-org">${e&&(e.orgName||e.org)||``}</div></div></div>
      <h1>Sign in</h1>
      ${e&&e.noAccounts&&A`<div class="alert warn"><div><strong>No operator account yet</strong>
        <p>Start admin with <code>--bootstrap-password-file</code> to make the first admin account.</p></div></div>`}
      <${B} error=${o} title="Sign-in refused" />
      <${K} label="User name"><input id="username" name="username" autocomplete="username" value=${n} onInput=${e=>r(e.target.value)} required autofocus /><//>
      <${K} label="Password"><input id="password" name="password" type="password" autocomplete="current-password" value=${i} onInput=${e=>a(e.target.value)} required /><//>
      <${G} type="submit" id="sign-in" onClick=${c} busyLabel="Signing in…">Sign in<//>
      ${l&&A`<div class="or">or</div><${G} kind="ghost" onClick=${async()=>{s(null);try{await ot(t)}catch(e){s(at(e))}}} busyLabel="Waiting for the wallet…">Sign in with your wallet<//>`}
      ${e&&e.wallet&&!l&&A`<p class="muted small">The organization's owner can also sign in with an Ethereum wallet (a browser with one installed).</p>`}
    </form>
  </div>`}function ct({sess:e,forced:t,onChanged:n,onLogout:r}){let[i,a]=N(``),[o,s]=N(``),[c,l]=N(``),[u,d]=N(null),[f,p]=N(!1),m=c&&o!==c,h=async()=>{if(d(null),o!==c)d({message:`The two new passwords differ.`});else try{let e=await F(`password`,{current:i,new:o});p(!0),a(``),s(``),l(``),n(e)}catch(e){d(e.code===`bad_credentials`?{message:`The current password is wrong.`}:e)}},g=A`<form class=${t?`auth-card`:`card narrow`} onSubmit=${e=>{e.preventDefault(),h()}}>
    ${t&&A`<div class="brand big"><span class="logo" aria-hidden="true"></span><div><div class="brand-name">gridnode admin</div><div class="brand-org">${e.org}</div></div></div>`}
    <h1>${t?`Choose your password`:`Change your password`}</h1>
    ${t&&A`<p class="muted">Signed in as <strong>${e.user}</strong> with a temporary password. Choose your own before you go on: 12 or more characters, not your user name.</p>`}
    ${f&&!t&&A`<div class="alert ok"><div><strong>Password changed.</strong> Your other sessions were signed out.</div></div>`}
    <${B} error=${u} title="Password not changed" />
    <${K} label="Current password"><input id="current-password" type="password" autocomplete="current-password" value=${i} onInput=${e=>a(e.target.value)} required /><//>
    <${K} label="New password" hint="12 or more characters"><input id="new-password" type="password" autocomplete="new-password" minlength="12" value=${o} onInput=${e=>s(e.target.value)} required /><//>
    <${K} label="New password again" error=${m?`differs from the new password`:null}><input id="new-password-again" type="password" autocomplete="new-password" value=${c} onInput=${e=>l(e.target.value)} required /><//>
    <div class="row">
      <${G} type="submit" id="change-password" onClick=${h} busyLabel="Saving…">Change password<//>
      ${t&&A`<button type="button" class="btn ghost" onClick=${r}>Sign out</button>`}
    </div>
  </form>`;return t?A`<div class="auth">${g}</div>`:A`<section class="page">${g}</section>`}var lt={"-":`⁻`,0:`⁰`,1:`¹`,2:`²`,3:`³`,4:`⁴`,5:`⁵`,6:`⁶`,7:`⁷`,8:`⁸`,9:`⁹`};function ut(e){return e.replace(/\B(?=(\d{3})+(?!\d))/g,`,`)}function Y(e){if(e==null||e===``)return`—`;if(e=String(e).replace(/^0+(?=\d)/,``),!/^\d+$/.test(e))return e;if(e.length<=15)return ut(e);let t=e.length-1;return e[0]+`.`+e.slice(1,4)+` × 10`+String(t).split(``).map(e=>lt[e]).join(``)}function dt(e){try{return BigInt(String(e??`0`))}catch{return 0n}}function X(e){if(e=Number(e||0),e===0)return`0`;let t=[`B`,`KiB`,`MiB`,`GiB`,`TiB`,`PiB`],n=0;for(;e>=1024&&n<t.length-1;)e/=1024,n++;return(e>=100||Number.isInteger(e)?e.toFixed(0):e.toFixed(1))+` `+t[n]}function ft(e){return e=Number(e||0),e%1e3==0?e/1e3+` CPU`:(e/1e3).toFixed(e%100==0?1:3)+` CPU`}function pt(e){if(!e)return`—`;let t=[ft(e.cpuMillis),X(e.memoryBytes)+` mem`];return e.storageBytes&&t.push(X(e.storageBytes)+` disk`),e.gpus&&t.push(e.gpus+` GPU`+(e.gpuModel?` `+e.gpuModel:``)),t.join(` · `)}function Z(e){return!e||e.length<14?e||`—`:e.slice(0,6)+`…`+e.slice(-4)}function Q(e){return e=Math.max(0,Math.round(Number(e||0))),e<60?e+` s`:e<3600?Math.floor(e/60)+` min`+(e%60?` `+e%60+` s`:``):e<86400?Math.floor(e/3600)+` h`+(e%3600>=60?` `+Math.floor(e%3600/60)+` min`:``):Math.floor(e/86400)+` d`+(e%86400>=3600?` `+Math.floor(e%86400/3600)+` h`:``)}function mt(e){if(!e)return`—`;let t=Date.now()-new Date(e).getTime();return Number.isNaN(t)?`—`:t<0?`in `+Q(-t/1e3):t<1500?`just now`:Q(t/1e3)+` ago`}function $(e){if(!e)return`—`;let t=typeof e==`number`?new Date(e*1e3):new Date(e);return Number.isNaN(t.getTime())?`—`:t.toLocaleString(void 0,{year:`numeric`,month:`short`,day:`numeric`,hour:`2-digit`,minute:`2-digit`,second:`2-digit`})}function ht(e,t){return e+` `+t+(e===1?``:`s`)}var gt={carrier:`scheduler, libp2p peer, chain mediator — exactly one is active`,admin:`this console`,gateway:`one per provider cluster: order check, deploy, reverse proxy`,via:`the public edge: routes and relays`};function _t({part:e,what:t}){return!e||!e.error?null:A`<p class="part-error"><span class="dot bad"></span>${t}: ${e.error}</p>`}function vt({services:e}){return A`<div class="services">${e.map(e=>A`<div class="service" data-service=${e.name}>
      <div class="service-head"><h3>${e.name}</h3><span class=${`count `+(e.passing>0?`ok`:e.instances.length?`bad`:`muted`)}>
        ${e.passing}/${e.instances.length} passing</span></div>
      <p class="muted small">${gt[e.name]}</p>
      ${e.error&&A`<p class="part-error"><span class="dot bad"></span>${e.error}</p>`}
      ${e.instances.length===0&&!e.error?A`<p class="none">No instance registered${e.name===`gateway`?`: this organization sells nothing yet`:``}.</p>`:A`<ul class="instances">${e.instances.map(e=>A`<li title=${e.output||e.status}><${tt} status=${e.status} /><span class="mono">${e.address}:${e.port}</span>
              ${e.provider&&A`<span class="muted mono" title=${e.provider}> ${Z(e.provider)}</span>`}
              ${e.version&&A`<span class="muted"> · ${e.version}</span>`}
              ${e.status!==`passing`&&e.output&&A`<div class="muted small clip">${e.output}</div>`}</li>`)}</ul>`}
    </div>`)}</div>`}function yt(){let{data:e,error:t,reload:n}=I(`overview`,{interval:5e3});if(!e&&t)return A`<${L} title="Overview"><${B} error=${t} retry=${n} /><//>`;if(!e)return A`<${L} title="Overview"><${U} /><//>`;let r=e.status.data||{},i=e.chain.data||{},a=e.head.data,o=e.peers.data,s=e.directory.data;return A`<${L} title="Overview" subtitle=${`Organization `+(e.orgName?e.orgName+` (`+e.org+`)`:e.org)+` — refreshed every 5 s`}>
    ${t&&A`<${B} error=${t} title="Refresh failed; showing the last data" retry=${n} />`}
    <div class="stats">
      <${J} label="Carrier" value=${r.state?A`<${z} value=${r.state} />`:`—`} hint=${e.carrier.data?e.carrier.data.id:e.carrier.error} tone=${r.state===`active`?`ok`:`warn`} />
      <${J} label="Chain head" value=${a?`#`+a.number:`—`} hint=${a?`block `+mt(a.time)+` · chain `+a.chainId:e.head.error} tone=${a?`ok`:`bad`} />
      <${J} label="Peers" value=${o?o.peers.length:`—`} hint=${o?`connected organizations’ carriers`:e.peers.error} />
      <${J} label="Directory" value=${s?s.listings:`—`} hint=${s?ht(s.listings,`live listing`)+` in the network`:e.directory.error} />
    </div>
    <${R} title="Services in Consul"><${vt} services=${e.services} /><//>
    <div class="grid2">
      <${R} title="Chain">
        <${_t} part=${e.chain} what="carrier chain status" />
        <${_t} part=${e.head} what="chain head" />
        ${e.chain.data&&!i.running&&A`<${V} tone="warn" title="No chain mediator runs">${i.problem||(i.enabled?`waiting`:`the carrier runs without --keystore: no wallet, no chain`)}<//>`}
        <${q} items=${[[`Mediator`,i.running?A`<${z} value="running" />`:A`<${z} value=${i.enabled===!1?`off`:`stopped`} tone="warn" />`],[`Org wallet`,i.account?A`<span class="mono">${i.account}</span>`:`—`],[`Chain id`,i.chainId||a&&a.chainId],[`RPC`,i.rpc||a&&a.rpc],[`Head`,a?A`#${a.number} · ${$(a.time)}`:`—`],[`Token`,i.contracts&&A`<span class="mono">${i.contracts.Token}</span>`],[`Registry`,i.contracts&&A`<span class="mono">${i.contracts.Registry}</span>`],[`Market`,i.contracts&&A`<span class="mono">${i.contracts.Market}</span>`],[`Provider registration`,e.chain.data?i.registration?`on`:`off (no --provider-url-base)`:`—`]]} />
      <//>
      <${R} title="Network">
        <${_t} part=${e.peers} what="peers" />
        ${o&&A`<${q} items=${[[`This carrier`,A`<span class="mono clip" title=${o.self.id}>${o.self.id}</span>`]]} />`}
        ${o&&o.peers.length===0&&A`<${H} title="No connected peer" icon="⌁">The carrier has not reached another organization yet. Give it bootstrap peers (Settings shows this carrier's addresses to share).<//>`}
        ${o&&o.peers.length>0&&A`<ul class="peers">${o.peers.map(e=>A`<li><${tt} status="connected" /><span class="mono clip" title=${e.id}>${Z(e.id)}</span>
            <span class="muted"> ${e.direction||``}${e.latency?` · `+e.latency:``}${e.listings?` · listings`:``}</span></li>`)}</ul>`}
        <${_t} part=${e.directory} what="directory" />
        ${s&&A`<p><a href="#/directory">${ht(s.listings,`listing`)}</a> in the network directory.</p>`}
      <//>
    </div>
  <//>`}var bt={cpu:``,memory:``,storage:``,gpus:``,gpuModel:``,region:``,labels:``,duration:`1h`,maxPrice:``,sort:`price`};function xt(e){let t=e.labels.split(`,`).map(e=>e.trim()).filter(Boolean);return{"cpu-millis":e.cpu?Math.round(Number(e.cpu)*1e3):``,memory:e.memory.trim(),storage:e.storage.trim(),gpus:e.gpus,"gpu-model":e.gpuModel.trim(),region:e.region.trim(),label:t,duration:e.duration.trim(),"max-price":e.maxPrice.trim(),sort:e.sort}}function St(e){let t=/^(\d+)(s|m|h|d)?$/.exec(String(e||``).trim());return t?Number(t[1])*{s:1,m:60,h:3600,d:86400}[t[2]||`s`]:0}function Ct({sess:e}){let[t,n]=N(bt),[r,i]=N(bt),[a,o]=N(0),{data:s,error:c,loading:l,reload:u}=I(`listings`+Qe({...xt(r),offset:a,limit:50})),d=e=>r=>n({...t,[e]:r.target.value}),f=e=>{e.preventDefault(),o(0),i(t)},p=Object.entries(r).some(([e,t])=>t!==bt[e]),m=St(r.duration),h=[{label:`Provider`,render:e=>A`<div class="mono" title=${e.provider} data-listing=${e.provider.toLowerCase()}>${Z(e.provider)}</div><div class="muted small clip url" title=${e.gatewayUrl}>${e.gatewayUrl||``}</div>`},{label:`Org`,render:t=>A`<${z} value=${t.org} tone=${t.org===e.org?`accent`:`accent2`} />`},{label:`Region`,render:e=>e.region||A`<span class="muted">—</span>`},{label:`Free`,class:`nowrap`,render:e=>A`<div>${ft(e.free.cpuMillis)} · ${X(e.free.memoryBytes)}</div><div class="muted small">${X(e.free.storageBytes)} disk${e.free.gpus?` · `+e.free.gpus+` GPU `+(e.free.gpuModel||``):``}</div>`},{label:`Unit prices /s`,class:`nowrap`,render:e=>A`<div class="small">cpu-milli ${Y(e.prices.cpuMilli)} · MiB ${Y(e.prices.memoryMiB)}</div><div class="small muted">GiB ${Y(e.prices.storageGiB)} · GPU ${Y(e.prices.gpu)}</div>`},{label:m?`Cost for `+Q(m):`Cost /s`,class:`num`,render:e=>A`<strong title=${e.cost}>${Y(e.cost)}</strong><div class="muted small" title=${e.rate}>${Y(e.rate)} /s</div>`},{label:`Labels`,render:e=>Object.entries(e.labels||{}).map(([e,t])=>A`<span class="tag">${e}=${t}</span>`)},{label:`Fresh`,class:`nowrap`,render:e=>A`<span title=${`issued `+e.issuedAt+`, expires `+e.expires}>${mt(e.issuedAt)}</span>`}];return e.role===`admin`&&h.push({label:``,render:e=>A`<a class="btn tiny" href=${`#/orders/new?provider=`+e.provider}>Order…</a>`}),A`<${L} title="Network directory" subtitle="Every organization's signed listings, as this carrier holds them. The price is for the request you describe.">
    <${R}>
      <form class="filters" onSubmit=${f}>
        <${K} label="CPU (cores)"><input name="cpu" inputmode="decimal" placeholder="e.g. 2" value=${t.cpu} onInput=${d(`cpu`)} /><//>
        <${K} label="Memory"><input name="memory" placeholder="e.g. 4Gi" value=${t.memory} onInput=${d(`memory`)} /><//>
        <${K} label="Storage"><input name="storage" placeholder="e.g. 20Gi" value=${t.storage} onInput=${d(`storage`)} /><//>
        <${K} label="GPUs"><input name="gpus" inputmode="numeric" placeholder="0" value=${t.gpus} onInput=${d(`gpus`)} /><//>
        <${K} label="GPU model"><input name="gpu-model" value=${t.gpuModel} onInput=${d(`gpuModel`)} /><//>
        <${K} label="Region"><input name="region" value=${t.region} onInput=${d(`region`)} /><//>
        <${K} label="Labels"><input name="labels" placeholder="tier=gold, zone=a" value=${t.labels} onInput=${d(`labels`)} /><//>
        <${K} label="Duration"><input name="duration" placeholder="1h" value=${t.duration} onInput=${d(`duration`)} /><//>
        <${K} label="Max price"><input name="max-price" inputmode="numeric" placeholder="base units" value=${t.maxPrice} onInput=${d(`maxPrice`)} /><//>
        <${K} label="Sort"><select name="sort" value=${t.sort} onChange=${d(`sort`)}><option value="price">cheapest</option><option value="freshness">freshest</option></select><//>
        <div class="filter-actions"><button class="btn" type="submit" id="search">Search</button>
          <button class="btn ghost" type="button" onClick=${()=>{n(bt),i(bt),o(0)}}>Clear</button></div>
      </form>
    <//>
    <${B} error=${c} retry=${u} title="The directory could not be searched" />
    ${!s&&l&&A`<${U} label="Searching…" />`}
    ${s&&A`<${R} title=${s.total+` listing`+(s.total===1?``:`s`)+(p?` match`+(s.total===1?`es`:``):``)}
        actions=${l&&A`<span class="muted small">refreshing…</span>`}>
      <${W} columns=${h} rows=${s.listings} rowKey=${e=>e.provider}
        empty=${p?A`<${H} title="No listing matches" icon="⌕">Loosen the request: less capacity, another region, fewer labels or a higher max price.<//>`:A`<${H} title="The directory is empty" icon="◌">No organization has published a listing that this carrier holds. Listings arrive over libp2p from connected peers.<//>`} />
      ${s.total>50&&A`<div class="pager">
        <button class="btn small ghost" disabled=${a===0} onClick=${()=>o(Math.max(0,a-50))}>Previous</button>
        <span class="muted">${a+1}–${Math.min(a+50,s.total)} of ${s.total}</span>
        <button class="btn small ghost" disabled=${a+50>=s.total} onClick=${()=>o(a+50)}>Next</button></div>`}
    <//>`}
  <//>`}function wt(e){return e&&(e.state===`confirmed`||e.state===`failed`)}function Tt(e){if(!e)return 5;switch(e.state){case`confirmed`:return 100;case`failed`:return 100;case`mined`:{let t=Math.max(1,e.requiredConfirmations||1);return 40+Math.round(60*Math.min(t,e.confirmations||0)/t)}default:return 20}}function Et(e){if(!e)return`waiting for the carrier…`;switch(e.state){case`pending`:return e.hash?`sent, waiting to be mined`:`queued`;case`mined`:return`mined in block ${e.block}: ${e.confirmations||0} of ${e.requiredConfirmations} confirmations`;case`confirmed`:return`confirmed in block ${e.block} (${e.confirmations} confirmation${e.confirmations===1?``:`s`}, ${e.gasUsed} gas)`;case`failed`:return`failed: `+(e.reason||e.lastError||`reverted`);default:return e.state}}function Dt({txKey:e,initial:t,onFinal:n,label:r}){let[i,a]=N(t||null),[o,s]=N(null);return je(()=>{let r=!1,i=t||null,o=new AbortController;return(async()=>{for(;!r&&!wt(i);)try{let t={wait:`15s`};if(i&&i.updated&&(t.since=i.updated),i=await Je(`txs/`+encodeURIComponent(e)+Qe(t),{signal:o.signal}),r)return;a(i),s(null)}catch(e){if(r||e.name===`AbortError`)return;s(e),await new Promise(e=>setTimeout(e,2e3))}!r&&n&&n(i)})(),()=>{r=!0,o.abort()}},[e]),A`<div class=${`tx `+(i&&i.state===`failed`?`bad`:wt(i)?`ok`:`run`)} data-tx=${e} data-state=${i?i.state:`unknown`}>
    <div class="tx-head"><span class="tx-label">${r||e}</span>${i&&A`<${z} value=${i.state} />`}</div>
    <div class="bar"><div class="bar-fill" style=${{width:Tt(i)+`%`}}></div></div>
    <div class="tx-detail">${Et(i)}${i&&i.hash&&A` · tx <code title=${i.hash}>${Z(i.hash)}</code>`}
      ${o&&A`<span class="tx-err"> · retrying: ${o.message}</span>`}</div>
  </div>`}var Ot={registered:`in the Registry with the terms the carrier is configured with`,outdated:`in the Registry, with terms that differ from the configured ones: the carrier updates it`,unregistered:`not in the Registry yet`,pending:`a registration transaction is on its way`,taken:`registered on chain by another account: the carrier cannot register it`,deregistered:`removed by an operator; not registered again until asked`};function kt({p:e}){return e?A`<span class="small">cpu-milli ${Y(e.cpuMilli)} · MiB ${Y(e.memoryMiB)} · GiB ${Y(e.storageGiB)} · GPU ${Y(e.gpu)} <span class="muted">per second</span></span>`:`—`}function At({p:e,isAdmin:t,reload:n}){let r=e.carrier||{},i=e.listing,[a,o]=N(null),[s,c]=N(null),[l,u]=N(null),d=async t=>{c(null);try{let r=await F(`providers/`+e.provider+`/`+t),i=t===`deregister`?r:r.intent;i&&i.key&&!wt(i)&&u(i),o(null),n()}catch(e){c(e),o(null)}},f=r.intent&&!wt(r.intent)?r.intent:l;return A`<div class="card provider" data-provider=${e.provider.toLowerCase()}>
    <div class="card-head"><h2><span class="mono">${e.provider}</span></h2>
      <div class="card-actions">${r.state&&A`<${z} value=${r.state} title=${Ot[r.state]} />`}
        ${t&&r.state&&r.state!==`deregistered`&&r.state!==`taken`&&A`<button class="btn small danger" onClick=${()=>o(`deregister`)}>Deregister</button>`}
        ${t&&r.state===`deregistered`&&A`<${G} small onClick=${()=>d(`register`)} busyLabel="Registering…">Register again<//>`}
      </div></div>
    <div class="card-body">
      ${r.state&&A`<p class="muted small">${Ot[r.state]||``}</p>`}
      ${r.problem&&A`<${V} tone="warn" title="Registration problem">${r.problem}<//>`}
      <${B} error=${s} />
      ${f&&A`<${Dt} txKey=${f.key} initial=${f} label=${f.key} onFinal=${()=>{u(null),n()}} />`}
      <div class="grid3">
        <div><h3>Gateways in Consul</h3>
          ${e.gateways.length===0?A`<p class="none">No gateway of this provider is registered.</p>`:A`<ul class="instances">${e.gateways.map(e=>A`<li title=${e.output||e.status}><${tt} status=${e.status} /><span class="mono">${e.address}:${e.port}</span><span class="muted"> ${e.status}</span></li>`)}</ul>`}</div>
        <div><h3>On chain (Registry)</h3>
          ${r.onChain?A`<${q} items=${[[`Gateway URL`,r.onChain.url],[`Region`,r.onChain.region||`—`],[`Capacity`,`${ft(r.onChain.capacity.cpuMillis)} · ${X(r.onChain.capacity.memoryBytes)} · ${X(r.onChain.capacity.storageBytes)} disk${r.onChain.capacity.gpus?` · `+r.onChain.capacity.gpus+` GPU`:``}`],[`Prices`,A`<${kt} p=${r.onChain.prices} />`],[`Owner`,r.owner&&A`<span class="mono" title=${r.owner}>${Z(r.owner)}</span>`]]} />`:A`<p class="none">${e.carrier?`Not registered.`:`The carrier did not say (see above).`}</p>`}</div>
        <div><h3>Listing in the directory</h3>
          ${i?A`<${q} items=${[[`Free`,`${ft(i.free.cpuMillis)} · ${X(i.free.memoryBytes)} · ${X(i.free.storageBytes)} disk`],[`Total`,`${ft(i.total.cpuMillis)} · ${X(i.total.memoryBytes)}`],[`Prices`,A`<${kt} p=${i.prices} />`],[`Sequence`,i.seq],[`Issued`,mt(i.issuedAt)],[`Expires`,mt(i.expires)],i.tombstone&&[`Withdrawn`,A`<${z} value="withdrawn" tone="muted" />`]]} />`:A`<p class="none">No listing held${e.listingError&&!/no .*record|not found/i.test(e.listingError)?`: `+e.listingError:``}. The provider's gateway signs and publishes it.</p>`}</div>
      </div>
    </div>
    ${a&&A`<${rt} title="Deregister this provider?" danger confirmLabel="Deregister"
      body=${A`<p>The carrier removes <span class="mono">${Z(e.provider)}</span> from the Registry with the org wallet. Buyers can no longer order from it, and it is not registered again until you ask.</p>`}
      onConfirm=${()=>d(`deregister`)} onCancel=${()=>o(null)} />`}
  </div>`}function jt({sess:e}){let{data:t,error:n,reload:r}=I(`providers`,{interval:1e4}),i=e.role===`admin`;return A`<${L} title="Providers" subtitle="This organization's gateways (one provider key each), their registration in the Registry, and their listings.">
    <${B} error=${n} retry=${r} />
    ${!t&&!n&&A`<${U} />`}
    ${t&&t.carrierError&&A`<${V} tone="warn" title="The carrier's view is missing">${t.carrierError}<//>`}
    ${t&&t.consulError&&A`<${V} tone="warn" title="Consul could not be read">${t.consulError}<//>`}
    ${t&&t.providers.length===0&&A`<${R}><${H} title="No provider" icon="▦">No gateway of this organization is registered in Consul, so it sells nothing. Start a gateway with its provider key; the carrier registers it in the Registry.<//><//>`}
    ${t&&t.providers.map(e=>A`<${At} key=${e.provider} p=${e} isAdmin=${i} reload=${r} />`)}
  <//>`}function Mt(){let e=location.hash.split(`?`)[1]||``;return new URLSearchParams(e)}var Nt={buyer:`bought`,seller:`sold`,"buyer+seller":`bought & sold`};function Pt(e){return A`<${z} value=${e.state} />`}var Ft=[{label:`#`,class:`num`,render:e=>A`<a href=${`#/orders/`+e.id}>#${e.id}</a>`},{label:`Side`,render:e=>A`<${z} value=${e.role} title=${Nt[e.role]} />`},{label:`State`,render:Pt},{label:`Provider`,render:e=>A`<span class="mono" title=${e.provider}>${Z(e.provider)}</span>`},{label:`Resources`,render:e=>A`<span class="small">${pt(e.resources)}</span>`},{label:`Escrow`,class:`num`,render:e=>A`<span title=${e.escrow}>${Y(e.escrow)}</span>`},{label:`Paid / refunded`,class:`num`,render:e=>e.paid==null?A`<span class="muted">—</span>`:A`<span title=${e.paid+` / `+e.refund}>${Y(e.paid)} / ${Y(e.refund)}</span>`},{label:`Runs`,render:e=>A`<span class="small">${$(e.start)}<br /><span class="muted">for ${Q(e.end-e.start)}</span></span>`}];function It({sess:e}){let[t,n]=N(Mt().get(`role`)||``),[r,i]=N(``),{data:a,error:o,reload:s}=I(`orders`+Qe({role:t,state:r,limit:200}),{interval:5e3}),c=(e,r)=>A`<button class=${`tab`+(t===e?` active`:``)} data-tab=${e||`all`} onClick=${()=>n(e)}>${r}</button>`;return A`<${L} title="Orders" subtitle="Orders this organization placed as buyer, and orders at its providers (sold)."
    actions=${e.role===`admin`&&A`<a class="btn" id="new-order" href="#/orders/new">New order</a>`}>
    <div class="toolbar">
      <div class="tabs">${c(``,`All`)}${c(`buyer`,`Bought`)}${c(`seller`,`Sold`)}</div>
      <select aria-label="state" value=${r} onChange=${e=>i(e.target.value)}>
        <option value="">any state</option><option value="active">active</option><option value="ended">ended (to settle)</option>
        <option value="cancelled">cancelled</option><option value="settled">settled</option><option value="closed">closed by the provider</option></select>
    </div>
    <${B} error=${o} retry=${s} title="Orders could not be read" />
    ${!a&&!o&&A`<${U} />`}
    ${a&&A`<${R}><${W} columns=${Ft} rows=${a} rowKey=${e=>e.id} onRow=${e=>location.hash=`#/orders/`+e.id}
      empty=${A`<${H} title=${t===`seller`?`Nothing sold yet`:t===`buyer`?`Nothing bought yet`:`No order yet`} icon="≡">
        ${t===`seller`?`Orders placed at this organization’s providers appear here.`:e.role===`admin`?A`Find capacity in the directory and <a href="#/orders/new">place an order</a>.`:`Orders appear here once an admin places one.`}<//>`} /><//>`}
  <//>`}var Lt={withdrawn:`withdrawn`,expired:`listing expired`,insufficient_cpu:`not enough CPU`,insufficient_memory:`not enough memory`,insufficient_storage:`not enough storage`,insufficient_gpu:`not enough GPUs`,gpu_model_mismatch:`other GPU model`,region_mismatch:`other region`,label_mismatch:`labels differ`,price_above_max:`above your max price`};function Rt(e){let t={};e.labels.split(`,`).map(e=>e.trim()).filter(Boolean).forEach(e=>{let[n,...r]=e.split(`=`);t[n.trim()]=r.join(`=`).trim()});let n={resources:{cpuMillis:Math.round(Number(e.cpu||0)*1e3),memoryBytes:Math.round(Number(e.memory||0)*1024*1024),storageBytes:Math.round(Number(e.storage||0)*1024*1024*1024),gpus:Number(e.gpus||0)},duration:Math.round(Number(e.duration||0)*{s:1,min:60,h:3600,d:86400}[e.unit])};return Object.keys(t).length&&(n.labels=t),e.region.trim()&&(n.region=e.region.trim()),e.maxPrice.trim()&&(n.maxPrice=e.maxPrice.trim()),n}function zt(){let e=Mt(),[t,n]=N({cpu:`1`,memory:`512`,storage:`1`,gpus:`0`,duration:`1`,unit:`h`,region:``,labels:``,maxPrice:``}),[r,i]=N(null),[a,o]=N(null),[s,c]=N(null),[l,u]=N(``),[d,f]=N(null),[p,m]=N(null),[h,g]=N(null),_=e.get(`provider`),v=e=>r=>n({...t,[e]:r.target.value}),y=async()=>{o(null),c(null),m(null),g(null);try{let e=await F(`match`,{...Rt(t),limit:20});i(e),_&&c(e.candidates.find(e=>e.provider.toLowerCase()===_.toLowerCase())||null)}catch(e){i(null),o(e)}},b=async e=>{g(null),f({body:e});try{let t=await F(`orders`,e);m(t),t.order&&f(null)}catch(e){g(e),f(null)}},x=()=>b({...Rt(t),manifestUrl:l.trim(),provider:s.provider,operation:$e(`order`)});return A`<${L} title="New order" subtitle="Describe what you need, pick a provider from the scheduler's ranking, give the manifest URL, and the carrier places the order on chain.">
    <${R} title="1 · What you need">
      <form class="filters" onSubmit=${e=>{e.preventDefault(),y()}}>
        <${K} label="CPU (cores)"><input name="cpu" inputmode="decimal" value=${t.cpu} onInput=${v(`cpu`)} required /><//>
        <${K} label="Memory (MiB)"><input name="memory" inputmode="numeric" value=${t.memory} onInput=${v(`memory`)} /><//>
        <${K} label="Storage (GiB)"><input name="storage" inputmode="numeric" value=${t.storage} onInput=${v(`storage`)} /><//>
        <${K} label="GPUs"><input name="gpus" inputmode="numeric" value=${t.gpus} onInput=${v(`gpus`)} /><//>
        <${K} label="Duration"><div class="inline"><input name="duration" inputmode="numeric" value=${t.duration} onInput=${v(`duration`)} />
          <select name="unit" value=${t.unit} onChange=${v(`unit`)}><option value="s">seconds</option><option value="min">minutes</option><option value="h">hours</option><option value="d">days</option></select></div><//>
        <${K} label="Region"><input name="region" value=${t.region} onInput=${v(`region`)} /><//>
        <${K} label="Labels"><input name="labels" placeholder="tier=gold" value=${t.labels} onInput=${v(`labels`)} /><//>
        <${K} label="Max price"><input name="max-price" inputmode="numeric" placeholder="total, base units" value=${t.maxPrice} onInput=${v(`maxPrice`)} /><//>
        <div class="filter-actions"><${G} type="submit" id="find-providers" onClick=${y} busyLabel="Matching…">Find providers<//></div>
      </form>
    <//>
    <${B} error=${a} title="No ranking" retry=${y} />
    ${r&&A`<${R} title=${`2 · Candidates (`+r.matched+` fit)`}>
      <${W} rows=${r.candidates} rowKey=${e=>e.provider} rowClass=${e=>s&&s.provider===e.provider?`chosen`:``}
        columns=${[{label:`Provider`,render:e=>A`<span class="mono" title=${e.provider}>${Z(e.provider)}</span>`},{label:`Org`,render:e=>e.org},{label:`Region`,render:e=>e.region||`—`},{label:`Rate /s`,class:`num`,render:e=>Y(e.rate)},{label:`Escrow for `+Q(Rt(t).duration),class:`num`,render:e=>A`<strong>${Y(e.cost)}</strong>`},{label:``,render:e=>A`<button class=${`btn small`+(s&&s.provider===e.provider?``:` ghost`)} data-choose=${e.provider.toLowerCase()}
              onClick=${()=>c(e)}>${s&&s.provider===e.provider?`Chosen`:`Choose`}</button>`}]}
        empty=${A`<${H} title="No provider fits" icon="⌕">See below why each was left out; ask for less, or raise the max price.<//>`} />
      ${r.excluded&&r.excluded.length>0&&A`<details class="excluded" open=${r.candidates.length===0}>
        <summary>${r.excluded.length} left out: ${Object.entries(r.excludedByReason||{}).map(([e,t])=>A`<span class="tag">${Lt[e]||e} ×${t}</span>`)}</summary>
        <ul>${r.excluded.map(e=>A`<li><span class="mono" title=${e.provider}>${Z(e.provider)}</span> <span class="muted">(${e.org})</span>: ${e.reasons.map(e=>Lt[e]||e).join(`, `)}</li>`)}</ul>
      </details>`}
    <//>`}
    ${s&&A`<${R} title="3 · Manifest and order">
      <p>Provider <span class="mono">${s.provider}</span> (${s.org}) escrows <strong title=${s.cost}>${Y(s.cost)}</strong> base units
        for ${Q(Rt(t).duration)}; unused time is refunded on cancel.</p>
      <form onSubmit=${e=>{e.preventDefault(),x()}}>
        <${K} label="Manifest URL" hint="a Kubernetes YAML the carrier fetches and hashes into the order; the gateway deploys only what matches that hash">
          <input name="manifest-url" type="url" placeholder="https://…/app.yaml" value=${l} onInput=${e=>u(e.target.value)} required /><//>
        <div class="form-actions top-gap"><${G} type="submit" id="place-order" disabled=${!l.trim()||d||p&&p.order} onClick=${x} busyLabel="Placing…">Place order<//></div>
      </form>
    <//>`}
    ${d&&!p&&A`<div class="alert info progress-note"><${nt} /><div><strong>Placing the order…</strong>
      <p>The carrier fetches and hashes the manifest, checks the provider's price on chain and your credit, sends createOrder and waits for it to be mined (up to 30 s).</p></div></div>`}
    <${B} error=${h} title="The order was not placed" />
    ${p&&!p.order&&A`<${R} title="Waiting for the order to be mined">
      <${Dt} txKey=${p.intent.key} initial=${p.intent} label="createOrder"
        onFinal=${e=>e.state===`confirmed`?b(d.body):(g({message:`createOrder failed: `+(e.reason||e.lastError),code:`failed`}),f(null))} /><//>`}
    ${p&&p.order&&A`<div class="alert ok" id="order-placed"><div><strong>Order #${p.order.id} placed.</strong>
      <p>Escrow ${Y(p.order.escrow)} · manifest ${p.manifest?Z(p.manifest.hash)+` (`+p.manifest.size+` bytes)`:``} ·
        tx <span class="mono">${Z(p.intent.hash)}</span></p>
      <p><a class="btn small" href=${`#/orders/`+p.order.id}>Open order #${p.order.id}</a></p></div></div>`}
  <//>`}var Bt={Ready:`ok`,Pending:`warn`,Progressing:`warn`,Failed:`bad`,Deleting:`muted`};function Vt(e){return[[`Gateway`,e.gateway?A`${e.gateway.url?A`<span class="mono clip" title=${e.gateway.url}>${e.gateway.url}</span>`:``}
      ${e.gateway.instances?A` <span class="muted">(${e.gateway.instances} in this org's Consul)</span>`:``}
      ${e.gateway.source?A` <span class="muted small">from the ${e.gateway.source}</span>`:``}`:`—`]]}function Ht({id:e,isAdmin:t,closed:n}){let{data:r,error:i,reload:a}=I(`orders/`+e+`/deployment`,{interval:n?0:4e3});if(i&&!r)return A`<${B} error=${i} retry=${a} title="Deployment status unavailable" />`;if(!r)return A`<${U} />`;if(r.side===`seller`)return A`<div class="deployment" data-available="false" data-side="seller">
      <${V} title="Sold: the buyer deploys">${r.reason}<//>
      <${q} items=${Vt(r)} /></div>`;if(!r.available)return A`<div class="deployment" data-available="false" data-side="buyer">
      ${n||[`ended`,`cancelled`,`settled`,`closed`].includes(r.state)?A`<${V} title="Nothing deployed">${r.reason}<//>`:A`<${V} tone="warn" title="Gateway not available">${r.reason}${r.reasonCode&&A` <span class="tag">${r.reasonCode}</span>`}
          <p><button class="btn small ghost" onClick=${a}>Try again</button></p><//>`}
      <${q} items=${Vt(r)} /></div>`;let o=r.status||{};return A`<div class="deployment" data-available="true" data-side="buyer" data-deployed=${String(r.deployed)}>
    <${q} items=${[...Vt(r),[`Phase`,r.deployed?A`<span id="deployment-phase" data-phase=${o.phase}><${z} value=${o.phase} tone=${Bt[o.phase]} /></span>
        ${o.message&&A` <span class="muted small">${o.message}</span>`}`:A`<span id="deployment-phase" data-phase="none" class="muted">nothing deployed yet</span>`],r.deployed&&[`Namespace`,A`<span class="mono">${o.namespace}</span>`],r.deployed&&[`Manifest`,A`<span class="mono clip" title=${o.manifest}>${Z(o.manifest)}</span>`],r.deployed&&[`Entrypoint`,o.entrypoint?A`<span class="mono">${o.entrypoint}</span>`:`—`],[`Session`,A`<span class="small">at the gateway until ${$(r.sessionExpires)}, opened by the carrier with the org wallet</span>`]]} />
    ${r.deployed&&o.objects&&o.objects.length>0&&A`<${W} rows=${o.objects} rowKey=${e=>e.kind+`/`+e.name}
      columns=${[{label:`Object`,render:e=>A`<span class="mono">${e.kind}/${e.name}</span>`},{label:`Ready`,render:e=>e.ready?A`<span class="ok-text">ready</span>`:e.failed?A`<span class="bad-text">failed</span>`:A`<span class="muted">not yet</span>`},{label:``,render:e=>A`<span class="small muted">${e.message||``}</span>`}]} />`}
    ${r.statusError&&A`<${B} error=${r.statusError} title="The gateway could not say how the deployment is" />`}
    ${t&&A`<${Ut} id=${e} d=${r} onChange=${a} />`}
    ${r.deployed&&A`<${Wt} id=${e} />`}
    ${r.deployed&&A`<${Gt} id=${e} />`}
  </div>`}function Ut({id:e,d:t,onChange:n}){let[r,i]=N(``),[a,o]=N(null),[s,c]=N(null),[l,u]=N(!1),d=async()=>{o(null),c(null);try{let t=await Ye(`orders/`+e+`/deployment`,{manifestUrl:r.trim()});c(`Applied into namespace `+t.namespace+`. The phase above follows it to Ready.`),n()}catch(e){o(e)}};return A`<div class="deploy-controls">
    <form class="inline" onSubmit=${e=>{e.preventDefault(),d()}}>
      <input id="deploy-manifest-url" name="deploy-manifest-url" type="url" required placeholder="manifest URL (its keccak256 must be the order's manifest hash)"
        value=${r} onInput=${e=>i(e.target.value)} />
      <${G} type="submit" id="deploy" onClick=${d} disabled=${!r.trim()} busyLabel="Deploying…">${t.deployed?`Deploy again`:`Deploy`}<//>
    </form>
    <div class="inline top-gap">
      <form method="post" action=${`api/orders/`+e+`/open-app`} target="_blank" id="open-app-form">
        <input type="hidden" name="csrf" value=${Ge()} />
        <button class=${`btn ghost`+(t.deployed?``:` disabled`)} type="submit" id="open-app" disabled=${!t.deployed}
          title="opens the app in a new tab with the order's gateway session">Open app ↗</button>
      </form>
      ${t.deployed&&A`<button class="btn danger" id="delete-deployment" onClick=${()=>u(!0)}>Delete deployment</button>`}
    </div>
    ${s&&A`<${V} tone="ok">${s}<//>`}
    <${B} error=${a} title="The gateway refused" />
    ${l&&A`<${rt} title=${`Delete the deployment of order #`+e+`?`} danger confirmLabel="Delete"
      body=${A`<p>The provider's gateway deletes the order's namespace and everything in it. The order stays paid; you can deploy again while it runs.</p>`}
      onConfirm=${async()=>{o(null);try{await Xe(`orders/`+e+`/deployment`),u(!1),c(`Deletion started: the namespace and everything in it go.`),n()}catch(e){u(!1),o(e)}}} onCancel=${()=>u(!1)} />`}
  </div>`}function Wt({id:e}){let{data:t,error:n}=I(`orders/`+e+`/deployment/events`,{interval:5e3}),r=t&&t.events?t.events.slice(-50).reverse():[];return A`<div class="events" id="events"><h3>Events</h3>
    ${n&&A`<p class="muted small">${n.message}</p>`}
    ${t&&A`<${W} rows=${r}
      columns=${[{label:`When`,render:e=>A`<span class="small">${$(e.time)}</span>`},{label:`Type`,render:e=>A`<${z} value=${e.type} tone=${e.type===`Warning`?`warn`:`muted`} />`},{label:`Object`,render:e=>A`<span class="mono small">${e.object}</span>`},{label:`Reason`,render:e=>e.reason},{label:`Message`,render:e=>A`<span class="small">${e.message}${e.count>1?` (×`+e.count+`)`:``}</span>`}]}
      empty=${A`<p class="none">No events yet.</p>`} />`}
  </div>`}function Gt({id:e}){let[t,n]=N(``),[r,i]=N(!1),[a,o]=N(null),[s,c]=N(``),[l,u]=N(``),d=Me(null);return je(()=>()=>d.current&&d.current.abort(),[]),A`<div class="logs" id="logs"><h3>Logs</h3>
    <div class="inline">
      <input name="log-pod" placeholder="pod (when there are several)" value=${s} onInput=${e=>c(e.target.value)} />
      <input name="log-container" placeholder="container" value=${l} onInput=${e=>u(e.target.value)} />
      ${r?A`<button class="btn ghost" id="stop-logs" onClick=${()=>{d.current&&d.current.abort()}}>Stop</button>`:A`<button class="btn ghost" id="follow-logs" onClick=${async()=>{d.current&&d.current.abort();let t=new AbortController;d.current=t,o(null),n(``),i(!0);try{await Ze(`orders/`+e+`/deployment/logs`+Qe({follow:1,tail:200,pod:s.trim(),container:l.trim()}),e=>n(t=>(t+e).slice(-2e5)),{signal:t.signal})}catch(e){o(e)}finally{d.current===t&&(d.current=null,i(!1))}}}>Follow logs</button>`}
    </div>
    <${B} error=${a} title="No log" />
    ${(t||r)&&A`<pre class="log-view" aria-live="polite">${t||`waiting for lines…`}</pre>`}
  </div>`}var Kt={cancelled:`Cancelled and settled`,settled:`Settled`,closed:`Closed by the provider and settled`},qt={min:60,h:3600,d:86400},Jt={extend:{label:`Extend`,title:`Extending`,failed:`Not extended`},manifest:{label:`Update manifest`,title:`Updating the manifest`,failed:`Manifest not updated`},cancel:{label:`Cancel order`,title:`Cancelling`,failed:`Not cancelled`},close:{label:`Close order`,title:`Closing`,failed:`Not closed`}};function Yt({sess:e,id:t}){let{data:n,error:r,reload:i}=I(`orders/`+t,{interval:5e3}),[a,o]=N(null),[s,c]=N(null),[l,u]=N(null),[d,f]=N(null),[p,m]=N({n:`1`,unit:`h`}),[h,g]=N(``),_=e.role===`admin`;je(()=>{u(null),f(null)},[t]);let v=async e=>{c(null),f(null);try{let n;n=e===`extend`?await F(`orders/`+t+`/extend`,{duration:Math.round(Number(p.n)*qt[p.unit]),operation:$e(`extend`)}):e===`manifest`?await F(`orders/`+t+`/manifest`,{manifestUrl:h.trim(),operation:$e(`manifest`)}):await F(`orders/`+t+`/`+e),o(null),u({kind:e,st:n.intent||n}),n.rollout&&f({kind:e,rollout:n.rollout}),i()}catch(t){o(null),c({kind:e,e:t})}};if(!n&&r)return A`<${L} title=${`Order #`+t}><${B} error=${r} retry=${i} /><//>`;if(!n)return A`<${L} title=${`Order #`+t}><${U} /><//>`;let y=n.role===`buyer`||n.role===`buyer+seller`,b=n.role===`seller`||n.role===`buyer+seller`,x=n.state in Kt,S=dt(n.escrow),C=dt(n.paid),w=S>0n?Number(C*10000n/S):0,ee=w>=100?(w/100).toFixed(0):w>0?(w/100).toFixed(2):C>0n?`< 0.01`:`0`,T=_&&n.state===`active`&&!(l&&!wt(l.st)),E=(e,t)=>A`<button class=${`btn `+t} id=${e+`-order`} onClick=${()=>o(e)}>${Jt[e].label}</button>`,D=Math.round(Number(p.n)*qt[p.unit]),te=n.end>n.start?S/BigInt(n.end-n.start):0n,O={extend:{label:`Extend`,body:A`<p>The order runs longer at its rate; the Market escrows rate × time from the credit.</p>
      <div class="inline"><input name="extend-by" inputmode="decimal" aria-label="extend by" value=${p.n} onInput=${e=>m({...p,n:e.target.value})} />
        <select name="extend-unit" aria-label="unit" value=${p.unit} onChange=${e=>m({...p,unit:e.target.value})}>
          <option value="min">minutes</option><option value="h">hours</option><option value="d">days</option></select></div>
      ${D>0&&A`<p class="muted small">adds ${Q(D)} for about <strong>${Y((te*BigInt(D)).toString())}</strong></p>`}`},manifest:{label:`Update manifest`,body:A`<p>The order's manifest hash on chain becomes the new manifest's; once mined, the carrier deploys it at the order's gateway.</p>
      <input name="update-manifest-url" type="url" required placeholder="https://…/app.yaml" value=${h} onInput=${e=>g(e.target.value)} />`},cancel:{label:`Cancel order`,danger:!0,body:A`<p>The Market pays the provider for the seconds used so far and refunds the rest of the escrow (${Y(n.escrow)}) in the same transaction. This cannot be undone.</p>`},close:{label:`Close order`,danger:!0,body:A`<p>As the order's payee, this organization ends it now: the Market pays it for the seconds served and refunds the buyer the rest of the escrow (${Y(n.escrow)}). The buyer's deployment stops. This cannot be undone.</p>`}};return A`<${L} title=${A`Order #${n.id} ${Pt(n)}`} subtitle=${Nt[n.role]+` · provider `+n.provider}
    actions=${A`<a class="btn ghost" href="#/orders">All orders</a>
      ${T&&y&&E(`extend`,`ghost`)}${T&&y&&E(`manifest`,`ghost`)}
      ${T&&y&&E(`cancel`,`danger`)}${T&&b&&E(`close`,`danger`)}`}>
    ${s&&A`<${B} error=${s.e} title=${Jt[s.kind].failed} />`}
    ${l&&!wt(l.st)&&A`<${R} title=${Jt[l.kind].title}><${Dt} txKey=${l.st.key} initial=${l.st} label=${l.st.key} onFinal=${i} /><//>`}
    ${d&&d.rollout&&(d.rollout.error?A`<${V} tone="warn" title="Updated on chain, not rolled out">${d.rollout.error}. Deploy it again below once the gateway can take it.<//>`:A`<${V} tone="ok" title="Manifest updated">Deployed at the order's gateway into ${d.rollout.namespace}, phase ${d.rollout.phase}.<//>`)}
    ${x&&A`<div class="alert ok settlement" id="settlement"><div><strong>${Kt[n.state]}</strong>
      <p>Paid to the provider: <strong title=${n.paid}>${Y(n.paid)}</strong> (${ee}% of the escrow) · refunded to the buyer: <strong title=${n.refund}>${Y(n.refund)}</strong></p>
      ${n.closedTx&&A`<p class="muted small">tx <span class="mono">${n.closedTx}</span>${n.batch?` · settlement batch #`+n.batch:``}</p>`}</div></div>`}
    ${n.state===`ended`&&A`<${V} tone="warn" title="Ended, waiting for settlement">The provider's carrier settles ended orders in batches; the payment and refund show here once it has.<//>`}
    <div class="grid2">
      <${R} title="Order">
        <${q} items=${[[`Buyer`,A`<span class="mono">${n.buyer}</span>`],[`Provider`,A`<span class="mono">${n.provider}</span>`],[`Payee`,A`<span class="mono">${n.payee}</span>`],[`Resources`,pt(n.resources)],[`Escrow`,A`<span id="order-escrow" title=${n.escrow}>${Y(n.escrow)}</span>`],n.maxEscrow&&[`Max price`,A`<span id="order-max-escrow" title=${n.maxEscrow}>${Y(n.maxEscrow)}</span> <span class="muted small">the most the Market let it cost</span>`],[`Start`,$(n.start)],[`End`,A`<span id="order-end">${$(n.end)+` (`+Q(n.end-n.start)+`)`}</span>${n.extensions?A` <span class="muted small">extended ${n.extensions}×</span>`:``}`],[`Manifest hash`,A`<span class="mono clip" id="order-manifest-hash" title=${n.manifestHash}>${n.manifestHash}</span>${n.manifestUpdates?A` <span class="muted small">updated ${n.manifestUpdates}×</span>`:``}`],[`Created in`,A`<span class="mono clip" title=${n.createdTx}>${Z(n.createdTx)}</span>`]]} />
      <//>
    </div>
    <${R} title="Deployment" id="deployment-card"><${Ht} key=${n.state+n.manifestHash} id=${t} isAdmin=${_} closed=${x} /><//>
    ${a&&A`<${rt} title=${Jt[a].label+` #`+n.id+`?`} danger=${O[a].danger} confirmLabel=${O[a].label}
      body=${O[a].body} onConfirm=${()=>v(a)} onCancel=${()=>o(null)} />`}
  <//>`}function Xt({op:e,onDone:t}){let[n,r]=N(e.intents.filter(e=>!wt(e)).length),[i,a]=N(e.intents.some(e=>e.state===`failed`)),o=e=>{e.state===`failed`&&a(!0),r(e=>(e-1==0&&t(),e-1))};return A`<div class="operation" data-operation=${e.id}>
    <div class="op-head"><strong>${e.kind===`deposit`?`Deposit`:`Withdrawal`} of ${Y(e.amount)}</strong> <span class="muted">operation ${e.id}</span>
      ${n===0&&A`<${z} value=${i?`failed`:`confirmed`} />`}</div>
    ${e.intents.map(t=>A`<${Dt} key=${t.key} txKey=${t.key} initial=${t} label=${t.key.replace(`deposit `+e.id+` `,``).replace(`withdraw `+e.id,`withdraw`)} onFinal=${o} />`)}
    ${n===0&&!i&&A`<p class="ok-text" id=${e.kind+`-done`}>${e.kind===`deposit`?`Deposited: the credit is yours to order with.`:`Withdrawn: the tokens are back in the org wallet.`}</p>`}
    ${n===0&&i&&A`<p class="bad-text">The operation failed; nothing more is sent. See the transactions below for the reason.</p>`}
  </div>`}function Zt({kind:e,onStarted:t,max:n}){let[r,i]=N(``),[a,o]=N(null),s=async()=>{o(null);let n=r.trim();if(!/^\d+$/.test(n)||/^0+$/.test(n))o({message:`Give a positive whole number of token base units.`});else try{t(await F(`credits/`+e,{amount:n,operation:$e(e)})),i(``)}catch(e){o(e)}};return A`<form class="amount-form" onSubmit=${e=>{e.preventDefault(),s()}}>
    <${K} label=${e===`deposit`?`Deposit (tokens → credit)`:`Withdraw (credit → tokens)`}
      hint=${e===`deposit`?`approve + deposit: two transactions`:n?`up to `+Y(n):``}>
      <div class="inline"><input name=${e+`-amount`} inputmode="numeric" placeholder="base units" value=${r} onInput=${e=>i(e.target.value)} />
        <${G} type="submit" id=${e} onClick=${s} busyLabel="Sending…" kind=${e===`deposit`?`primary`:`ghost`}>${e===`deposit`?`Deposit`:`Withdraw`}<//></div><//>
    <${B} error=${a} title=${e===`deposit`?`Not deposited`:`Not withdrawn`} />
  </form>`}var Qt=[{label:`Intent`,render:e=>A`<span class="mono small">${e.key}</span>`},{label:`State`,render:e=>A`<${z} value=${e.state} />`},{label:`Confirmations`,class:`num`,render:e=>e.state===`pending`?`—`:`${e.confirmations||0}/${e.requiredConfirmations}`},{label:`Block`,class:`num`,render:e=>e.block||`—`},{label:`Tx`,render:e=>e.hash?A`<span class="mono small" title=${e.hash}>${Z(e.hash)}</span>`:`—`},{label:`Result`,render:e=>e.state===`failed`?A`<span class="bad-text small">${e.reason||e.lastError}</span>`:e.gasUsed?A`<span class="muted small">${e.gasUsed} gas</span>`:``},{label:`Updated`,render:e=>A`<span class="small" title=${e.updated}>${mt(e.updated)}</span>`}];function $t({sess:e}){let t=I(`credits`,{interval:1e4}),[n,r]=N(``),i=I(`txs`+Qe({limit:50,state:n}),{interval:3e3}),[a,o]=N([]),s=t.data,c=e.role===`admin`,l=e=>o(t=>[e,...t.filter(t=>t.id!==e.id)].slice(0,5)),u=()=>{t.reload(),i.reload()};return A`<${L} title="Credits & tokens" subtitle="The org wallet's tokens and its credit at the Market, which pays for orders.">
    <${B} error=${t.error} retry=${t.reload} title="Balances could not be read" />
    ${!s&&!t.error&&A`<${U} />`}
    ${s&&A`<div class="stats three" id="balances">
      <${J} label="Credit" value=${Y(s.credit)} title=${s.credit} hint="at the Market: orders are paid from it" tone="ok" />
      <${J} label="Tokens" value=${Y(s.tokens)} title=${s.tokens} hint="in the org wallet" />
      <${J} label="In escrow" value=${Y(s.escrowed)} title=${s.escrowed} hint="held by open orders" />
      <${J} label="Earned" value=${Y(s.earned)} title=${s.earned} hint="paid to us as provider" />
      <${J} label="Allowance" value=${Y(s.allowance)} title=${s.allowance} hint="the Market may still pull" />
      <${J} label="Gas" value=${Y(s.gas)} title=${s.gas} hint="wei, for transaction fees" tone=${en(s.gas)} />
    </div>
    <p class="muted small">Account <span class="mono">${s.account}</span> · amounts in token base units</p>`}
    ${c&&A`<${R} title="Move money"><div class="grid2">
      <${Zt} kind="deposit" onStarted=${l} />
      <${Zt} kind="withdraw" onStarted=${l} max=${s&&s.credit} />
    </div>
    ${a.map(e=>A`<${Xt} key=${e.id} op=${e} onDone=${u} />`)}<//>`}
    <${R} title="Transactions" actions=${A`<select aria-label="state" value=${n} onChange=${e=>r(e.target.value)}>
        <option value="">all</option><option value="pending">pending</option><option value="mined">mined</option><option value="confirmed">confirmed</option><option value="failed">failed</option></select>`}>
      <${B} error=${i.error} retry=${i.reload} title="Transactions could not be read" />
      ${!i.data&&!i.error&&A`<${U} />`}
      ${i.data&&A`<${W} columns=${Qt} rows=${i.data} rowKey=${e=>e.key}
        empty=${A`<${H} title=${n?`No `+n+` transaction`:`No transaction yet`} icon="◎">Every transaction the carrier sends for this organization (registration, deposits, orders, settlements) is listed here with its confirmations.<//>`} />`}
    <//>
  <//>`}function en(e){try{return BigInt(e||0)<10n**15n?`warn`:``}catch{return``}}var tn={minute:6e4,hour:36e5,day:864e5};function nn(e,t){if(!e.length)return e;let n=new Date(e[0].time).getTime()-(tn[t]||36e5),r=e[e.length-1],i=[{time:new Date(n).toISOString(),totalEarned:`0`,totalSpent:`0`,earned:`0`,spent:`0`,edge:!0},...e],a=Date.now();return a>new Date(r.time).getTime()&&i.push({...r,time:new Date(a).toISOString(),earned:`0`,spent:`0`,edge:!0}),i}function rn({points:e,bucket:t}){let n=nn(e||[],t),r=1e3,i={l:64,r:16,t:16,b:32};if(n.length===0)return null;let a=new Date(n[0].time).getTime(),o=new Date(n[n.length-1].time).getTime(),s=Math.max(1,o-a),c=1n;for(let e of n)for(let t of[dt(e.totalEarned),dt(e.totalSpent)])t>c&&(c=t);let l=e=>i.l+(n.length===1?(r-i.l-i.r)/2:(new Date(e).getTime()-a)/s*(r-i.l-i.r)),u=e=>250-i.b-Number(dt(e)*1000n/c)/1e3*(250-i.t-i.b),d=e=>{let t=``,r=null;return n.forEach((n,i)=>{let a=l(n.time).toFixed(1);t+=i===0?`M`+a+`,`+u(`0`).toFixed(1)+` L`+a+`,`+u(n[e]).toFixed(1):` L`+a+`,`+u(r).toFixed(1)+` L`+a+`,`+u(n[e]).toFixed(1),r=n[e]}),t},f=[0n,c/2n,c];return A`<svg class="chart" viewBox=${`0 0 ${r} 250`} role="img" aria-label="earned and spent over time">
    ${f.map(e=>A`<g><line x1=${i.l} x2=${r-i.r} y1=${u(e.toString())} y2=${u(e.toString())} class="grid" />
      <text x=${i.l-8} y=${u(e.toString())+4} class="axis" text-anchor="end">${Y(e.toString())}</text></g>`)}
    <text x=${i.l} y=${242} class="axis">${$(n[0].time)}</text>
    ${n.length>1&&A`<text x=${r-i.r} y=${242} class="axis" text-anchor="end">${$(n[n.length-1].time)}</text>`}
    <path d=${d(`totalSpent`)} class="series spent" />
    <path d=${d(`totalEarned`)} class="series earned" />
    ${e.map(e=>A`<circle cx=${l(e.time)} cy=${u(e.totalEarned)} r="3.5" class="pt earned"><title>${$(e.time)}: earned ${e.earned} (total ${e.totalEarned})</title></circle>`)}
    ${e.map(e=>A`<circle cx=${l(e.time)} cy=${u(e.totalSpent)} r="3.5" class="pt spent"><title>${$(e.time)}: spent ${e.spent} (total ${e.totalSpent})</title></circle>`)}
  </svg>
  <div class="legend"><span class="sw earned"></span> earned as provider (running total) <span class="sw spent"></span> spent as buyer</div>`}function an(){let[e,t]=N(`hour`),n=I(`settlements`,{interval:1e4}),r=I(`earnings?bucket=`+e,{interval:1e4}),i=n.data;return A`<${L} title="Settlements & earnings" subtitle="What this organization earned as provider and paid as buyer; the carrier settles ended orders in batches, exactly once.">
    <${B} error=${n.error} retry=${n.reload} title="Settlement state could not be read" />
    ${i&&A`<div class="stats">
      <${J} label="Earned" value=${Y(i.earned)} title=${i.earned} hint="paid by closed orders" tone="ok" />
      <${J} label="Pending" value=${Y(i.pending)} title=${i.pending} hint="escrow of open orders" />
      <${J} label="Due" value=${i.due.length} hint=${i.due.length?`ended, to settle: #`+i.due.join(`, #`):`nothing to settle`} tone=${i.due.length?`warn`:``} />
      <${J} label="Events applied" value=${`#`+i.cursor} hint=${`chain head #`+i.head} />
    </div>`}
    <${R} title="Over time" actions=${A`<select aria-label="bucket" value=${e} onChange=${e=>t(e.target.value)}>
        <option value="minute">per minute</option><option value="hour">per hour</option><option value="day">per day</option></select>`}>
      <${B} error=${r.error} retry=${r.reload} title="Earnings could not be computed" />
      ${!r.data&&!r.error&&A`<${U} />`}
      ${r.data&&r.data.points.length===0&&A`<${H} title="Nothing settled yet" icon="∑">The chart fills in as orders close: cancelled orders pay for the time used, ended ones in full.<//>`}
      ${r.data&&r.data.points.length>0&&A`<div id="earnings-chart"><${rn} points=${r.data.points} bucket=${r.data.bucket} /></div>
        <p class="muted small">${r.data.orders} closed order${r.data.orders===1?``:`s`}: earned <strong>${Y(r.data.earned)}</strong>, spent <strong>${Y(r.data.spent)}</strong>${r.data.truncated?` (the newest 1000 orders only)`:``}.</p>`}
    <//>
    <${R} title="Settlement batches">
      ${i&&i.orders&&Object.keys(i.orders).length>0&&A`<p class="small">Orders at our providers: ${Object.entries(i.orders).map(([e,t])=>A`<${z} value=${e} /> ${t} `)}</p>`}
      ${i&&A`<${W} rows=${i.batches} rowKey=${e=>e.seq}
        columns=${[{label:`Batch`,class:`num`,render:e=>`#`+e.seq},{label:`Orders`,render:e=>e.ids.map(e=>A`<a href=${`#/orders/`+e}>#${e}</a> `)},{label:`Created`,render:e=>$(e.created)},{label:`Result`,render:e=>A`<${z} value=${e.done?String(e.result).startsWith(`confirmed`)?`confirmed`:`failed`:`pending`} title=${e.result} /> <span class="small muted">${e.result}</span>`},{label:`Settled`,class:`num`,render:e=>e.settled},{label:`Gas`,class:`num`,render:e=>e.gasUsed||`—`}]}
        empty=${A`<${H} title="No settlement batch yet" icon="∑">Ended orders at this organization's providers are settled in batches; cancelled ones settle at once and need none.<//>`} />`}
      ${!i&&n.error&&A`<${V} tone="warn">Batches show once the carrier answers.<//>`}
    <//>
  <//>`}function on({data:e,isAdmin:t,reload:n}){let[r,i]=N(null),[a,o]=N(null),[s,c]=N(!1);if(je(()=>{let t=e.settings;i({orgName:t.orgName,chainRpc:t.chainRpc,token:t.contracts.token,registry:t.contracts.registry,market:t.contracts.market})},[e]),!r)return null;let l=e=>t=>{c(!1),i({...r,[e]:t.target.value})},u=async()=>{o(null);try{await P(`PUT`,`settings`,{orgName:r.orgName,chainRpc:r.chainRpc,contracts:{token:r.token,registry:r.registry,market:r.market}}),c(!0),n()}catch(e){o(e)}},d=!t;return A`<${R} title="Organization profile" id="org-profile">
    <p class="muted small">Organization id <strong>${e.org}</strong> (fixed by each daemon's --org). These settings live in Consul KV under
      <code>gridnode/${e.org}/settings/</code>; every carrier follows them at once.</p>
    ${e.settingsError&&A`<${B} error=${{message:e.settingsError}} title="Settings could not be read" />`}
    <form class="form-grid two" onSubmit=${e=>{e.preventDefault(),u()}}>
      <${K} label="Display name"><input name="org-name" value=${r.orgName} onInput=${l(`orgName`)} readOnly=${d} /><//>
      <${K} label="Chain RPC" hint=${d?`shown to admins only`:`http(s) or ws(s) JSON-RPC endpoint`}><input name="chain-rpc" value=${r.chainRpc} onInput=${l(`chainRpc`)} readOnly=${d} /><//>
      <${K} label="Token contract"><input class="mono" name="token" value=${r.token} onInput=${l(`token`)} readOnly=${d} /><//>
      <${K} label="Registry contract"><input class="mono" name="registry" value=${r.registry} onInput=${l(`registry`)} readOnly=${d} /><//>
      <${K} label="Market contract"><input class="mono" name="market" value=${r.market} onInput=${l(`market`)} readOnly=${d} /><//>
      ${t&&A`<div class="form-actions"><${G} type="submit" id="save-settings" onClick=${u} busyLabel="Saving…">Save settings<//>
        ${s&&A`<span class="ok-text">Saved. The carriers pick the change up now.</span>`}</div>`}
    </form>
    <${B} error=${a} title="Settings not saved" />
  <//>`}function sn({part:e}){if(e.error)return A`<${R} title="Bootstrap peers"><${B} error=${{message:e.error,code:e.code}} title="The carrier's peers could not be read" /><//>`;let t=e.data;return A`<${R} title="Bootstrap peers">
    <p class="muted small">Give other organizations one of these addresses for their carrier's <code>--p2p-bootstrap</code>. This carrier's own
      bootstrap peers are set with the same flag (restart to change).</p>
    ${(t.self.addrs||[]).length===0?A`<p class="none">The carrier listens on no address yet.</p>`:A`<ul class="addrs">${t.self.addrs.map(e=>A`<li><code>${e}</code> <${it} value=${e} /></li>`)}</ul>`}
    <h3>Connected (${t.peers.length})</h3>
    ${t.peers.length===0?A`<p class="none">No peer connected.</p>`:A`<ul class="peers">${t.peers.map(e=>A`<li><span class="dot ok"></span><span class="mono" title=${e.id}>${Z(e.id)}</span>
          <span class="mono small muted">${(e.addrs||[])[0]||``}</span>
          <span class="small muted">${[e.direction,e.latency,e.listings?`gets listings`:``].filter(Boolean).join(` · `)}</span></li>`)}</ul>`}
  <//>`}function cn({part:e}){return e.error?A`<${R} title="Prices"><${B} error=${{message:e.error,code:e.code}} title="The providers' prices could not be read" /><//>`:A`<${R} title="Prices">
    <p class="muted small">Unit prices per second in token base units, as registered on chain. The carrier registers what its
      <code>--price-cpu-milli</code>, <code>--price-memory-mib</code>, <code>--price-storage-gib</code> and <code>--price-gpu</code> flags say, and updates the Registry when they change (at its next start).</p>
    <${W} rows=${e.data||[]} rowKey=${e=>e.provider}
      columns=${[{label:`Provider`,render:e=>A`<span class="mono" title=${e.provider}>${Z(e.provider)}</span>`},{label:`State`,render:e=>A`<${z} value=${e.state} />`},{label:`CPU milli`,class:`num`,render:e=>e.onChain?Y(e.onChain.prices.cpuMilli):`—`},{label:`MiB`,class:`num`,render:e=>e.onChain?Y(e.onChain.prices.memoryMiB):`—`},{label:`GiB`,class:`num`,render:e=>e.onChain?Y(e.onChain.prices.storageGiB):`—`},{label:`GPU`,class:`num`,render:e=>e.onChain?Y(e.onChain.prices.gpu):`—`}]}
      empty=${A`<${H} title="No provider" icon="▦">This organization sells nothing: it has no gateway registered.<//>`} />
  <//>`}function ln({me:e}){let{data:t,error:n,reload:r}=I(`accounts`),[i,a]=N({name:``,role:`viewer`,password:``}),[o,s]=N(null),[c,l]=N(null),[u,d]=N(null),f=async(e,t)=>{s(null),l(null);try{await e(),l(t),r()}catch(e){s(e)}},p=()=>f(async()=>{await F(`accounts`,{name:i.name.trim(),role:i.role,password:i.password}),a({name:``,role:`viewer`,password:``})},`Account ${i.name.trim()} created. Give its owner the temporary password; they must choose their own at the first sign-in.`);return A`<${R} title="Operator accounts" id="accounts">
    <${B} error=${n} retry=${r} />
    ${c&&A`<div class="alert ok"><div>${c}</div></div>`}
    <${B} error=${o} title="Not done" />
    ${t&&A`<${W} rows=${t} rowKey=${e=>e.name} columns=${[{label:`Name`,render:t=>A`<strong>${t.name}</strong>${t.name===e?A` <span class="muted">(you)</span>`:``}`},{label:`Role`,render:e=>A`<${z} value=${e.role} />`},{label:`Status`,render:e=>A`${e.locked?A`<${z} value="locked" title=${`until `+e.lockedUntil} />`:``}
        ${e.mustChange?A`<${z} value="must change password" tone="warn" />`:``}${!e.locked&&!e.mustChange?A`<${z} value="ok" />`:``}`},{label:`Last sign-in`,render:e=>e.lastLogin?mt(e.lastLogin):`never`},{label:`Sessions`,class:`num`,render:e=>e.sessions},{label:``,render:t=>A`<div class="row-actions">
        <select aria-label=${`role of `+t.name} value=${t.role} onChange=${e=>f(()=>P(`PATCH`,`accounts/`+t.name,{role:e.target.value}),`${t.name} is now ${e.target.value}; their sessions were signed out.`)}>
          <option value="admin">admin</option><option value="viewer">viewer</option></select>
        ${t.locked&&A`<button class="btn tiny ghost" onClick=${()=>f(()=>P(`PATCH`,`accounts/`+t.name,{unlock:!0}),t.name+` unlocked.`)}>Unlock</button>`}
        <button class="btn tiny ghost" onClick=${()=>d({kind:`reset`,a:t})}>Reset password</button>
        ${t.name!==e&&A`<button class="btn tiny danger" onClick=${()=>d({kind:`delete`,a:t})}>Delete</button>`}</div>`}]} />`}
    <form class="inline-form" onSubmit=${e=>{e.preventDefault(),p()}}>
      <h3>New account</h3>
      <${K} label="Name" hint="a-z, 0-9, . _ -"><input name="account-name" value=${i.name} onInput=${e=>a({...i,name:e.target.value})} required /><//>
      <${K} label="Role"><select name="account-role" value=${i.role} onChange=${e=>a({...i,role:e.target.value})}><option value="viewer">viewer: sees, changes nothing</option><option value="admin">admin: may do everything</option></select><//>
      <${K} label="Temporary password" hint="12+ characters; changed at first sign-in"><input name="account-password" type="password" autocomplete="new-password" value=${i.password} onInput=${e=>a({...i,password:e.target.value})} required /><//>
      <div class="form-actions"><${G} type="submit" id="create-account" onClick=${p} busyLabel="Creating…">Create account<//></div>
    </form>
    ${u&&u.kind===`delete`&&A`<${rt} title=${`Delete `+u.a.name+`?`} danger confirmLabel="Delete account"
      body=${A`<p>The account is removed and its sessions are signed out on every console replica.</p>`}
      onConfirm=${()=>(d(null),f(()=>P(`DELETE`,`accounts/`+u.a.name),u.a.name+` deleted.`))} onCancel=${()=>d(null)} />`}
    ${u&&u.kind===`reset`&&A`<${un} a=${u.a} onDone=${e=>(d(null),f(()=>P(`PATCH`,`accounts/`+u.a.name,{password:e}),`${u.a.name}'s password was reset; they must change it at the next sign-in.`))} onCancel=${()=>d(null)} />`}
  <//>`}function un({a:e,onDone:t,onCancel:n}){let[r,i]=N(``);return A`<${rt} title=${`Reset `+e.name+`’s password`} confirmLabel="Reset" onConfirm=${()=>t(r)} onCancel=${n}
    body=${A`<p>Set a temporary password (12+ characters). ${e.name}'s sessions are signed out, and the next sign-in asks for a new password.</p>
      <input type="password" autocomplete="new-password" value=${r} onInput=${e=>i(e.target.value)} aria-label="temporary password" />`} />`}function dn(e){let t=new Date(e);return new Date().toDateString()===t.toDateString()?t.toLocaleTimeString():$(e)}function fn(){let[e,t]=N({result:``,q:``}),[n,r]=N(0),{data:i,error:a,reload:o}=I(`audit`+Qe({limit:50,result:e.result,q:e.q,before:n||``}),{interval:1e4});return A`<${R} title="Audit log" id="audit" actions=${A`<input placeholder="filter action or target" aria-label="filter" value=${e.q} onInput=${n=>{r(0),t({...e,q:n.target.value})}} />
      <select aria-label="result" value=${e.result} onChange=${n=>{r(0),t({...e,result:n.target.value})}}>
        <option value="">all results</option><option value="ok">ok</option><option value="denied">denied</option><option value="failed">failed</option></select>`}>
    <${B} error=${a} retry=${o} />
    ${!i&&!a&&A`<${U} />`}
    ${i&&A`<p class="muted small">Every change made through the console, refused attempts included; ${i.held} of at most ${i.max} entries kept (shared by all replicas).</p>
      <${W} rows=${i.entries} rowKey=${e=>e.seq} columns=${[{label:`#`,class:`num`,render:e=>e.seq},{label:`When`,class:`nowrap`,render:e=>A`<span class="small" title=${e.time}>${dn(e.time)}</span>`},{label:`Who`,render:e=>A`<strong>${e.actor}</strong>${e.role?A` <span class="muted small">${e.role}</span>`:``}<div class="muted small">${e.ip}</div>`},{label:`What`,class:`nowrap`,render:e=>A`<span class="mono small">${e.action}</span>${e.target?A`<div class="small">${e.target}</div>`:``}`},{label:`Detail`,render:e=>Object.entries(e.detail||{}).map(([e,t])=>A`<span class="tag">${e}=${t}</span>`)},{label:`Result`,render:e=>A`<${z} value=${e.result} /> <span class="muted small">${e.status}</span>${e.message?A`<div class="small muted clip" title=${e.message}>${e.message}</div>`:``}`}]} empty=${A`<${H} title="No entry" icon="✎">Nothing matches the filter.<//>`} />
      <div class="pager">
        <button class="btn small ghost" disabled=${!n} onClick=${()=>r(0)}>Newest</button>
        <button class="btn small ghost" disabled=${!i.next} onClick=${()=>r(i.next)}>Older</button></div>`}
  <//>`}function pn({sess:e}){let{data:t,error:n,reload:r}=I(`settings`),i=e.role===`admin`;return A`<${L} title="Settings" subtitle=${i?`The organization, its network and its operators.`:`The organization and its network (read-only: accounts and the audit log are for admins).`}>
    <${B} error=${n} retry=${r} />
    ${!t&&!n&&A`<${U} />`}
    ${t&&A`<${on} data=${t} isAdmin=${i} reload=${r} />
      <div class="grid2"><${sn} part=${t.peers} /><${cn} part=${t.providers} /></div>`}
    ${i&&A`<${ln} me=${e.user} /><${fn} />`}
    ${!i&&A`<${V} title="Operator accounts">Only admins manage accounts and read the audit log. You can change your own password from the top bar.<//>`}
  <//>`}var mn=[{path:`overview`,label:`Overview`,icon:`◈`,view:yt},{path:`directory`,label:`Network directory`,icon:`⌕`,view:Ct},{path:`providers`,label:`Providers`,icon:`▦`,view:jt},{path:`orders`,label:`Orders`,icon:`≡`,view:It},{path:`credits`,label:`Credits & tokens`,icon:`◎`,view:$t},{path:`settlements`,label:`Settlements`,icon:`∑`,view:an},{path:`settings`,label:`Settings`,icon:`⚙`,view:pn}];function hn(){return location.hash.replace(/^#\/?/,``).split(`?`)[0].split(`/`).filter(Boolean)}function gn(e){location.hash=`#/`+e}function _n(){let[e,t]=N(void 0),[n,r]=N(hn()),[i,a]=N(null);je(()=>{let e=()=>r(hn());return window.addEventListener(`hashchange`,e),Ke(()=>{We(``),t(null)}),Je(`login`).then(a,()=>a({})),Je(`session`).then(e=>{We(e.csrf),t(e)},()=>t(null)),()=>window.removeEventListener(`hashchange`,e)},[]);let o=e=>{We(e.csrf),t(e),n[0]||gn(`overview`)},s=async()=>{try{await F(`logout`)}catch{}We(``),t(null)};if(e===void 0)return A`<div class="boot"><${U} label="Opening the console…" /></div>`;if(e===null)return A`<${st} opts=${i} onSignedIn=${o} />`;if(e.mustChange)return A`<${ct} sess=${e} forced=${!0} onChanged=${o} onLogout=${s} />`;let[c,...l]=n,u=mn.find(e=>e.path===c)||mn[0],d;d=u.path===`orders`&&l[0]===`new`?A`<${zt} sess=${e} />`:u.path===`orders`&&l[0]?A`<${Yt} sess=${e} id=${l[0]} />`:c===`password`?A`<${ct} sess=${e} onChanged=${o} onLogout=${s} />`:A`<${u.view} sess=${e} />`;let f=e.role===`admin`;return A`<div class=${`shell `+(f?`role-admin`:`role-viewer`)}>
    <nav class="side">
      <div class="brand"><span class="logo" aria-hidden="true"></span><div><div class="brand-name">gridnode</div>
        <div class="brand-org" title="organization">${i&&i.orgName||e.org}</div></div></div>
      <ul>${mn.map(e=>A`<li><a href=${`#/`+e.path} class=${e===u&&c!==`password`?`active`:``} data-nav=${e.path}>
          <span class="nav-icon" aria-hidden="true">${e.icon}</span>${e.label}</a></li>`)}</ul>
      <div class="side-foot">${i&&i.version?`admin `+i.version:``}</div>
    </nav>
    <div class="main">
      <header class="top">
        <div class="top-org">Organization <strong>${e.org}</strong></div>
        <div class="top-user">
          ${!f&&A`<span class="badge muted" title="a viewer sees everything and changes nothing">read-only</span>`}
          <span class="user" title=${e.kind===`wallet`?`signed in with a wallet`:`signed in with a password`}>${e.user}</span>
          <span class=${`badge `+(f?`accent`:`muted`)} data-role=${e.role}>${e.role}</span>
          ${e.kind===`password`&&A`<a class="btn tiny ghost" href="#/password">Password</a>`}
          <button class="btn tiny ghost" id="logout" onClick=${s}>Sign out</button>
        </div>
      </header>
      <main class="content">${d}</main>
    </div>
  </div>`}me(A`<${_n} />`,document.getElementById(`app`));