// ldngraph viewer, part 1 of 3: the data, the drawing, the layout of what is visible, the filters,
// selection and dimming, and search. cards.js draws the cards and the condition panel; share.js keeps
// the state in the URL fragment, exports, and starts the page. page.py wraps the three in one function.
var t0 = performance.now();
var DATA = JSON.parse(document.getElementById('ldn-data').textContent);
// Node kinds: colour and the shape drawn on the canvas (sym is the same shape as a character, for the legend).
var KIND = {
  drug: {color: '#c0392b', shape: 'diamond', sym: '\u25c6', size: 13},
  dose_regimen: {color: '#d4a017', shape: 'hexagon', sym: '\u2b22', size: 12},
  protein: {color: '#00798c', shape: 'triangle', sym: '\u25b2', size: 11},
  cell_type: {color: '#30638e', shape: 'dot', sym: '\u25cf', size: 10},
  molecule: {color: '#4f8a6b', shape: 'triangleDown', sym: '\u25bc', size: 10},
  process: {color: '#8e6c8a', shape: 'square', sym: '\u25a0', size: 9},
  condition: {color: '#e07a5f', shape: 'star', sym: '\u2605', size: 13},
  study: {color: '#3d405b', shape: 'dot', sym: '\u25cf', size: 8},
  arm: {color: '#6c8ead', shape: 'dot', sym: '\u25cf', size: 6},
  outcome: {color: '#5e8c61', shape: 'square', sym: '\u25a0', size: 6},
  result: {color: '#3a6ea5', shape: 'diamond', sym: '\u25c6', size: 7},
  primary_record: {color: '#7d6b91', shape: 'triangle', sym: '\u25b2', size: 7},
  organisation: {color: '#9a8c98', shape: 'square', sym: '\u25a0', size: 7},
  source: {color: '#b08968', shape: 'triangle', sym: '\u25b2', size: 8},
  adverse_effect: {color: '#a4161a', shape: 'triangleDown', sym: '\u25bc', size: 9},
  caution: {color: '#e85d04', shape: 'triangleDown', sym: '\u25bc', size: 9},
  biomarker: {color: '#2a9d8f', shape: 'diamond', sym: '\u25c6', size: 9},
  other: {color: '#8d99ae', shape: 'dot', sym: '\u25cf', size: 7}
};
// Direction of a result: a colour-blind-safe colour (Okabe-Ito) AND a shape, everywhere it is shown.
var DIR = {supports: '#0072b2', no_effect: '#666666', mixed: '#e69f00', contradicts: '#d55e00'};
var DIR_SYM = {supports: '\u25b2', no_effect: '\u25cf', mixed: '\u25c6', contradicts: '\u25bc'};
var DIR_LABEL = {supports: 'supports', no_effect: 'no effect', mixed: 'mixed', contradicts: 'contradicts'};
var DISPUTED = {color: '#7b2d26', sym: '\u2715'};
// A study's finding (what its primary record shows) and a result's direction: a mark AND a colour, the CLI's marks.
var FINDING = {
  benefit: ['\u25b2', DIR.supports, 'benefit'], no_difference: ['\u25cf', DIR.no_effect, 'no difference'],
  mixed: ['\u25c6', DIR.mixed, 'mixed'], harm: ['\u25bc', DIR.contradicts, 'harm'],
  uncertain: ['?', '#8a3f8f', 'uncertain'], not_comparative: ['\u25cb', '#66717f', 'not comparative'],
  no_data: ['\u00b7', '#66717f', 'no result yet']
};
// Width by rank on the evidence ladder (1 = RCT); solid in people, dashed in animals or cells, dotted below.
var RANK_WIDTH = [6, 6, 5, 4, 3, 2.5, 2.5, 2, 2, 2];
var RANK_DASH = [false, false, false, false, false, [9, 4], [9, 4], [2, 4], [2, 4], [2, 4]];
var LEVEL_LABEL = {}, LEVEL_WIDTH = {}, LEVEL_DASH = {}, LEVEL_RANK = {};
DATA.levels.forEach(function (l) {
  var r = Math.min(l[2], RANK_WIDTH.length - 1);
  LEVEL_LABEL[l[0]] = l[1]; LEVEL_WIDTH[l[0]] = RANK_WIDTH[r]; LEVEL_DASH[l[0]] = RANK_DASH[r]; LEVEL_RANK[l[0]] = l[2];
});
var LAYERS = ['clinical', 'preclinical', 'hypothesis', 'mechanistic', 'safety', 'context', 'external'];
var EVIDENCE_LAYERS = {clinical: 1, preclinical: 1, hypothesis: 1};
// Other edges: one colour and pattern per layer (the predicate is in the tooltip and on the card).
var LAYER_STYLE = {mechanistic: {color: '#37474f', width: 2, dashes: false},
  safety: {color: '#8e24aa', width: 1.5, dashes: [6, 3]}, context: {color: '#aab2bd', width: 1, dashes: false},
  external: {color: '#6d7f99', width: 1.5, dashes: [3, 3]}};
var MECH_KINDS = {protein: 1, cell_type: 1, molecule: 1, process: 1};
// What details a study (decision 0013): shown on its card and panel entry; drawn only in the whole graph and only
// with "study details" ticked, so they never flood the overview or a condition's drawing.
var DETAIL = {arm: 1, outcome: 1, result: 1, primary_record: 1};
var KIND_LABELS = {};
DATA.kinds.forEach(function (k) { KIND_LABELS[k[0]] = k[1]; });
var FONT = 15, LINE_CHARS = 16, CHAR_W = 8.1;

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
function dirColor(d) { return DIR[d] || '#555'; }
function dirMark(d, big) {
  var s = el('span', 'dir' + (big ? ' big' : ''), DIR_SYM[d] || '?');
  s.style.color = dirColor(d); s.title = DIR_LABEL[d] || d;
  return s;
}

// A study's label is drawn with its finding's mark (\u25b2 benefit, \u25cf no difference...), as in its panel entry.
function drawnLabel(n) {
  var f = n[2] === 'study' && ((DATA.cards[n[0]] || {}).x || {}).finding;
  return f && FINDING[f] && FINDING[f][0] !== '\u00b7' ? FINDING[f][0] + ' ' + n[1] : n[1];
}
var NODES = DATA.nodes.map(function (n) {
  return {id: n[0], label: n[1], drawn: drawnLabel(n), kind: n[2], x: n[3], y: n[4], ev: n[5], hidden: false, dim: false};
});
var BY_ID = {};
NODES.forEach(function (n) { BY_ID[n.id] = n; });
var EDGES = DATA.edges.map(function (e) {
  return {id: e[0], from: e[1], to: e[2], pred: e[3], layer: e[4], level: e[5], dir: e[6], disputed: e[7],
    claims: e[8], basis: e[9], hidden: false, dim: false};
});
var EDGE_BY_ID = {};
EDGES.forEach(function (e) { EDGE_BY_ID[e.id] = e; });
var big = NODES.length > DATA.small_limit;
var huge = NODES.length > 1500 || EDGES.length > 4000;
function isEvidence(e) { return e.claims.length > 0 && !!EVIDENCE_LAYERS[e.layer]; }

// Who links to whom: edges of each node, studies' links, claims citing each study.
var studyLinks = {}, claimsByStudy = {}, edgesOf = {};
function addLink(s, x) { (studyLinks[s] = studyLinks[s] || {})[x] = 1; }
EDGES.forEach(function (e) {
  (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
  if (e.to !== e.from) { (edgesOf[e.to] = edgesOf[e.to] || []).push(e); }
  if (BY_ID[e.from] && BY_ID[e.from].kind === 'study') { addLink(e.from, e.to); }
  e.claims.forEach(function (ci) {
    var c = DATA.claims[ci];
    if (c.study) {
      addLink(c.study, e.from); addLink(c.study, e.to); if (c.regimen) { addLink(c.study, c.regimen); }
      (claimsByStudy[c.study] = claimsByStudy[c.study] || []).push([e, c]);
    }
  });
});
function other(e, id) { return e.from === id ? e.to : e.from; }

function wrapLabel(text) {
  var t = text.length > DATA.label_chars ? text.slice(0, DATA.label_chars - 1) + '\u2026' : text;
  if (t.length <= LINE_CHARS) { return t; }
  var cut = t.lastIndexOf(' ', LINE_CHARS);
  if (cut < 3) { cut = LINE_CHARS; }
  return t.slice(0, cut) + '\n' + t.slice(cut).trim();
}
function labelChars(n) {
  return wrapLabel(n.drawn).split('\n').reduce(function (m, l) { return Math.max(m, l.length); }, 0);
}
function nodeSize(n) { return (KIND[n.kind] || KIND.other).size + Math.min(4, Math.sqrt(n.ev || 0)); }
function nodeBase(n) {
  var k = KIND[n.kind] || KIND.other;
  var v = {id: n.id, label: big ? (n.drawn.length > DATA.label_chars ? n.drawn.slice(0, DATA.label_chars - 1) +
    '\u2026' : n.drawn) : wrapLabel(n.drawn), x: n.x, y: n.y, group: n.kind, kind: n.kind,
    size: nodeSize(n)};
  if (n.id === DATA.focus) {
    v.label = '\u25ce ' + v.label + '\n(focus)'; v.borderWidth = 5;
    v.color = {border: '#111111', background: k.color, highlight: {border: '#111111', background: k.color}};
    v.font = {color: '#000000', background: '#ffe58a'};
  }
  return v;
}
function edgeBase(e) {
  var v = {id: e.id, from: e.from, to: e.to, hidden: false, label: undefined,
    arrows: {to: {enabled: true, scaleFactor: 0.5}}};
  if (isEvidence(e)) {
    var c = e.disputed ? DISPUTED.color : dirColor(e.dir);
    v.color = {color: c, highlight: c, hover: c, opacity: 1};
    v.width = e.disputed ? 2 : (LEVEL_WIDTH[e.level] || 2);
    v.dashes = e.disputed ? [2, 4] : (LEVEL_DASH[e.level] || false);
    if (!huge) {
      v.smooth = {enabled: true, type: 'curvedCW', roundness: 0.15};
      v.label = e.disputed ? DISPUTED.sym : DIR_SYM[e.dir];
      v.font = {size: 15, color: c, strokeWidth: 4, strokeColor: '#ffffff', align: 'middle'};
    }
  } else {
    var st = LAYER_STYLE[e.layer] || LAYER_STYLE.context;
    v.color = {color: st.color, highlight: st.color, hover: st.color, opacity: 1};
    v.width = st.width; v.dashes = st.dashes;
    if (e.disputed) { v.dashes = [2, 4]; v.color = {color: DISPUTED.color, opacity: 1}; }
  }
  return v;
}
var NODE_BASE = {}, EDGE_BASE = {};
NODES.forEach(function (n) { NODE_BASE[n.id] = nodeBase(n); });
EDGES.forEach(function (e) { EDGE_BASE[e.id] = edgeBase(e); });

var groups = {};
Object.keys(KIND).forEach(function (k) {
  groups[k] = {shape: KIND[k].shape, color: {background: KIND[k].color, border: '#ffffff',
    highlight: {background: KIND[k].color, border: '#111'}, hover: {background: KIND[k].color, border: '#111'}}};
});
var nodes = new vis.DataSet(NODES.map(function (n) { return NODE_BASE[n.id]; }));
var edges = new vis.DataSet(EDGES.map(function (e) { return EDGE_BASE[e.id]; }));
var container = document.getElementById('net');
var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
  autoResize: true,
  physics: {enabled: false, stabilization: false, barnesHut: {gravitationalConstant: -3000, springLength: 120,
    avoidOverlap: 0.3}},
  layout: {improvedLayout: false, randomSeed: 7},
  interaction: {hover: !huge, tooltipDelay: 3600000, hideEdgesOnDrag: huge, hideEdgesOnZoom: huge,
    navigationButtons: false, keyboard: false},
  nodes: {borderWidth: 1.5, opacity: 1, font: {size: FONT, face: 'system-ui, sans-serif', color: '#1d2430', strokeWidth: 4,
    strokeColor: '#ffffff', multi: false},
    scaling: {label: {drawThreshold: 5}}},
  edges: {smooth: false, selectionWidth: 2, hoverWidth: 1},
  groups: groups
});

// Lane titles of the current layout, above the lanes.
var laneTitles = big ? DATA.lanes : [];
network.on('beforeDrawing', function (ctx) {
  ctx.save(); ctx.font = 'bold ' + (big ? 18 : 15) + 'px system-ui, sans-serif';
  ctx.fillStyle = '#7a8594'; ctx.textAlign = 'center';
  laneTitles.forEach(function (l) { ctx.fillText(String(l[0]), l[1], l[2]); });
  ctx.restore();
});

// The layout of what is visible: lanes by kind (drug ... study), only the lanes in use, each wrapped into
// as many columns as makes the whole fit the canvas largest; so labels stay readable and nodes never meet.
function laneOf(kind) { return (DATA.lane_of_kind[kind] || DATA.lane_of_kind.other || [99, kind]); }
function pack(ids, order) {
  var lanes = {};
  ids.forEach(function (id) { var l = laneOf(BY_ID[id].kind)[0]; (lanes[l] = lanes[l] || []).push(BY_ID[id]); });
  var keys = Object.keys(lanes).map(Number).sort(function (a, b) { return a - b; });
  var cw = Math.max(container.clientWidth, 300), ch = Math.max(container.clientHeight, 240);
  var cell = {}, rowH = {}, heights = {};
  keys.forEach(function (l) {
    lanes[l].sort(order || function (a, b) { return (a.y - b.y) || (a.x - b.x); });
    var chars = 0, lines = 1, size = 0;
    lanes[l].forEach(function (n) {
      var parts = wrapLabel(n.drawn).split('\n');
      lines = Math.max(lines, parts.length + (n.id === DATA.focus ? 1 : 0));
      chars = Math.max(chars, labelChars(n) + (n.id === DATA.focus ? 2 : 0)); size = Math.max(size, nodeSize(n));
    });
    cell[l] = Math.max(90, chars * CHAR_W + 26);
    rowH[l] = 2 * size + lines * FONT * 1.25 + 16;
    for (var c = 1; c <= lanes[l].length; c++) { heights[Math.ceil(lanes[l].length / c) * rowH[l]] = 1; }
  });
  if (ch > cw * 1.15) { return packRows(lanes, keys, cell, rowH, cw, ch); }
  function columns(l, h) { var per = Math.floor(h / rowH[l]); return per < 1 ? 0 : Math.ceil(lanes[l].length / per); }
  var best = null;
  Object.keys(heights).map(Number).forEach(function (h) {
    var w = 0;
    for (var i = 0; i < keys.length; i++) {
      var c = columns(keys[i], h + 0.5); if (!c) { return; }
      w += c * cell[keys[i]];
    }
    var scale = Math.min(cw / w, ch / (h + 50));
    if (!best || scale > best.scale + 1e-9) { best = {h: h + 0.5, scale: scale}; }
  });
  var pos = {}, titles = [], x = 0;
  keys.forEach(function (l) {
    var members = lanes[l], cols = columns(l, best.h), rows = Math.ceil(members.length / cols);
    var top = -(rows - 1) * rowH[l] / 2;
    members.forEach(function (n, i) {
      var c = Math.floor(i / rows), r = i % rows;
      pos[n.id] = {x: x + c * cell[l] + cell[l] / 2, y: top + r * rowH[l]};
    });
    titles.push([laneOf(members[0].kind)[1], x + cols * cell[l] / 2, -best.h / 2 - 8]);
    x += cols * cell[l];
  });
  return {pos: pos, titles: titles};
}

// On a tall, narrow screen (a phone) the lanes run top to bottom instead, each wrapped into rows.
function packRows(lanes, keys, cell, rowH, cw, ch) {
  var widths = {};
  keys.forEach(function (l) { for (var k = 1; k <= lanes[l].length; k++) { widths[k * cell[l]] = 1; } });
  function perRow(l, w) { return Math.max(1, Math.floor(w / cell[l])); }
  var best = null;
  Object.keys(widths).map(Number).forEach(function (w) {
    var h = keys.reduce(function (t, l) { return t + Math.ceil(lanes[l].length / perRow(l, w + 0.5)) * rowH[l] + 34; }, 0);
    var wide = keys.reduce(function (m, l) { return Math.max(m, Math.min(lanes[l].length, perRow(l, w + 0.5)) * cell[l]); }, 0);
    var scale = Math.min(cw / wide, ch / h);
    if (!best || scale > best.scale + 1e-9) { best = {w: w + 0.5, scale: scale}; }
  });
  var pos = {}, titles = [], y = 0;
  keys.forEach(function (l) {
    var members = lanes[l], per = Math.min(members.length, perRow(l, best.w));
    titles.push([laneOf(members[0].kind)[1], 0, y + 16]);
    y += 34;
    members.forEach(function (n, i) {
      var r = Math.floor(i / per), c = i % per, inRow = Math.min(per, members.length - r * per);
      pos[n.id] = {x: (c - (inRow - 1) / 2) * cell[l], y: y + r * rowH[l] + rowH[l] / 3};
    });
    y += Math.ceil(members.length / per) * rowH[l];
  });
  return {pos: pos, titles: titles};
}

var api = window.ldnViz = {ready: false, network: network, nodes: nodes, edges: edges, data: DATA, fontSize: FONT};
api.counts = function () {
  return {nodes: nodes.length, edges: edges.length,
    visibleNodes: NODES.filter(function (n) { return !n.hidden; }).length,
    visibleEdges: EDGES.filter(function (e) { return !e.hidden; }).length,
    graphNodes: DATA.nodes.length, graphEdges: DATA.edges.length};
};

// The state of the page: everything a reader can change, kept in the URL fragment (share.js).
var DEFAULT_VIEW = (!big && !DATA.focus && DATA.conditions.length) ? 'overview' : 'all';
var DEFAULT_DETAILS = !!(DATA.focus && BY_ID[DATA.focus] && DETAIL[BY_ID[DATA.focus].kind]);
var state = {view: DEFAULT_VIEW, cond: '', reg: '', off: {kind: {}, layer: {}, level: {}, direction: {}},
  sel: null, dim: true, physics: false, details: DEFAULT_DETAILS};
var hasDetails = NODES.some(function (n) { return DETAIL[n.kind]; });
function edgeFilterOn() {
  return ['layer', 'level', 'direction'].some(function (k) { return Object.keys(state.off[k]).length > 0; });
}
// The overview: the drug's dose regimens and every condition, conditions best evidence first.
var OVERVIEW = {};
var bestRank = {};
EDGES.forEach(function (e) {
  if (isEvidence(e) && BY_ID[e.to]) {
    var r = LEVEL_RANK[e.level] || 99;
    bestRank[e.to] = Math.min(bestRank[e.to] || 99, r);
  }
  if (e.pred === 'regimen_of' && BY_ID[e.to] && BY_ID[e.to].kind === 'drug') { OVERVIEW[e.to] = 1; }
});
NODES.forEach(function (n) { if (n.kind === 'condition' || n.kind === 'dose_regimen') { OVERVIEW[n.id] = 1; } });
function overviewOrder(a, b) {
  if (a.kind === 'condition' && b.kind === 'condition') {
    return ((bestRank[a.id] || 99) - (bestRank[b.id] || 99)) || ((b.ev || 0) - (a.ev || 0)) ||
      (a.label < b.label ? -1 : 1);
  }
  return (a.y - b.y) || (a.x - b.x);
}
// A condition's part of the graph: its neighbours, its studies (linked or cited), the regimens they test,
// and every node on a mechanism path from the drug to it.
function conditionSet(c) {
  var keep = {}; keep[c] = 1;
  (edgesOf[c] || []).forEach(function (e) {
    keep[other(e, c)] = 1;
    e.claims.forEach(function (ci) { var cl = DATA.claims[ci]; if (cl.study) { keep[cl.study] = 1; } });
  });
  Object.keys(keep).forEach(function (id) {
    if (BY_ID[id] && BY_ID[id].kind === 'study') {
      (edgesOf[id] || []).forEach(function (e) {
        var o = other(e, id);
        if (BY_ID[o] && (BY_ID[o].kind === 'dose_regimen' || BY_ID[o].kind === 'drug')) { keep[o] = 1; }
      });
    }
  });
  mechanismPaths(c).forEach(function (p) { p.nodes.forEach(function (id) { keep[id] = 1; }); });
  return keep;
}
function regimenSet(r) {
  var keep = {}; keep[r] = 1;
  (edgesOf[r] || []).forEach(function (e) { keep[other(e, r)] = 1; });
  Object.keys(studyLinks).forEach(function (s) { if (studyLinks[s][r]) { keep[s] = 1; } });
  return keep;
}
// Mechanism paths: mechanistic edges from the drug (or its regimens) through receptors, cells, molecules
// and processes to the condition; at most 6 hops, at most 12 paths, shortest first.
var MECH_MAX_HOPS = 6, MECH_MAX_PATHS = 12, mechCache = {};
function mechanismPaths(c) {
  if (mechCache[c]) { return mechCache[c]; }
  var starts = NODES.filter(function (n) { return n.kind === 'drug' && OVERVIEW[n.id]; }).map(function (n) { return n.id; });
  NODES.forEach(function (n) { if (n.kind === 'dose_regimen') { starts.push(n.id); } });
  var out = [], targets = {}, up = [c];
  targets[c] = 1;
  while (up.length) {  // a path to a broader condition (fibromyalgia is a kind of chronic pain) counts too
    (edgesOf[up.pop()] || []).forEach(function (e) {
      if (e.pred === 'subclass_of' && targets[e.from] && !targets[e.to] && BY_ID[e.to] && BY_ID[e.to].kind === 'condition') {
        targets[e.to] = 1; up.push(e.to);
      }
    });
  }
  function walk(path, hops) {
    if (out.length >= MECH_MAX_PATHS * 4 || hops.length >= MECH_MAX_HOPS) { return; }
    var here = path[path.length - 1];
    (edgesOf[here] || []).forEach(function (e) {
      if (e.from !== here || e.layer !== 'mechanistic' || path.indexOf(e.to) >= 0 || !BY_ID[e.to]) { return; }
      if (targets[e.to]) { if (hops.length) { out.push({nodes: path.concat([e.to]), hops: hops.concat([e]), via: e.to !== c ? e.to : null}); } return; }
      if (MECH_KINDS[BY_ID[e.to].kind]) { walk(path.concat([e.to]), hops.concat([e])); }
    });
  }
  starts.forEach(function (s) { walk([s], []); });
  out.sort(function (a, b) { return a.hops.length - b.hops.length; });
  mechCache[c] = out.slice(0, MECH_MAX_PATHS);
  return mechCache[c];
}

// What is visible: the view (overview, whole graph, a condition), then the filters. Edges between visible
// nodes are kept; with an edge filter on, nodes left without an edge are hidden too.
function visibleSets() {
  var base = null;
  if (state.cond && BY_ID[state.cond]) { base = conditionSet(state.cond); }
  else if (state.view === 'overview') { base = OVERVIEW; }
  var regSet = state.reg && BY_ID[state.reg] ? regimenSet(state.reg) : null;
  var shown = {};
  NODES.forEach(function (n) {
    var ok = (!base || base[n.id]) && (!regSet || regSet[n.id] || n.id === state.cond) && !state.off.kind[n.kind] &&
      (state.details || !DETAIL[n.kind]);
    if (ok) { shown[n.id] = 1; }
  });
  var shownEdges = {}, touched = {};
  EDGES.forEach(function (e) {
    if (!shown[e.from] || !shown[e.to] || state.off.layer[e.layer]) { return; }
    if (e.claims.length) {
      var fromReg = BY_ID[e.from].kind === 'dose_regimen' ? e.from : null;
      var any = e.claims.some(function (ci) {
        var c = DATA.claims[ci], r = c.regimen || fromReg;
        return !state.off.level[c.level] && !state.off.direction[c.direction] && (!state.reg || !r || r === state.reg);
      });
      if (!any) { return; }
    }
    shownEdges[e.id] = 1; touched[e.from] = 1; touched[e.to] = 1;
  });
  if (edgeFilterOn()) {
    Object.keys(shown).forEach(function (id) {
      if (!touched[id] && id !== state.cond && id !== DATA.focus) { delete shown[id]; }
    });
  }
  return {nodes: shown, edges: shownEdges};
}

// The highlight of a selection: a node with its visible neighbours, an edge with its two ends; a condition
// in its own view highlights its whole part of the graph.
function highlightSet(vis) {
  var sel = state.sel; if (!sel || !state.dim) { return null; }
  var keep = {n: {}, e: {}};
  if (sel.e && EDGE_BY_ID[sel.e]) {
    var ed = EDGE_BY_ID[sel.e]; keep.e[ed.id] = 1; keep.n[ed.from] = 1; keep.n[ed.to] = 1; return keep;
  }
  if (!sel.n || !vis.nodes[sel.n]) { return null; }
  if (sel.n === state.cond) { return null; }
  keep.n[sel.n] = 1;
  (edgesOf[sel.n] || []).forEach(function (e) {
    if (vis.edges[e.id]) { keep.e[e.id] = 1; keep.n[other(e, sel.n)] = 1; }
  });
  return keep;
}
var PLAIN_FONT = {color: '#1d2430', background: 'rgba(255,255,255,0)'};
function dimmedNode(id) {
  var b = NODE_BASE[id];
  return {id: id, opacity: 0.18, font: {color: 'rgba(29,36,48,0.25)', background: (b.font || PLAIN_FONT).background}};
}
function dimmedEdge(id) {
  var b = EDGE_BASE[id], c = b.color || {};
  return {id: id, color: {color: c.color, highlight: c.highlight, hover: c.hover, opacity: 0.12},
    font: b.font ? {size: b.font.size, color: 'rgba(0,0,0,0.12)', strokeWidth: 0, align: 'middle'} : undefined};
}

var currentPositions = null;
function applyView(opts) {
  opts = opts || {};
  hideTip();
  var vis = visibleSets(), hl = highlightSet(vis);
  var nUpd = [], eUpd = [];
  NODES.forEach(function (n) {
    var h = !vis.nodes[n.id], d = !h && !!hl && !hl.n[n.id];
    if (h !== n.hidden || d !== n.dim || opts.restyle) {
      n.hidden = h; n.dim = d;
      var u = d ? dimmedNode(n.id) : {id: n.id, opacity: 1, font: NODE_BASE[n.id].font || PLAIN_FONT};
      u.hidden = h; nUpd.push(u);
    }
  });
  EDGES.forEach(function (e) {
    var h = !vis.edges[e.id], d = !h && !!hl && !hl.e[e.id];
    if (h !== e.hidden || d !== e.dim || opts.restyle) {
      e.hidden = h; e.dim = d;
      var b = EDGE_BASE[e.id];
      var u = d ? dimmedEdge(e.id) : {id: e.id, color: b.color, font: b.font};
      u.hidden = h; eUpd.push(u);
    }
  });
  if (nUpd.length) { nodes.update(nUpd); }
  if (eUpd.length) { edges.update(eUpd); }
  var open = !!(card.dataset.node || card.dataset.edge);
  if (open !== document.body.classList.contains('card-open')) {
    document.body.classList.toggle('card-open', open); network.setSize('100%', '100%'); opts.relayout = true;
  }
  if (!big && !state.physics && (opts.relayout || nUpd.some(function (u) { return 'hidden' in u; }))) {
    var ids = Object.keys(vis.nodes);
    var packed = pack(ids, state.view === 'overview' && !state.cond ? overviewOrder : null);
    currentPositions = packed.pos; laneTitles = packed.titles;
    nodes.update(ids.map(function (id) { return {id: id, x: packed.pos[id].x, y: packed.pos[id].y}; }));
  }
  network.unselectAll();
  if (state.sel && state.sel.n && vis.nodes[state.sel.n]) { network.selectNodes([state.sel.n], false); }
  if (state.sel && state.sel.e && vis.edges[state.sel.e]) { network.selectEdges([state.sel.e]); }
  updateCounts();
  if (opts.fit !== false) { fitView(hl ? Object.keys(hl.n) : null); }
}
// Fit the view to these nodes, or to everything visible (with the lane titles); never closer than 1.6.
// The box of a node counts its label, as the layout does, so no label is cut at the edges.
function fitView(ids) {
  var list = ids && ids.length ? ids : NODES.filter(function (n) { return !n.hidden; }).map(function (n) { return n.id; });
  if (!list.length) { return; }
  if (big) { network.fit({nodes: list, animation: false}); return; }
  var pos = network.getPositions(list), box = [Infinity, Infinity, -Infinity, -Infinity];
  list.forEach(function (id) {
    var n = BY_ID[id], p = pos[id]; if (!p) { return; }
    var lines = NODE_BASE[id].label.split('\n'), s = nodeSize(n);
    var half = Math.max(s, lines.reduce(function (m, l) { return Math.max(m, l.length); }, 0) * CHAR_W / 2 + 4);
    box[0] = Math.min(box[0], p.x - half); box[2] = Math.max(box[2], p.x + half);
    box[1] = Math.min(box[1], p.y - s - 4); box[3] = Math.max(box[3], p.y + s + lines.length * FONT * 1.25 + 6);
  });
  if (!ids || !ids.length) { laneTitles.forEach(function (t) { box[1] = Math.min(box[1], t[2] - 20); }); }
  var cw = Math.max(container.clientWidth, 50), ch = Math.max(container.clientHeight, 50);
  var scale = Math.min(1.6, cw / (box[2] - box[0] + 24), ch / (box[3] - box[1] + 24));
  network.moveTo({position: {x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2}, scale: scale, animation: false});
}
function updateCounts() {
  var c = api.counts();
  var t = c.visibleNodes.toLocaleString() + ' of ' + c.nodes.toLocaleString() + ' nodes, ' +
    c.visibleEdges.toLocaleString() + ' of ' + c.edges.toLocaleString() + ' edges shown';
  if (DATA.subset) { t += ' (graph: ' + DATA.total[0].toLocaleString() + ' nodes)'; }
  document.getElementById('counts').textContent = t;
  var mode = state.cond ? 'condition' : state.view;
  document.body.dataset.view = mode;
  document.querySelectorAll('[data-view-button]').forEach(function (b) {
    b.setAttribute('aria-pressed', b.dataset.viewButton === mode ? 'true' : 'false');
  });
}

// Tooltips: one element, its text set on every hover, hidden on every blur, drag, zoom, click and relayout.
var tip = document.getElementById('tip');
function hideTip() { tip.style.display = 'none'; tip.textContent = ''; delete tip.dataset.for; }
function showTip(text, p, key) {
  tip.textContent = text; tip.dataset.for = key; tip.style.display = 'block';
  var r = container.getBoundingClientRect(), d = p.pointer ? p.pointer.DOM : {x: 0, y: 0};
  tip.style.left = Math.min(r.left + d.x + 14, window.innerWidth - 380) + 'px';
  tip.style.top = (r.top + d.y + 14) + 'px';
}
function edgeSummary(e) {
  var s = (BY_ID[e.from] ? BY_ID[e.from].label : e.from) + ' \u2014 ' + e.pred.replace(/_/g, ' ') + ' \u2192 ' +
    (BY_ID[e.to] ? BY_ID[e.to].label : e.to);
  if (e.claims.length) {
    s += '  [' + e.claims.length + ' claim' + (e.claims.length > 1 ? 's' : '') + '; best: ' +
      (LEVEL_LABEL[e.level] || e.level) + '; ' + (DIR_SYM[e.dir] || '') + ' ' + (DIR_LABEL[e.dir] || e.dir) +
      (e.disputed ? '; disputed' : '') + ']';
  }
  return s + '  (' + e.layer + ')';
}
network.on('hoverEdge', function (p) { var e = EDGE_BY_ID[p.edge]; if (e && !e.hidden) { showTip(edgeSummary(e), p, 'e:' + e.id); } });
network.on('hoverNode', function (p) {
  var n = BY_ID[p.node]; if (!n || n.hidden) { return; }
  showTip(n.label + '  (' + (KIND_LABELS[n.kind] || n.kind) + ')', p, 'n:' + n.id);
});
['blurEdge', 'blurNode', 'dragStart', 'zoom', 'click', 'release'].forEach(function (ev) { network.on(ev, hideTip); });
container.addEventListener('mouseleave', hideTip);
window.addEventListener('blur', hideTip);

// Search: the exact name first, then a synonym, then a name that starts so, then any match; conditions
// before regimens, drugs, mechanisms and studies when they tie.
var KIND_RANK = {condition: 0, dose_regimen: 1, drug: 2, protein: 3, cell_type: 3, molecule: 3, process: 3, study: 4,
  primary_record: 5, result: 6, outcome: 6, arm: 6};
var INDEX = NODES.map(function (n) {
  var cd = DATA.cards[n.id] || {};
  return {id: n.id, name: n.label.toLowerCase(), key: n.id.toLowerCase(),
    syn: (cd.s || []).map(function (s) { return s.toLowerCase(); })};
});
function searchRank(q) {
  q = q.trim().toLowerCase(); if (!q) { return []; }
  var hits = [];
  INDEX.forEach(function (it) {
    var tier = -1;
    if (it.name === q || it.key === q) { tier = 0; }
    else if (it.syn.indexOf(q) >= 0) { tier = 1; }
    else if (it.name.indexOf(q) === 0 || it.key.indexOf(q) === 0 ||
      it.syn.some(function (s) { return s.indexOf(q) === 0; })) { tier = 2; }
    else if (it.name.indexOf(q) >= 0 || it.key.indexOf(q) >= 0 ||
      it.syn.some(function (s) { return s.indexOf(q) >= 0; })) { tier = 3; }
    if (tier >= 0) {
      var k = KIND_RANK[BY_ID[it.id].kind]; hits.push([tier, k === undefined ? 5 : k, it.name.length, it.name, it.id]);
    }
  });
  hits.sort(function (a, b) {
    for (var i = 0; i < 4; i++) { if (a[i] !== b[i]) { return a[i] < b[i] ? -1 : 1; } }
    return 0;
  });
  return hits.slice(0, 30).map(function (h) { return h[4]; });
}
api.searchRank = searchRank;
