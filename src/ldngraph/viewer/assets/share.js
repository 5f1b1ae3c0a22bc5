// ldngraph viewer, part 3 of 3: the one legend (which is also the filter), choosing and selecting, the
// URL fragment that keeps the state, exports (Blob downloads, no network), the keyboard, and start-up.

// The legend: every row is drawn as on the canvas and is also a filter (untick to hide).
function legendRow(fieldsetId, name, value, label, mark, n) {
  var row = el('label', 'row'); var box = el('input'); box.type = 'checkbox'; box.checked = true;
  box.value = value; box.name = name;
  box.addEventListener('change', function () {
    if (box.checked) { delete state.off[name][value]; } else { state.off[name][value] = 1; }
    commit(false, {relayout: true});
  });
  row.appendChild(box); row.appendChild(mark); row.appendChild(el('span', null, label));
  if (n !== undefined) { row.appendChild(el('span', 'n', n)); }
  document.getElementById(fieldsetId).appendChild(row);
}
function symMark(sym, color) { var s = el('span', 'sym', sym); s.style.color = color; return s; }
function lineMark(color, width, dashes) {
  var s = el('span', 'line');
  s.style.borderTop = Math.max(1, width) + 'px ' + (dashes ? (dashes[0] > 4 ? 'dashed' : 'dotted') : 'solid') + ' ' + color;
  return s;
}
function buildLegend() {
  DATA.kinds.forEach(function (k) {
    var st = KIND[k[0]] || KIND.other;
    var label = k[0] === 'study' ? k[1] + ' (\u25b2\u25cf\u25c6\u25bc? before its name: its finding)' : k[1];
    legendRow('f-kind', 'kind', k[0], label, symMark(st.sym, st.color), k[2]);
  });
  var dirCount = {}, levelCount = {}, layerCount = {};
  DATA.claims.forEach(function (c) {
    dirCount[c.direction] = (dirCount[c.direction] || 0) + 1; levelCount[c.level] = (levelCount[c.level] || 0) + 1;
  });
  EDGES.forEach(function (e) { layerCount[e.layer] = (layerCount[e.layer] || 0) + 1; });
  Object.keys(DIR).filter(function (d) { return dirCount[d]; }).forEach(function (d) {
    var m = el('span', 'line-sym'); m.appendChild(lineMark(DIR[d], 4, false)); m.appendChild(symMark(DIR_SYM[d], DIR[d]));
    legendRow('f-direction', 'direction', d, DIR_LABEL[d], m, dirCount[d]);
  });
  DATA.levels.filter(function (l) { return levelCount[l[0]]; }).forEach(function (l) {
    legendRow('f-level', 'level', l[0], l[1], lineMark('#333', LEVEL_WIDTH[l[0]], LEVEL_DASH[l[0]]), levelCount[l[0]]);
  });
  LAYERS.filter(function (l) { return layerCount[l]; }).forEach(function (l) {
    var st = LAYER_STYLE[l];
    var mark = EVIDENCE_LAYERS[l] ? lineMark(DIR.supports, 4, false) : lineMark(st.color, st.width + 1, st.dashes);
    legendRow('f-layer', 'layer', l, EVIDENCE_LAYERS[l] ? l + ' evidence (colour and \u25b2\u25cf\u25c6\u25bc = direction)' : l,
      mark, layerCount[l]);
  });
  if (EDGES.some(function (e) { return e.disputed; })) {
    var d = el('div', 'swatch'); d.appendChild(lineMark(DISPUTED.color, 2, [2, 4])); d.appendChild(symMark(DISPUTED.sym, DISPUTED.color));
    d.appendChild(el('span', null, 'disputed: the graph records the claim but does not assert it'));
    document.getElementById('f-layer').appendChild(d);
  }
  if (DATA.focus) {
    var f = el('div', 'swatch'); var m = el('span', 'focus-mark', '\u25ce focus'); f.appendChild(m);
    f.appendChild(el('span', null, 'the --focus node of this page'));
    document.getElementById('f-kind').appendChild(f);
  }
}
function fillSelect(id, items, key) {
  var s = document.getElementById(id);
  items.forEach(function (it) { var o = el('option', null, it[1]); o.value = it[0]; s.appendChild(o); });
  s.addEventListener('change', function () {
    if (key === 'cond') { if (s.value) { openCondition(s.value); } else { state.cond = ''; state.sel = null; placeholder(); commit(true, {relayout: true}); } }
    else { state.reg = s.value; commit(false, {relayout: true}); }
  });
}

// Choosing and selecting.
function choose(id) {
  if (!BY_ID[id]) { return; }
  if (BY_ID[id].kind === 'condition' && !big) { openCondition(id); } else { select(id); }
}
function openCondition(id) {
  state.cond = id; state.sel = {n: id}; showNode(id); commit(true, {relayout: true});
}
function select(id) {
  if (!BY_ID[id]) { return; }
  if (DETAIL[BY_ID[id].kind] && !state.details) { state.details = true; }  // hidden until now: the whole graph shows it
  if (BY_ID[id].hidden) { state.cond = ''; state.reg = ''; state.view = 'all'; state.off = {kind: {}, layer: {}, level: {}, direction: {}}; syncControls(); }
  state.sel = {n: id}; showNode(id); commit(true, {relayout: true});
}
function selectEdge(id) {
  var e = EDGE_BY_ID[id]; if (!e) { return; }
  if ((DETAIL[BY_ID[e.from].kind] || DETAIL[BY_ID[e.to].kind]) && !state.details) { state.details = true; }
  if (e.hidden) { state.cond = ''; state.reg = ''; state.view = 'all'; state.off = {kind: {}, layer: {}, level: {}, direction: {}}; syncControls(); }
  state.sel = {e: id}; showEdge(id); commit(true, {relayout: true});
}
function closeCard() {
  state.sel = state.cond ? {n: state.cond} : null;
  if (state.cond) { showNode(state.cond); } else { placeholder(); }
  commit(true);
}
function setView(v) {
  state.view = v; state.cond = ''; state.sel = null; placeholder(); syncControls(); commit(true, {relayout: true});
}

// The URL fragment: view, condition, regimen, what is switched off, the selection, dimming and physics.
function encodeState() {
  var parts = [['v', state.view]];
  if (state.cond) { parts.push(['c', state.cond]); }
  if (state.reg) { parts.push(['r', state.reg]); }
  ['kind', 'layer', 'level', 'direction'].forEach(function (k) {
    var off = Object.keys(state.off[k]).sort(); if (off.length) { parts.push(['x' + k[0] + (k === 'level' ? 'v' : ''), off.join(',')]); }
  });
  if (state.sel && state.sel.n) { parts.push(['n', state.sel.n]); }
  if (state.sel && state.sel.e) { parts.push(['e', state.sel.e]); }
  if (state.details !== DEFAULT_DETAILS) { parts.push(['sd', state.details ? '1' : '0']); }
  if (!state.dim) { parts.push(['dim', '0']); }
  if (state.physics) { parts.push(['physics', '1']); }
  return '#' + parts.map(function (p) { return p[0] + '=' + encodeURIComponent(p[1]); }).join('&');
}
function decodeState(hash) {
  var s = {view: DEFAULT_VIEW, cond: '', reg: '', off: {kind: {}, layer: {}, level: {}, direction: {}}, sel: null,
    dim: true, physics: false, details: DEFAULT_DETAILS};
  var keys = {xk: 'kind', xl: 'layer', xlv: 'level', xd: 'direction'};
  (hash || '').replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('='); if (i < 0) { return; }
    var k = kv.slice(0, i), v;
    try { v = decodeURIComponent(kv.slice(i + 1)); } catch (err) { return; }
    if (k === 'v' && (v === 'overview' || v === 'all')) { s.view = v; }
    else if (k === 'c' && BY_ID[v] && BY_ID[v].kind === 'condition') { s.cond = v; }
    else if (k === 'r' && BY_ID[v]) { s.reg = v; }
    else if (keys[k]) { v.split(',').forEach(function (x) { if (x) { s.off[keys[k]][x] = 1; } }); }
    else if (k === 'n' && BY_ID[v]) { s.sel = {n: v}; }
    else if (k === 'e' && EDGE_BY_ID[v]) { s.sel = {e: v}; }
    else if (k === 'dim') { s.dim = v !== '0'; }
    else if (k === 'sd') { s.details = v === '1'; }
    else if (k === 'physics') { s.physics = v === '1'; }
  });
  return s;
}
function syncControls() {
  document.querySelectorAll('#side input[type=checkbox][name]').forEach(function (b) {
    b.checked = !(state.off[b.name] && state.off[b.name][b.value]);
  });
  document.getElementById('f-condition').value = state.cond;
  document.getElementById('f-regimen').value = state.reg;
  document.getElementById('dim').checked = state.dim;
  document.getElementById('details').checked = state.details;
  document.querySelectorAll('#f-kind input[name=kind]').forEach(function (b) {
    if (DETAIL[b.value]) { b.disabled = !state.details; b.parentNode.classList.toggle('off', !state.details); }
  });
  document.getElementById('physics').checked = state.physics;
}
var applying = false;
// Apply the state to the drawing and write it to the URL (a new history entry when push is true).
function commit(push, opts) {
  if (!applying) { syncControls(); }
  applyView(opts);
  var h = encodeState();
  if (h !== location.hash && !applying) {
    try { if (push) { history.pushState(null, '', h); } else { history.replaceState(null, '', h); } } catch (err) { /* file:// in some browsers */ }
  }
}
function restore(hash) {
  applying = true;
  var s = decodeState(hash);
  var physicsWas = state.physics;
  state.view = s.view; state.cond = s.cond; state.reg = s.reg; state.off = s.off; state.sel = s.sel; state.dim = s.dim;
  state.details = s.details || !!(s.sel && s.sel.n && DETAIL[BY_ID[s.sel.n].kind]);
  state.physics = s.physics;
  syncControls();
  if (physicsWas !== state.physics) { network.setOptions({physics: {enabled: state.physics}}); }
  if (state.sel && state.sel.e) { showEdge(state.sel.e); }
  else if (state.sel && state.sel.n) { showNode(state.sel.n); }
  else if (state.cond) { showNode(state.cond); }
  else { placeholder(); }
  applyView({relayout: true, restyle: true});
  applying = false;
}
window.addEventListener('popstate', function () { restore(location.hash); });
window.addEventListener('hashchange', function () { if (location.hash !== encodeState()) { restore(location.hash); } });

// Exports: the visible subgraph and the open card, as CSV or JSON, downloaded from a Blob.
function csvCell(v) {
  var s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  // a spreadsheet must not read a cell as a formula
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function csv(rows) { return rows.map(function (r) { return r.map(csvCell).join(','); }).join('\r\n') + '\r\n'; }
function claimRecord(c) {
  var f = c.fields || {};
  return {id: c.id, level: c.level, direction: c.direction, layer: c.layer, status: c.status, study: c.study || null,
    study_label: c.study_label || null, regimen: c.regimen || null, source: c.source, source_label: c.source_label,
    n: f.n || null, result: f.effect || null, value: f.value || null, population: f.population || null, quote: c.quote};
}
function edgeRecord(e) {
  return {id: e.id, from: e.from, predicate: e.pred, to: e.to, layer: e.layer, best_level: e.level, direction: e.dir,
    disputed: !!e.disputed, claims: e.claims.map(function (ci) { return claimRecord(DATA.claims[ci]); })};
}
function visibleGraph() {
  return {title: DATA.title, state: encodeState(),
    nodes: NODES.filter(function (n) { return !n.hidden; }).map(function (n) { return {id: n.id, label: n.label, kind: n.kind}; }),
    edges: EDGES.filter(function (e) { return !e.hidden; }).map(edgeRecord)};
}
function openCard() {
  if (card.dataset.edge) { return {edge: edgeRecord(EDGE_BY_ID[card.dataset.edge])}; }
  var id = card.dataset.node; if (!id) { return null; }
  var n = BY_ID[id], cd = DATA.cards[id] || {};
  var claims = n.kind === 'condition' ? conditionClaims(id).map(function (r) { return r[1]; }) :
    (claimsByStudy[id] || []).map(function (r) { return r[1]; }).concat(cd.v || []);
  var out = {node: {id: id, label: n.label, kind: n.kind, fields: cd.f || [], synonyms: cd.s || [],
    records: (cd.l || []).map(function (l) { return {label: l[0], id: l[1], url: safeUrl(l[2])}; })},
    claims: claims.map(claimRecord)};
  if (n.kind === 'condition') {
    out.verdict = cd.verdict || null;
    out.studies = studiesOf(id, conditionClaims(id));
    out.mechanism_paths = mechanismPaths(id).map(function (p) { return p.nodes; });
  }
  return out;
}
function exportText(what, fmt) {
  if (what === 'graph') {
    var g = visibleGraph();
    if (fmt === 'json') { return JSON.stringify(g, null, 1); }
    var rows = [['record', 'id', 'label', 'kind', 'from', 'predicate', 'to', 'layer', 'best_level', 'direction', 'claims']];
    g.nodes.forEach(function (n) { rows.push(['node', n.id, n.label, n.kind, '', '', '', '', '', '', '']); });
    g.edges.forEach(function (e) {
      rows.push(['edge', e.id, '', '', e.from, e.predicate, e.to, e.layer, e.best_level || '', e.direction || '', e.claims.length]);
    });
    return csv(rows);
  }
  var c = openCard(); if (!c) { return null; }
  if (fmt === 'json') { return JSON.stringify(c, null, 1); }
  var claims = c.edge ? c.edge.claims : c.claims;
  var head = ['claim', 'study', 'study_label', 'level', 'direction', 'n', 'result', 'value', 'source', 'source_label', 'quote'];
  return csv([head].concat(claims.map(function (x) {
    return [x.id, x.study, x.study_label, x.level, x.direction, x.n, x.result, x.value, x.source, x.source_label, x.quote];
  })));
}
function download(what, fmt) {
  var text = exportText(what, fmt);
  if (text === null) { flash('Open a card first.'); return; }
  var blob = new Blob([text], {type: fmt === 'json' ? 'application/json' : 'text/csv'});
  var a = el('a'); a.href = URL.createObjectURL(blob);
  a.download = 'ldngraph-' + (what === 'graph' ? 'visible-graph' : 'card-' + (card.dataset.node || card.dataset.edge)).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) + '.' + fmt;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
}
function flash(text) { var n = document.getElementById('counts'); n.textContent = text; setTimeout(updateCounts, 2500); }

// Search box: results are buttons (Tab through them, Enter opens); Enter in the box opens the best match.
var search = document.getElementById('search'), results = document.getElementById('results');
function runSearch() {
  while (results.firstChild) { results.removeChild(results.firstChild); }
  var hits = searchRank(search.value);
  if (search.value.trim() && !hits.length) { results.appendChild(el('div', 'muted', 'no match')); }
  hits.forEach(function (id) {
    var b = jump(id, BY_ID[id].label + ' (' + (KIND_LABELS[BY_ID[id].kind] || '') + ')');
    b.setAttribute('role', 'option'); b.dataset.id = id;
    b.addEventListener('click', function () { clearResults(); });
    b.addEventListener('keydown', function (ev) {
      var sib = ev.key === 'ArrowDown' ? b.nextElementSibling : ev.key === 'ArrowUp' ? b.previousElementSibling : null;
      if (sib) { ev.preventDefault(); sib.focus(); } else if (ev.key === 'ArrowUp') { ev.preventDefault(); search.focus(); }
    });
    results.appendChild(b);
  });
  results.className = results.firstChild ? 'open' : '';
  return hits;
}
function clearResults() { while (results.firstChild) { results.removeChild(results.firstChild); } results.className = ''; }
var timer = null;
search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(runSearch, 100); });
search.addEventListener('keydown', function (ev) {
  if (ev.key === 'Enter') { clearTimeout(timer); var hits = runSearch(); if (hits.length) { clearResults(); choose(hits[0]); } }
  else if (ev.key === 'ArrowDown' && results.querySelector('button')) { ev.preventDefault(); results.querySelector('button').focus(); }
});
document.addEventListener('keydown', function (ev) {
  if (ev.key !== 'Escape') { return; }
  hideTip();
  if (results.firstChild) { clearResults(); search.focus(); return; }
  if (card.dataset.node || card.dataset.edge) { closeCard(); }
});

// Buttons and toggles: each can be undone (physics off puts the layout back).
document.getElementById('fit').addEventListener('click', function () { fitView(null); });
document.getElementById('reset').addEventListener('click', function () {
  state.off = {kind: {}, layer: {}, level: {}, direction: {}}; state.reg = ''; syncControls(); commit(true, {relayout: true});
});
document.querySelectorAll('[data-view-button]').forEach(function (b) {
  b.addEventListener('click', function () { setView(b.dataset.viewButton === 'condition' ? 'overview' : b.dataset.viewButton); });
});
document.getElementById('dim').addEventListener('change', function (ev) { state.dim = ev.target.checked; commit(false, {fit: false}); });
document.getElementById('details').addEventListener('change', function (ev) {
  state.details = ev.target.checked;
  if (!state.details && state.sel && state.sel.n && DETAIL[BY_ID[state.sel.n].kind]) { state.sel = null; placeholder(); }
  commit(true, {relayout: true});
});
document.getElementById('physics').addEventListener('change', function (ev) {
  state.physics = ev.target.checked;
  network.setOptions({physics: {enabled: state.physics}});
  commit(false, {relayout: !state.physics, fit: !state.physics});
  if (!state.physics && big) { nodes.update(NODES.map(function (n) { return {id: n.id, x: n.x, y: n.y}; })); }
});
document.getElementById('toggle-side').addEventListener('click', function () {
  var open = document.body.classList.toggle('side-open');
  this.setAttribute('aria-expanded', open ? 'true' : 'false');
  network.setSize('100%', '100%'); applyView({relayout: true});
});
document.querySelectorAll('[data-export]').forEach(function (b) {
  b.addEventListener('click', function () { var p = b.dataset.export.split(':'); download(p[0], p[1]); });
});
network.on('click', function (p) {
  if (p.nodes.length) { choose(p.nodes[0]); }
  else if (p.edges.length) { selectEdge(p.edges[0]); }
});

// Notes (subset, focus, query), the legend, and the first state: from the URL, else the default view.
var notes = document.getElementById('notes');
if (DATA.notes.length) {
  DATA.notes.forEach(function (t) { notes.appendChild(el('div', null, t)); });
  notes.className = 'on'; document.body.classList.add('has-notes');
}
buildLegend();
fillSelect('f-regimen', DATA.regimens, 'reg');
fillSelect('f-condition', DATA.conditions, 'cond');
if (window.innerWidth >= 1500) { document.body.classList.add('side-open'); document.getElementById('toggle-side').setAttribute('aria-expanded', 'true'); }
api.state = state; api.select = select; api.choose = choose; api.openCondition = openCondition; api.selectEdge = selectEdge;
api.showNode = showNode; api.showEdge = showEdge; api.closeCard = closeCard; api.setView = setView;
api.applyFilters = function () { applyView({relayout: true}); }; api.fitView = fitView; api.exportText = exportText;
api.visibleIds = function () { return NODES.filter(function (n) { return !n.hidden; }).map(function (n) { return n.id; }); };
api.mechanismPaths = function (c) { return mechanismPaths(c).map(function (p) { return p.nodes; }); };
network.once('afterDrawing', function () {
  api.ready = true; api.readyMs = performance.now() - t0;
  document.getElementById('loading').className = 'done';
});
document.getElementById('loading').textContent = 'Drawing ' + NODES.length.toLocaleString() + ' nodes and ' +
  EDGES.length.toLocaleString() + ' edges\u2026';
if (location.hash.length > 1) { restore(location.hash); }
else {
  syncControls();
  if (DATA.focus) { showNode(DATA.focus); } else { placeholder(); }
  if (big && !DATA.focus) {  // all shown as laid out (a study's details only when asked)
    if (hasDetails) { syncControls(); applyView({fit: false}); } else { updateCounts(); }
    network.fit({animation: false});
  }
  else { applyView({relayout: true}); }
}
var resizeTimer = null;
window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(function () { applyView({relayout: true}); }, 150); });
