/*
 * report_html_assets.c: the HTML report's style and script, inline in the
 * page (nothing is fetched). The style reads on a desk (map and claim panel
 * side by side), on a phone (one column, targets of at least 44 px, the
 * claim panel as a sheet at the bottom of the screen) and on paper (every
 * column of every table kept, smaller type, no panel). The script wires the
 * map to the tables (a row shows its pair; a hot spot shows its claims, or
 * the list of the claims at one spot), sorts and filters the tables, and
 * pans and zooms the map (buttons, wheel, drag, two fingers). Without it the
 * page is a plain document; the filter and zoom buttons are made by the
 * script, so a page without it shows no dead controls.
 */
#include <stdio.h>

#include "report/report_html.h"

/* Long rules are split over adjacent literals on purpose. */
/* NOLINTBEGIN(bugprone-suspicious-missing-comma) */
const char *const sm__html_css[] = {
    ":root{--ink:#212125;--muted:#66666d;--rule:#d0d0d4;--shade:#f3f3f5;--link:#005aa6;"
    "--warn:#b33800;--plausible:#0072b2;--marginal:#e69f00;--implausible:#d55e00;"
    "--unknown:#8c8c8c}\n",
    "*{box-sizing:border-box}\n",
    "body{margin:0;color:var(--ink);background:#fff;font:16px/1.5 'Noto Sans','DejaVu Sans',"
    "system-ui,sans-serif;hyphens:manual}\n",
    "header,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}\n",
    "header{padding-top:24px}h1{font-size:1.8em;line-height:1.2;margin:0 0 .2em}\n",
    ".sub{color:var(--muted);margin:0}.summary{margin:.4em 0 1em;font-weight:600}\n",
    "h2{font-size:1.35em;margin:1.6em 0 .4em;border-bottom:1px solid var(--rule)}\n",
    "h3{font-size:1.05em;margin:1.2em 0 .2em}a{color:var(--link)}\n",
    ".note{color:var(--muted);font-size:.9em}.muted{color:var(--muted)}\n",
    ".map-section{display:flex;gap:16px;align-items:flex-start}\n",
    ".map-box{flex:1 1 auto;margin:0;min-width:0;position:relative}\n",
    ".map-stack{position:relative;line-height:0;border:1px solid var(--rule);overflow:hidden;"
    "touch-action:pan-x pan-y}\n",
    ".map-stack.zoomed{touch-action:none;cursor:grab}\n",
    ".map-zoom{position:relative;transform-origin:0 0}\n",
    ".map-zoom svg{display:block;width:100%;height:auto}\n",
    ".map-zoom .overlay{position:absolute;left:0;top:0;width:100%;height:100%}\n",
    ".overlay .hot circle{fill:transparent;stroke:transparent;cursor:pointer}\n",
    ".overlay .hot polyline{fill:none;stroke:transparent;stroke-width:12;cursor:pointer}\n",
    ".overlay .hot a:hover circle,.overlay .hot a:focus circle{stroke:#000;stroke-width:2}\n",
    ".overlay .hot a.multi circle{stroke:rgba(0,0,0,.45);stroke-width:1;stroke-dasharray:2 2}\n",
    ".overlay .hot a.on circle{stroke:#000;stroke-width:3;stroke-dasharray:none}\n",
    ".overlay .hot a.on polyline{stroke:rgba(0,0,0,.35)}\n",
    ".overlay line.pair{stroke:transparent;stroke-width:6;stroke-linecap:round}\n",
    ".overlay line.pair.on{stroke:#000;stroke-dasharray:2 6;stroke-width:5}\n",
    ".zoom-ctl{position:absolute;right:8px;top:8px;display:flex;flex-direction:column;gap:4px;"
    "z-index:2}\n",
    ".zoom-ctl button{width:44px;height:44px;font-size:22px;line-height:1;border:1px solid "
    "var(--rule);background:rgba(255,255,255,.92);border-radius:6px;cursor:pointer}\n",
    "figcaption{line-height:1.4;color:var(--muted);font-size:.85em;margin-top:6px}\n",
    ".panel{flex:0 0 340px;max-height:80vh;overflow:auto;border:1px solid var(--rule);"
    "padding:8px 12px;font-size:.9em;background:#fff}\n",
    ".panel h3{margin-top:.2em}.panel .close{float:right;width:44px;height:44px;font-size:22px}\n",
    ".panel .claim{border-top:1px solid var(--rule)}\n",
    ".findings li{margin:.3em 0}.findings li.v-implausible::marker{color:var(--implausible)}\n",
    ".findings li.v-marginal::marker{color:var(--marginal)}.findings li.flag{color:var(--warn)}\n",
    ".warn{color:var(--warn);font-size:.92em}\n",
    ".filter{display:flex;gap:8px;align-items:center;margin:.4em 0;font-size:.9em}\n",
    ".filter input{flex:1 1 auto;max-width:420px;min-height:44px;font-size:16px;padding:4px 8px}\n",
    ".table-wrap{overflow-x:auto}\n",
    "table{border-collapse:collapse;width:100%;font-size:.85em}\n",
    "th,td{text-align:left;padding:5px 6px;border-bottom:1px solid var(--rule);"
    "vertical-align:top}\n",
    "th{background:#e6e6ea;white-space:nowrap;position:sticky;top:0}\n",
    "table.sortable th{cursor:pointer}\n",
    "th[aria-sort=ascending]::after{content:' \\25b2'}"
    "th[aria-sort=descending]::after{content:' \\25bc'}\n",
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n",
    "tbody tr:nth-child(even){background:var(--shade)}table.sortable tbody tr{cursor:pointer}\n",
    "tbody tr.selected{outline:2px solid #000;outline-offset:-2px}\n",
    "td .source{margin:0}td .source a,.source a{word-break:break-all}\n",
    ".label{color:var(--muted)}\n", ".verdict,.v{font-weight:700;white-space:nowrap}\n",
    ".v-plausible .verdict,.v.v-plausible{color:var(--plausible)}\n",
    ".v-marginal .verdict,.v.v-marginal{color:#b07800}\n",
    ".v-implausible .verdict,.v.v-implausible{color:var(--implausible)}\n",
    ".v-unknown .verdict,.v.v-unknown{color:var(--unknown)}\n",
    ".claim{border-top:1px solid var(--rule);padding:.2em 0 .6em}\n",
    ".claim .kind{font-size:.75em;text-transform:uppercase;letter-spacing:.05em;"
    "color:var(--muted)}\n",
    ".facts,.source,.notes{margin:.2em 0;font-size:.92em}.notes{color:var(--muted)}\n",
    ".claim-pairs{font-size:.9em}.claim:target,.spot-list:target{background:#fff8e0}\n",
    ".spot-list ul{margin:.2em 0}.js .spot-list{display:none}\n",
    "footer{color:var(--muted);font-size:.8em;padding:24px 16px 40px}\n",
    /* a phone, or any narrow window: one column, finger-sized targets, the
     * claim panel a sheet at the bottom */
    "@media screen and (max-width:800px){body{font-size:15px}.map-section{display:block}"
    ".panel{position:fixed;left:0;right:0;bottom:0;max-height:60vh;margin:0;z-index:10;"
    "border-width:2px 0 0;box-shadow:0 -4px 16px rgba(0,0,0,.2)}"
    ".zoom-ctl{position:static;flex-direction:row;justify-content:flex-end;margin-bottom:4px}"
    "a.claim-link,.claim-pairs a,.spot-list a{display:inline-block;"
    "min-height:44px;min-width:44px;padding:10px 0}"
    ".claim-pairs li,.spot-list li{margin:0}"
    ".overlay .hot circle{r:16px}}\n",
    "@media screen and (pointer:coarse){a.claim-link,.claim-pairs a,.spot-list "
    "a{display:inline-block;"
    "min-height:44px;min-width:44px;padding:10px 0}}\n",
    /* paper: every column kept (no scrolling box to clip it), small type */
    "@page{margin:12mm}\n",
    "@media print{.panel,figcaption,.zoom-ctl,.filter,.spot-list{display:none}"
    "body{font-size:8.5pt;line-height:1.3}header,main,footer{max-width:none;padding:0}"
    ".table-wrap{overflow:visible}table{font-size:7pt;table-layout:auto}"
    "th,td{padding:1.5px 3px}th{position:static;white-space:normal}"
    "td .source a,.source a{word-break:break-all}tr,.claim{break-inside:avoid}"
    "thead{display:table-header-group}a{color:inherit;text-decoration:none}"
    ".map-stack{border:0}.map-section{display:block}h2{break-after:avoid}}\n",
    NULL};
/* NOLINTEND(bugprone-suspicious-missing-comma) */

const char *const sm__html_js[] = {
    "(function(){\n", "'use strict';\n", "var d=document,panel=d.getElementById('panel');\n",
    "var prows=d.querySelectorAll('#verdict-table tbody tr');\n",
    "function clear(){d.querySelectorAll('.on,.selected').forEach(function(e){"
    "e.classList.remove('on');e.classList.remove('selected');});}\n",
    "function hot(id){return d.querySelector('.overlay a[data-claim=\"'+id+'\"]')||"
    "d.querySelector('.overlay a[data-spot~=\"'+id+'\"]');}\n",
    "function selectPair(i,scroll){clear();var l=d.getElementById('line-'+i);"
    "var r=d.getElementById('pair-'+i);if(l)l.classList.add('on');"
    "if(r){r.classList.add('selected');r.getAttribute('data-claims').split(' ').forEach("
    "function(c){var a=hot(c);if(a)a.classList.add('on');});}"
    "if(scroll)d.querySelector('.map-box').scrollIntoView({block:'nearest'});}\n",
    /* on a desk the panel keeps its place beside the map (the map does not
     * jump when it opens); on a phone it is a sheet shown when needed */
    "function idle(){panel.innerHTML='<p class=\"note\">Click a strike, an aircraft or a "
    "base on the map to see its claims, sources and verdicts here.</p>';"
    "panel.hidden=getComputedStyle(panel).position==='fixed';}\n",
    "function showClaims(ids,spot){var arts=ids.map(function(id){return d.getElementById(id);})"
    ".filter(Boolean);if(!arts.length)return;clear();"
    "ids.forEach(function(id){var a=hot(id);if(a)a.classList.add('on');"
    "prows.forEach(function(r){if(r.getAttribute('data-claims').split(' ').indexOf(id)>=0){"
    "r.classList.add('selected');var l=d.getElementById('line-'+r.id.slice(5));"
    "if(l)l.classList.add('on');}});});"
    "panel.innerHTML='';var b=d.createElement('button');b.type='button';b.className='close';"
    "b.textContent='\\u00d7';b.setAttribute('aria-label','Close');"
    "b.onclick=function(){idle();clear();};panel.appendChild(b);"
    "if(arts.length>1){var h=d.createElement('h3');h.textContent=arts.length+"
    "' claims at this spot';panel.appendChild(h);}"
    "arts.forEach(function(art){var c=art.cloneNode(true);c.removeAttribute('id');"
    "c.setAttribute('data-of',art.id);panel.appendChild(c);});"
    "panel.hidden=false;panel.scrollTop=0;}\n",
    /* a click or tap on the map opens the nearest spot within 22 px (a
     * 44 px target, whatever the zoom), else the track under it */
    "var ov=d.querySelector('.overlay'),spots=[];\n",
    "d.querySelectorAll('.overlay .hot a').forEach(function(a){var c=a.querySelector('circle');"
    "if(c)spots.push({a:a,x:+c.getAttribute('cx'),y:+c.getAttribute('cy')});});\n",
    "function openHot(a){var s=a.getAttribute('data-spot');"
    "showClaims(s?s.split(' '):[a.getAttribute('data-claim')],!!s);}\n",
    "if(ov)ov.addEventListener('click',function(e){var r=ov.getBoundingClientRect();"
    "var k=ov.viewBox.baseVal.width/r.width,x=(e.clientX-r.left)*k,y=(e.clientY-r.top)*k;"
    "var best=null,bd=22*k;spots.forEach(function(s){var q=Math.hypot(s.x-x,s.y-y);"
    "if(q<bd){bd=q;best=s.a;}});var t=e.target.closest('a');"
    "if(!best&&t&&t.querySelector('polyline'))best=t;"
    "if(best){e.preventDefault();openHot(best);}else if(t)e.preventDefault();});\n",
    "d.querySelectorAll('a.claim-link,.spot-list a').forEach(function(a){"
    "a.addEventListener('click',function(e){var id=a.getAttribute('href').slice(1);"
    "if(hot(id)&&getComputedStyle(panel).position==='fixed'){e.preventDefault();"
    "showClaims([id]);}});});\n",
    "panel.addEventListener('click',function(e){var a=e.target.closest('a[data-pair]');"
    "if(a){e.preventDefault();selectPair(a.getAttribute('data-pair'),true);}});\n",
    "prows.forEach(function(r){r.addEventListener('click',function(e){"
    "if(e.target.closest('a'))return;selectPair(r.id.slice(5),true);});});\n",
    /* sort */
    "d.querySelectorAll('table.sortable').forEach(function(t){var ths=t.querySelectorAll('th');"
    "ths.forEach(function(th,col){th.tabIndex=0;function sort(){"
    "var asc=th.getAttribute('aria-sort')!=='ascending';"
    "ths.forEach(function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');var body=t.tBodies[0];"
    "var list=Array.prototype.slice.call(body.rows);"
    "list.sort(function(x,y){var a=x.cells[col],b=y.cells[col];"
    "var va=a.hasAttribute('data-v')?a.getAttribute('data-v'):a.textContent;"
    "var vb=b.hasAttribute('data-v')?b.getAttribute('data-v'):b.textContent;"
    "var na=parseFloat(va),nb=parseFloat(vb),q;"
    "if(!isNaN(na)&&!isNaN(nb)&&/^-?[0-9.e+]+$/.test(va)&&/^-?[0-9.e+]+$/.test(vb))q=na-nb;"
    "else if(va===''||vb==='')q=(va==='')-(vb==='');"
    "else q=va.localeCompare(vb);return asc?q:-q;});"
    "list.forEach(function(r){body.appendChild(r);});}"
    "th.addEventListener('click',sort);th.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});});\n",
    /* filter: every word typed must be in the row */
    "d.querySelectorAll('table.filterable').forEach(function(t){"
    "var lab=d.createElement('label');lab.className='filter';"
    "var inp=d.createElement('input');inp.type='search';"
    "inp.placeholder='Filter: words in any column';inp.setAttribute('aria-controls',t.id);"
    "var n=d.createElement('span');n.className='muted';lab.appendChild(inp);"
    "lab.appendChild(n);var wrap=t.parentNode;wrap.parentNode.insertBefore(lab,wrap);"
    "var rows=Array.prototype.slice.call(t.tBodies[0].rows);"
    "var text=rows.map(function(r){return r.textContent.toLowerCase();});"
    "function run(){var w=inp.value.toLowerCase().split(/\\s+/).filter(Boolean),k=0;"
    "rows.forEach(function(r,i){var ok=w.every(function(x){return text[i].indexOf(x)>=0;});"
    "r.hidden=!ok;k+=ok;});n.textContent=w.length?k+' of '+rows.length+' rows':'';}"
    "inp.addEventListener('input',run);});\n",
    /* pan and zoom */
    "var box=d.getElementById('map-stack'),zm=box&&box.querySelector('.map-zoom');\n",
    "if(zm){var z=1,tx=0,ty=0,pts={},moved=0,last=null;\n",
    "function apply(){var w=box.clientWidth,h=box.clientHeight;"
    "tx=Math.min(0,Math.max(w-w*z,tx));ty=Math.min(0,Math.max(h-h*z,ty));"
    "zm.style.transform=z===1?'':'translate('+tx+'px,'+ty+'px) scale('+z+')';"
    "box.classList.toggle('zoomed',z>1);}\n",
    "function zoomAt(f,cx,cy){var nz=Math.min(24,Math.max(1,z*f));f=nz/z;"
    "tx=cx-(cx-tx)*f;ty=cy-(cy-ty)*f;z=nz;apply();}\n",
    "var ctl=d.createElement('div');ctl.className='zoom-ctl';"
    "[['+','Zoom in',1.6],['\\u2212','Zoom out',0.625],['\\u21ba','Whole map',0]].forEach("
    "function(c){var b=d.createElement('button');b.type='button';b.textContent=c[0];"
    "b.setAttribute('aria-label',c[1]);b.addEventListener('click',function(){"
    "if(c[2])zoomAt(c[2],box.clientWidth/2,box.clientHeight/2);else{z=1;tx=ty=0;apply();}});"
    "ctl.appendChild(b);});box.parentNode.insertBefore(ctl,box);\n",
    "box.addEventListener('wheel',function(e){if(!e.ctrlKey&&z===1&&e.deltaY>0)return;"
    "e.preventDefault();var r=box.getBoundingClientRect();"
    "zoomAt(e.deltaY<0?1.25:0.8,e.clientX-r.left,e.clientY-r.top);},{passive:false});\n",
    "function dist(){var k=Object.keys(pts);if(k.length<2)return 0;var a=pts[k[0]],b=pts[k[1]];"
    "return Math.hypot(a.x-b.x,a.y-b.y);}\n",
    "box.addEventListener('pointerdown',function(e){pts[e.pointerId]={x:e.clientX,y:e.clientY};"
    "moved=0;last=dist();});\n",
    "box.addEventListener('pointermove',function(e){var p=pts[e.pointerId];if(!p)return;"
    "var n=Object.keys(pts).length,dx=e.clientX-p.x,dy=e.clientY-p.y;"
    "p.x=e.clientX;p.y=e.clientY;if(n===2){var dd=dist(),r=box.getBoundingClientRect();"
    "if(last>0&&dd>0){var k=Object.keys(pts),a=pts[k[0]],b=pts[k[1]];"
    "zoomAt(dd/last,(a.x+b.x)/2-r.left,(a.y+b.y)/2-r.top);}last=dd;moved+=10;}"
    "else if(z>1){tx+=dx;ty+=dy;moved+=Math.abs(dx)+Math.abs(dy);apply();}});\n",
    "function up(e){delete pts[e.pointerId];last=dist();}\n",
    "['pointerup','pointercancel','pointerleave'].forEach(function(t){"
    "box.addEventListener(t,up);});\n",
    "box.addEventListener('click',function(e){if(moved>6){e.preventDefault();"
    "e.stopPropagation();}moved=0;},true);}\n",
    "function fromHash(){var h=decodeURIComponent(location.hash.slice(1));"
    "if(h.indexOf('pair-')===0)selectPair(h.slice(5),false);"
    "else if(h.indexOf('claim-')===0&&hot(h))showClaims([h]);"
    "else if(h.indexOf('spot-')===0){var a=d.querySelector('.overlay a[href=\"#'+h+'\"]');"
    "if(a)showClaims(a.getAttribute('data-spot').split(' '),true);}}\n",
    "idle();window.addEventListener('hashchange',fromHash);fromHash();\n",
    "d.documentElement.classList.add('js');\n", "})();\n", NULL};

void sm__html_puts(FILE *f, const char *const *pieces)
{
    for (; *pieces != NULL; pieces++)
        fputs(*pieces, f);
}
