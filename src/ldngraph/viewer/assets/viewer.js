(function () {
'use strict';
var t0 = performance.now();
var DATA = JSON.parse(document.getElementById('ldn-data').textContent);
var KIND = {
  drug: {color: '#d1495b', shape: 'diamond', sym: '\u25c6', size: 18},
  dose_regimen: {color: '#edae49', shape: 'hexagon', sym: '\u2b22', size: 16},
  protein: {color: '#00798c', shape: 'triangle', sym: '\u25b2', size: 14},
  cell_type: {color: '#30638e', shape: 'dot', sym: '\u25cf', size: 13},
  molecule: {color: '#66a182', shape: 'triangleDown', sym: '\u25bc', size: 12},
  process: {color: '#8e6c8a', shape: 'square', sym: '\u25a0', size: 12},
  condition: {color: '#e07a5f', shape: 'star', sym: '\u2605', size: 17},
  study: {color: '#3d405b', shape: 'dot', sym: '\u25cf', size: 8},
  organisation: {color: '#9a8c98', shape: 'square', sym: '\u25a0', size: 8},
  source: {color: '#b08968', shape: 'triangle', sym: '\u25b2', size: 8},
  adverse_effect: {color: '#c1121f', shape: 'triangleDown', sym: '\u25bc', size: 11},
  caution: {color: '#f77f00', shape: 'triangleDown', sym: '\u25bc', size: 11},
  biomarker: {color: '#2a9d8f', shape: 'diamond', sym: '\u25c6', size: 10},
  other: {color: '#8d99ae', shape: 'dot', sym: '\u25cf', size: 7}
};
var DIR = {supports: '#1a9850', no_effect: '#7f7f7f', mixed: '#e08a00', contradicts: '#d62728'};
var DIR_LABEL = {supports: 'supports', no_effect: 'no effect (null)', mixed: 'mixed / contested',
  contradicts: 'contradicts'};
// Width and dashes by rank on the evidence ladder (1 = RCT ... 8+ = anecdote, author statement).
var RANK_WIDTH = [7, 7, 5.5, 4, 3, 2.5, 2, 1.5, 1.5, 1.2];
var RANK_DASH = [false, false, false, [12, 5], [12, 5], [5, 5], [5, 5], [2, 6], [2, 6], [2, 6]];
var LEVEL_LABEL = {}, LEVEL_WIDTH = {}, LEVEL_DASH = {};
DATA.levels.forEach(function (l) {
  var r = Math.min(l[2], RANK_WIDTH.length - 1);
  LEVEL_LABEL[l[0]] = l[1]; LEVEL_WIDTH[l[0]] = RANK_WIDTH[r]; LEVEL_DASH[l[0]] = RANK_DASH[r];
});
var LAYERS = ['clinical', 'preclinical', 'hypothesis', 'mechanistic', 'safety', 'context', 'external'];
var EVIDENCE_LAYERS = {clinical: 1, preclinical: 1, hypothesis: 1};
var PRED = {antagonist_of: '#00798c', agonist_of: '#2a9d8f', expressed_in: '#30638e', mediates: '#6a4c93',
  contributes_to: '#8e6c8a', modulates: '#1982c4', decreases: '#4361ee', increases: '#f72585', produces: '#66a182',
  regimen_of: '#edae49', tests: '#9fa8b3', investigates: '#c7ccd3', conducted_by: '#c9bfc7', reported_in: '#d8c3a5',
  subclass_of: '#adb5bd', has_adverse_effect: '#c1121f', has_caution: '#f77f00', interacts_with: '#ef476f',
  combined_with: '#8338ec', indicated_for: '#118ab2', predicts_response: '#2a9d8f'};
var CONTEXT_PREDS = {tests: 1, investigates: 1, conducted_by: 1, reported_in: 1, regimen_of: 1, subclass_of: 1};
function predColor(p) {
  if (PRED[p]) { return PRED[p]; }
  var h = 0; for (var i = 0; i < p.length; i++) { h = (h * 31 + p.charCodeAt(i)) % 360; }
  return 'hsl(' + h + ',45%,48%)';
}

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}
function safeUrl(u) { return typeof u === 'string' && /^https?:\/\/[^\s"<>]+$/.test(u) ? u : null; }
function linkOrText(url, text) {
  var u = safeUrl(url);
  if (!u) { return el('span', null, text); }
  var a = el('a', null, text); a.href = u; a.target = '_blank'; a.rel = 'noopener noreferrer';
  return a;
}

var NODES = DATA.nodes.map(function (n) { return {id: n[0], label: n[1], kind: n[2], x: n[3], y: n[4], ev: n[5]}; });
var BY_ID = {};
NODES.forEach(function (n) { BY_ID[n.id] = n; });
var EDGES = DATA.edges.map(function (e) {
  return {id: e[0], from: e[1], to: e[2], pred: e[3], layer: e[4], level: e[5], dir: e[6], disputed: e[7],
    claims: e[8], basis: e[9]};
});
var EDGE_BY_ID = {};
EDGES.forEach(function (e) { EDGE_BY_ID[e.id] = e; });
var big = NODES.length > 1500 || EDGES.length > 4000;

// Studies' links to regimens and conditions, and claims citing each study.
var studyLinks = {}, claimsByStudy = {}, edgesOf = {};
function addLink(s, x) { (studyLinks[s] = studyLinks[s] || {})[x] = 1; }
EDGES.forEach(function (e) {
  (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
  (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
  if (BY_ID[e.from] && BY_ID[e.from].kind === 'study') { addLink(e.from, e.to); }
  e.claims.forEach(function (ci) {
    var c = DATA.claims[ci];
    if (c.study) {
      addLink(c.study, e.from); addLink(c.study, e.to); if (c.regimen) { addLink(c.study, c.regimen); }
      (claimsByStudy[c.study] = claimsByStudy[c.study] || []).push([e, c]);
    }
  });
});

function nodeVis(n) {
  var k = KIND[n.kind] || KIND.other;
  var size = (k.size + Math.min(10, Math.sqrt(n.ev || 0) * 2)) * (NODES.length > DATA.small_limit ? 1 : 1.4);
  var label = n.label.length > DATA.label_chars ? n.label.slice(0, DATA.label_chars - 1) + '\u2026' : n.label;
  return {id: n.id, label: label, x: n.x, y: n.y, group: n.kind, size: size, kind: n.kind, hidden: false};
}
function edgeVis(e) {
  var v = {id: e.id, from: e.from, to: e.to, hidden: false, arrows: {to: {enabled: true, scaleFactor: 0.45}}};
  if (e.claims.length && EVIDENCE_LAYERS[e.layer]) {
    var c = e.disputed ? '#d62728' : (DIR[e.dir] || '#555');
    v.color = {color: c, highlight: c, hover: c, opacity: e.disputed ? 0.6 : 0.9};
    v.width = e.disputed ? 1.5 : (LEVEL_WIDTH[e.level] || 1.5);
    v.dashes = e.disputed ? [1, 5] : (LEVEL_DASH[e.level] || false);
    if (!big) { v.smooth = {enabled: true, type: 'curvedCW', roundness: 0.18}; }
  } else {
    var pc = predColor(e.pred);
    var ctx = CONTEXT_PREDS[e.pred] || e.layer === 'context';
    v.color = {color: pc, highlight: pc, hover: pc, opacity: ctx ? 0.45 : 0.9};
    v.width = ctx ? 1 : 2.2;
    if (e.disputed) { v.dashes = [1, 5]; v.color = {color: '#d62728', opacity: 0.6}; }
    if (!big) { v.smooth = false; }
  }
  return v;
}

var groups = {};
Object.keys(KIND).forEach(function (k) {
  groups[k] = {shape: KIND[k].shape, color: {background: KIND[k].color, border: '#ffffff',
    highlight: {background: KIND[k].color, border: '#111'}, hover: {background: KIND[k].color, border: '#111'}}};
});
var nodes = new vis.DataSet(NODES.map(nodeVis));
var edges = new vis.DataSet(EDGES.map(edgeVis));
var container = document.getElementById('net');
var options = {
  autoResize: true,
  physics: {enabled: false, stabilization: false, barnesHut: {gravitationalConstant: -4000, springLength: 140,
    avoidOverlap: 0.2}},
  layout: {improvedLayout: false, randomSeed: 7},
  interaction: {hover: !big, tooltipDelay: 60, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false,
    keyboard: false},
  nodes: {borderWidth: 1.5, font: {size: NODES.length > DATA.small_limit ? 14 : 18, face: 'system-ui, sans-serif',
    strokeWidth: 4, strokeColor: '#ffffff'},
    scaling: {label: {drawThreshold: NODES.length > DATA.small_limit ? 6 : 4.5}}},
  edges: {smooth: big ? false : {enabled: false}, selectionWidth: 2, hoverWidth: 1.5,
    font: {size: 11, align: 'middle', strokeWidth: 3, strokeColor: '#ffffff'}},
  groups: groups
};
var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

// Lane titles above the lanes.
network.on('beforeDrawing', function (ctx) {
  ctx.save(); ctx.font = 'bold ' + (NODES.length > DATA.small_limit ? 18 : 26) + 'px system-ui, sans-serif';
  ctx.fillStyle = '#8a94a3'; ctx.textAlign = 'center';
  DATA.lanes.forEach(function (l) { ctx.fillText(String(l[0]), l[1], l[2]); });
  ctx.restore();
});

var api = window.ldnViz = {ready: false, network: network, nodes: nodes, edges: edges, data: DATA,
  counts: function () {
    return {nodes: nodes.length, edges: edges.length,
      visibleNodes: nodes.get({filter: function (n) { return !n.hidden; }}).length,
      visibleEdges: edges.get({filter: function (e) { return !e.hidden; }}).length,
      graphNodes: DATA.nodes.length, graphEdges: DATA.edges.length};
  }};
network.once('afterDrawing', function () {
  api.ready = true; api.readyMs = performance.now() - t0;
  document.getElementById('loading').className = 'done';
});
document.getElementById('loading').textContent = 'Drawing ' + NODES.length.toLocaleString() + ' nodes and ' +
  EDGES.length.toLocaleString() + ' edges\u2026';

// Notes: subset, focus, query.
var notes = document.getElementById('notes');
if (DATA.notes.length) {
  DATA.notes.forEach(function (t) { notes.appendChild(el('div', null, t)); });
  notes.className = 'on'; document.body.className = 'has-notes';
}

// Tooltip and hover labels.
var tip = document.getElementById('tip');
function showTip(text, ev) {
  tip.textContent = text; tip.style.display = 'block';
  var p = ev && ev.event && ev.event.center ? ev.event.center : (ev && ev.pointer ? ev.pointer.DOM : {x: 0, y: 0});
  var r = container.getBoundingClientRect();
  tip.style.left = (ev.pointer ? r.left + ev.pointer.DOM.x + 12 : p.x + 12) + 'px';
  tip.style.top = (ev.pointer ? r.top + ev.pointer.DOM.y + 12 : p.y + 12) + 'px';
}
function edgeSummary(e) {
  var s = (BY_ID[e.from] ? BY_ID[e.from].label : e.from) + ' \u2014 ' + e.pred.replace(/_/g, ' ') + ' \u2192 ' +
    (BY_ID[e.to] ? BY_ID[e.to].label : e.to);
  if (e.claims.length) {
    s += '  [' + e.claims.length + ' claim' + (e.claims.length > 1 ? 's' : '') + '; best: ' +
      (LEVEL_LABEL[e.level] || e.level) + '; ' + (DIR_LABEL[e.dir] || e.dir) + (e.disputed ? '; disputed' : '') + ']';
  }
  return s + '  (' + e.layer + ')';
}
network.on('hoverEdge', function (p) {
  var e = EDGE_BY_ID[p.edge]; if (!e) { return; }
  edges.update({id: e.id, label: e.pred.replace(/_/g, ' ')});
  showTip(edgeSummary(e), p);
});
network.on('blurEdge', function (p) { edges.update({id: p.edge, label: undefined}); tip.style.display = 'none'; });
network.on('hoverNode', function (p) {
  var n = BY_ID[p.node]; if (!n) { return; }
  showTip(n.label + '  (' + ((KIND_LABELS[n.kind]) || n.kind) + ')', p);
});
network.on('blurNode', function () { tip.style.display = 'none'; });
var KIND_LABELS = {};
DATA.kinds.forEach(function (k) { KIND_LABELS[k[0]] = k[1]; });

// Filters.
function checkboxes(fieldsetId, items, name) {
  var fs = document.getElementById(fieldsetId);
  items.forEach(function (it) {
    var row = el('label', 'row'); var box = el('input'); box.type = 'checkbox'; box.checked = true;
    box.value = it.value; box.name = name; box.addEventListener('change', applyFilters);
    row.appendChild(box);
    if (it.sym) { var s = el('span', 'sym', it.sym); s.style.color = it.color; row.appendChild(s); }
    else if (it.color) { var sw = el('span', 'line'); sw.style.borderTop = it.line; row.appendChild(sw); }
    row.appendChild(el('span', null, it.label));
    if (it.n !== undefined) { row.appendChild(el('span', 'n', it.n)); }
    fs.appendChild(row);
  });
}
checkboxes('f-kind', DATA.kinds.map(function (k) {
  var st = KIND[k[0]] || KIND.other; return {value: k[0], label: k[1], n: k[2], sym: st.sym, color: st.color};
}), 'kind');
var layerCount = {};
EDGES.forEach(function (e) { layerCount[e.layer] = (layerCount[e.layer] || 0) + 1; });
checkboxes('f-layer', LAYERS.filter(function (l) { return layerCount[l]; }).map(function (l) {
  return {value: l, label: l + (EVIDENCE_LAYERS[l] ? ' evidence' : ''), n: layerCount[l]};
}), 'layer');
var levelCount = {}, dirCount = {};
DATA.claims.forEach(function (c) {
  levelCount[c.level] = (levelCount[c.level] || 0) + 1; dirCount[c.direction] = (dirCount[c.direction] || 0) + 1;
});
checkboxes('f-level', DATA.levels.map(function (l) {
  return {value: l[0], label: l[1], n: levelCount[l[0]] || 0, color: '#333',
    line: (LEVEL_WIDTH[l[0]] || 1) + 'px ' +
      (LEVEL_DASH[l[0]] ? (LEVEL_WIDTH[l[0]] > 2.5 ? 'dashed' : 'dotted') : 'solid') + ' #333'};
}), 'level');
checkboxes('f-direction', Object.keys(DIR).filter(function (d) { return dirCount[d]; }).map(function (d) {
  return {value: d, label: DIR_LABEL[d], n: dirCount[d], color: DIR[d], line: '4px solid ' + DIR[d]};
}), 'direction');
function fillSelect(id, items) {
  var s = document.getElementById(id);
  items.forEach(function (it) { var o = el('option', null, it[1]); o.value = it[0]; s.appendChild(o); });
  s.addEventListener('change', applyFilters);
}
fillSelect('f-regimen', DATA.regimens);
fillSelect('f-condition', DATA.conditions);

// Edge legend.
(function () {
  var box = document.getElementById('edge-legend');
  function sw(label, border) {
    var row = el('div', 'swatch'); var l = el('span', 'line'); l.style.borderTop = border;
    row.appendChild(l); row.appendChild(el('span', null, label)); box.appendChild(row);
  }
  box.appendChild(el('div', 'muted',
    'Evidence edges: colour = direction, width and dashes = best evidence level (curved).'));
  Object.keys(DIR).forEach(function (d) { sw(DIR_LABEL[d], '4px solid ' + DIR[d]); });
  sw('disputed by the graph', '2px dotted #d62728');
  sw('RCT (thick, solid)', '7px solid #555'); sw('controlled', '5px solid #555');
  sw('open-label / case report (dashed)', '3px dashed #555'); sw('animal / in vitro', '2px dashed #555');
  sw('hypothesis / anecdote (dotted)', '2px dotted #555');
  box.appendChild(el('div', 'muted', 'Mechanistic and context edges: colour = predicate (straight).'));
  var preds = {};
  EDGES.forEach(function (e) { if (!(e.claims.length && EVIDENCE_LAYERS[e.layer])) { preds[e.pred] = 1; } });
  Object.keys(preds).sort().forEach(function (p) {
    sw(p.replace(/_/g, ' '), (CONTEXT_PREDS[p] ? '1px' : '3px') + ' solid ' + predColor(p));
  });
})();

function checkedSet(name) {
  var out = {};
  document.querySelectorAll('input[name="' + name + '"]').forEach(function (b) {
    if (b.checked) { out[b.value] = 1; }
  });
  return out;
}
function applyFilters() {
  var kinds = checkedSet('kind'), layers = checkedSet('layer'), levels = checkedSet('level'),
    dirs = checkedSet('direction');
  var reg = document.getElementById('f-regimen').value, cond = document.getElementById('f-condition').value;
  var hidden = {}, nodeUpd = [], edgeUpd = [];
  NODES.forEach(function (n) {
    var h = !kinds[n.kind];
    if (!h && cond && n.kind === 'condition' && n.id !== cond) { h = true; }
    if (!h && reg && n.kind === 'dose_regimen' && n.id !== reg) { h = true; }
    if (!h && n.kind === 'study' && (cond || reg)) {
      var ln = studyLinks[n.id] || {};
      if ((cond && !ln[cond]) || (reg && !ln[reg])) { h = true; }
    }
    hidden[n.id] = h;
    if (!!n.hidden !== h) { n.hidden = h; nodeUpd.push({id: n.id, hidden: h}); }
  });
  EDGES.forEach(function (e) {
    var h = hidden[e.from] || hidden[e.to] || !layers[e.layer];
    if (!h && e.claims.length) {
      var fromRegimen = BY_ID[e.from] && BY_ID[e.from].kind === 'dose_regimen' ? e.from : null;
      h = !e.claims.some(function (ci) {
        var c = DATA.claims[ci]; var r = c.regimen || fromRegimen;
        return levels[c.level] && dirs[c.direction] && (!reg || !r || r === reg);
      });
    }
    if (!!e.hidden !== h) { e.hidden = h; edgeUpd.push({id: e.id, hidden: h}); }
  });
  if (nodeUpd.length) { nodes.update(nodeUpd); }
  if (edgeUpd.length) { edges.update(edgeUpd); }
  updateCounts();
}
function updateCounts() {
  var c = api.counts();
  var t = 'showing ' + c.visibleNodes.toLocaleString() + ' of ' + c.nodes.toLocaleString() + ' nodes, ' +
    c.visibleEdges.toLocaleString() + ' of ' + c.edges.toLocaleString() + ' edges';
  if (DATA.subset) { t += ' (graph: ' + DATA.total[0].toLocaleString() + ' nodes)'; }
  document.getElementById('counts').textContent = t;
}
api.applyFilters = applyFilters;
document.getElementById('reset').addEventListener('click', function () {
  document.querySelectorAll('#side input[type=checkbox]:not(#physics)').forEach(function (b) { b.checked = true; });
  document.getElementById('f-regimen').value = ''; document.getElementById('f-condition').value = '';
  applyFilters();
});
document.getElementById('fit').addEventListener('click', function () { network.fit({animation: false}); });
document.getElementById('physics').addEventListener('change', function (ev) {
  network.setOptions({physics: {enabled: ev.target.checked}});
});

// Cards.
var card = document.getElementById('card');
function kindChip(kind) {
  var c = el('span', 'kind', KIND_LABELS[kind] || kind); c.style.background = (KIND[kind] || KIND.other).color;
  return c;
}
function jump(id, text) {
  var b = el('button', 'link', text || (BY_ID[id] ? BY_ID[id].label : id));
  b.type = 'button';
  b.addEventListener('click', function () { select(id); });
  if (!BY_ID[id]) { b.disabled = true; }
  return b;
}
function jumpEdge(e, text) {
  var b = el('button', 'link', text); b.type = 'button';
  b.addEventListener('click', function () { network.selectEdges([e.id]); showEdge(e.id); });
  return b;
}
function dl(pairs) {
  var d = el('dl');
  pairs.forEach(function (p) {
    if (p[1] === null || p[1] === undefined || p[1] === '') { return; }
    d.appendChild(el('dt', null, p[0]));
    var dd = el('dd'); if (p[1] instanceof Node) { dd.appendChild(p[1]); } else { dd.textContent = String(p[1]); }
    d.appendChild(dd);
  });
  return d;
}
function chip(text, color) { var c = el('span', 'chip', text); c.style.background = color; return c; }
function claimBox(c, edge) {
  var box = el('div', 'claim');
  var head = el('div');
  head.appendChild(chip(LEVEL_LABEL[c.level] || c.level.replace(/_/g, ' '), '#3d405b'));
  head.appendChild(chip(DIR_LABEL[c.direction] || c.direction, DIR[c.direction] || '#555'));
  head.appendChild(chip(c.layer, '#8d99ae'));
  if (c.status === 'disputed') { head.appendChild(chip('disputed', '#d62728')); }
  box.appendChild(head);
  if (edge) { box.appendChild(jumpEdge(edge, edgeSummary(edge).split('  [')[0])); }
  var f = c.fields || {};
  box.appendChild(dl([
    ['study', c.study ? jump(c.study, c.study_label || c.study) : null],
    ['regimen', c.regimen ? jump(c.regimen, c.regimen_label || c.regimen) : null],
    ['population', f.population], ['n', f.n], ['effect', f.effect], ['value', f.value],
    ['discrepancy', c.discrepancy], ['primary record says', f.primary_says], ['note', f.note]
  ]));
  if (c.quote) { box.appendChild(el('blockquote', null, '\u201c' + c.quote + '\u201d')); }
  var src = el('div', 'muted'); src.appendChild(document.createTextNode('source article: '));
  src.appendChild(jump(c.source, c.source_label || c.source)); box.appendChild(src);
  box.appendChild(el('div', 'muted', 'claim ' + c.id));
  return box;
}
function clearCard() { while (card.firstChild) { card.removeChild(card.firstChild); } }
function showNode(id) {
  var n = BY_ID[id]; if (!n) { return; }
  var cd = DATA.cards[id] || {};
  clearCard();
  card.dataset.node = id; delete card.dataset.edge;
  card.appendChild(kindChip(n.kind));
  card.appendChild(el('h2', null, n.label));
  card.appendChild(el('div', 'muted', 'id: ' + id));
  if (cd.d) { card.appendChild(el('p', null, cd.d)); }
  if (cd.s) { card.appendChild(dl([['also called', cd.s.join('; ')]])); }
  if (cd.f) { card.appendChild(dl(cd.f)); }
  var mine = edgesOf[id] || [];
  if (n.kind === 'study') {
    var rel = {};
    mine.forEach(function (e) { if (e.from === id) { (rel[e.pred] = rel[e.pred] || []).push(e.to); } });
    var rows = [['dose', 'tests'], ['conditions', 'investigates'], ['run by', 'conducted_by'],
      ['reported in', 'reported_in']].map(function (p) {
      if (!rel[p[1]]) { return [p[0], null]; }
      var span = el('span');
      rel[p[1]].forEach(function (t, i) {
        if (i) { span.appendChild(document.createTextNode('; ')); }
        span.appendChild(jump(t));
      });
      return [p[0], span];
    });
    card.appendChild(dl(rows));
  }
  if (cd.l) {
    card.appendChild(el('div', 'h', 'Identifiers'));
    var ul = el('ul');
    cd.l.forEach(function (l) {
      var li = el('li'); li.appendChild(el('span', 'muted', l[0] + ': ')); li.appendChild(linkOrText(l[2], l[1]));
      ul.appendChild(li);
    });
    card.appendChild(ul);
  }
  if (n.kind === 'condition') { conditionSummary(id); }
  if (claimsByStudy[id]) {
    card.appendChild(el('div', 'h', 'Claims citing this study (' + claimsByStudy[id].length + ')'));
    claimsByStudy[id].forEach(function (ec) { card.appendChild(claimBox(ec[1], ec[0])); });
  }
  if (cd.v) {
    card.appendChild(el('div', 'h', 'Stated values'));
    cd.v.forEach(function (c) { card.appendChild(claimBox(c, null)); });
  }
  if (n.kind !== 'condition' && mine.length) {
    card.appendChild(el('div', 'h', 'Links (' + mine.length + ')'));
    var list = el('ul');
    mine.slice(0, 60).forEach(function (e) {
      var li = el('li'); li.appendChild(jumpEdge(e, edgeSummary(e).split('  [')[0])); list.appendChild(li);
    });
    if (mine.length > 60) { list.appendChild(el('li', 'muted', (mine.length - 60) + ' more')); }
    card.appendChild(list);
  }
}
function conditionSummary(id) {
  var rows = [];
  (edgesOf[id] || []).forEach(function (e) {
    if (e.to !== id) { return; }
    e.claims.forEach(function (ci) { rows.push([e, DATA.claims[ci]]); });
  });
  var order = {}; DATA.levels.forEach(function (l, i) { order[l[0]] = i; });
  rows.sort(function (a, b) {
    return (order[a[1].level] - order[b[1].level]) || (a[1].direction < b[1].direction ? -1 : 1);
  });
  card.appendChild(el('div', 'h', 'Evidence summary'));
  if (!rows.length) { card.appendChild(el('p', 'muted', 'No claims about this condition in the graph.')); return; }
  var studies = {};
  rows.forEach(function (r) { if (r[1].study) { studies[r[1].study] = 1; } });
  card.appendChild(el('p', null, rows.length + ' claim' + (rows.length > 1 ? 's' : '') + ' from ' +
    Object.keys(studies).length + ' stud' + (Object.keys(studies).length === 1 ? 'y' : 'ies') +
    '; best evidence: ' + (LEVEL_LABEL[rows[0][1].level] || rows[0][1].level) + '.'));
  var table = el('table', 'sum'); var tr = el('tr'); tr.appendChild(el('th', null, 'level'));
  var dirs = Object.keys(DIR); dirs.forEach(function (d) { tr.appendChild(el('th', null, DIR_LABEL[d])); });
  table.appendChild(tr);
  DATA.levels.forEach(function (l) {
    var counts = {}; var any = false;
    rows.forEach(function (r) {
      if (r[1].level === l[0]) { counts[r[1].direction] = (counts[r[1].direction] || 0) + 1; any = true; }
    });
    if (!any) { return; }
    var row = el('tr'); row.appendChild(el('td', null, l[1]));
    dirs.forEach(function (d) { row.appendChild(el('td', null, counts[d] || '')); });
    table.appendChild(row);
  });
  card.appendChild(table);
  rows.forEach(function (r) { card.appendChild(claimBox(r[1], r[0])); });
}
function showEdge(id) {
  var e = EDGE_BY_ID[id]; if (!e) { return; }
  clearCard();
  card.dataset.edge = id; delete card.dataset.node;
  card.appendChild(chip(e.layer + (EVIDENCE_LAYERS[e.layer] && e.claims.length ? ' evidence' : ''), '#536171'));
  var h = el('h2'); h.appendChild(jump(e.from)); h.appendChild(document.createTextNode(' \u2014 ' +
    e.pred.replace(/_/g, ' ') + ' \u2192 ')); h.appendChild(jump(e.to));
  card.appendChild(h);
  if (e.claims.length) {
    card.appendChild(el('p', null, e.claims.length + ' claim' + (e.claims.length > 1 ? 's' : '') + '; best evidence: ' +
      (LEVEL_LABEL[e.level] || e.level) + '; overall: ' + (DIR_LABEL[e.dir] || e.dir) +
      (e.disputed ? '. The graph does not assert this (disputed).' : '.')));
    e.claims.forEach(function (ci) { card.appendChild(claimBox(DATA.claims[ci], null)); });
  } else {
    card.appendChild(el('p', 'muted', 'A structural edge, not itself evidence.'));
  }
  if (e.basis) { card.appendChild(dl([['basis', e.basis]])); }
}
function select(id) {
  if (!BY_ID[id]) { return; }
  network.selectNodes([id]);
  network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
  showNode(id);
}
api.showNode = showNode; api.showEdge = showEdge; api.select = select;
network.on('click', function (p) {
  if (p.nodes.length) { showNode(p.nodes[0]); }
  else if (p.edges.length) { showEdge(p.edges[0]); }
});

// Search.
var search = document.getElementById('search'), results = document.getElementById('results');
var INDEX = NODES.map(function (n) {
  var cd = DATA.cards[n.id] || {};
  return [n.id, (n.label + ' ' + n.id + ' ' + (cd.s || []).join(' ')).toLowerCase()];
});
function runSearch() {
  while (results.firstChild) { results.removeChild(results.firstChild); }
  var q = search.value.trim().toLowerCase(); if (!q) { return []; }
  var hits = [];
  for (var i = 0; i < INDEX.length && hits.length < 30; i++) {
    if (INDEX[i][1].indexOf(q) >= 0) { hits.push(INDEX[i][0]); }
  }
  if (!hits.length) { results.appendChild(el('div', 'muted', 'no match')); }
  hits.forEach(function (id) {
    results.appendChild(jump(id, BY_ID[id].label + ' (' + (KIND_LABELS[BY_ID[id].kind] || '') + ')'));
  });
  return hits;
}
var timer = null;
search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
search.addEventListener('keydown', function (ev) {
  if (ev.key === 'Enter') { var hits = runSearch(); if (hits.length) { select(hits[0]); } }
});

network.fit({animation: false});
updateCounts();
})();
