// ldngraph viewer, part 2 of 3: the cards (a node, an edge) and the condition panel. Everything from the
// graph goes into the page with textContent; links only from URLs page.py built from known prefixes.
var card = document.getElementById('card');
var DESIGN_GROUPS = [
  ['Randomised trials', {randomised_controlled_trial: 1, randomised_crossover_trial: 1}, {rct: 1}],
  ['Controlled, not randomised', {controlled_non_randomised: 1, register_based_controlled: 1}, {controlled: 1}],
  ['Open-label, cohort, case series', {open_label_pilot: 1, case_series: 1, dose_finding: 1, prospective_cohort: 1},
    {uncontrolled: 1}],
  ['Case reports', {case_report: 1}, {case_report: 1}],
  ['Animal and laboratory studies', {animal_study: 1, in_vitro_study: 1, in_vitro: 1}, {animal: 1, in_vitro: 1}],
  ['Design not recorded', {}, {}]
];
var RUNNING = {recruiting: 1, active: 1, ongoing: 1, not_yet_recruiting: 1, enrolling: 1, active_not_recruiting: 1};

function kindChip(kind) {
  var c = el('span', 'kind', KIND_LABELS[kind] || kind); c.style.background = (KIND[kind] || KIND.other).color;
  return c;
}
function jump(id, text) {
  var b = el('button', 'link', text || (BY_ID[id] ? BY_ID[id].label : id));
  b.type = 'button';
  b.addEventListener('click', function () { choose(id); });
  if (!BY_ID[id]) { b.disabled = true; }
  return b;
}
function jumpEdge(e, text) {
  var b = el('button', 'link', text); b.type = 'button';
  b.addEventListener('click', function () { selectEdge(e.id); });
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
function fieldOf(id, name) {
  var f = (DATA.cards[id] || {}).f || [];
  for (var i = 0; i < f.length; i++) { if (f[i][0] === name) { return f[i][1]; } }
  return null;
}
function factsOf(id) { return (DATA.cards[id] || {}).x || {}; }
// An article's name with its date when the graph knows it (a study's year and journal, a source's date).
function articleName(id, label) {
  var name = label || (BY_ID[id] ? BY_ID[id].label : id);
  var date = fieldOf(id, 'date') || fieldOf(id, 'published') || fieldOf(id, 'year');
  return date && name.indexOf(date) < 0 ? name + ' (' + date + ')' : name;
}
// Every primary record of a study as a link: PubMed, PubMed Central, DOI, trial registry.
function recordLinks(id) {
  var l = (DATA.cards[id] || {}).l || [];
  var span = el('span', 'records');
  l.forEach(function (x, i) {
    if (i) { span.appendChild(document.createTextNode(' \u00b7 ')); }
    span.appendChild(el('span', 'muted', x[0] + ' ')); span.appendChild(linkOrText(x[2], x[1]));
  });
  return l.length ? span : null;
}
function studyHead(id) {
  var box = el('div', 'study-head');
  box.appendChild(jump(id, articleName(id, BY_ID[id] ? BY_ID[id].label : id)));
  var design = fieldOf(id, 'design'), n = factsOf(id).n;
  var facts = [design, n ? 'n = ' + n : null, fieldOf(id, 'journal')].filter(Boolean).join(' \u00b7 ');
  if (facts) { box.appendChild(el('div', 'muted', facts)); }
  var links = recordLinks(id); if (links) { box.appendChild(links); }
  var result = fieldOf(id, 'result'); if (result) { box.appendChild(dl([['result', result]])); }
  return box;
}
function claimBox(c, edge) {
  var box = el('div', 'claim');
  box.dataset.claim = c.id;
  var head = el('div');
  head.appendChild(dirMark(c.direction));
  head.appendChild(chip(DIR_LABEL[c.direction] || c.direction, dirColor(c.direction)));
  head.appendChild(chip(LEVEL_LABEL[c.level] || c.level.replace(/_/g, ' '), '#3d405b'));
  head.appendChild(chip(c.layer, '#6c7888'));
  if (c.status === 'disputed') { head.appendChild(chip('disputed', DISPUTED.color)); }
  box.appendChild(head);
  if (edge) { box.appendChild(jumpEdge(edge, edgeSummary(edge).split('  [')[0])); }
  var f = c.fields || {};
  box.appendChild(dl([
    ['regimen', c.regimen ? jump(c.regimen, c.regimen_label || c.regimen) : null],
    ['population', f.population], ['n', f.n], ['result', f.effect], ['value', f.value],
    ['discrepancy', c.discrepancy], ['primary record says', f.primary_says], ['note', f.note]
  ]));
  if (c.quote) { box.appendChild(el('blockquote', null, '\u201c' + c.quote + '\u201d')); }
  var src = el('div', 'muted'); src.appendChild(document.createTextNode('as the article says: '));
  src.appendChild(jump(c.source, articleName(c.source, c.source_label || c.source))); box.appendChild(src);
  box.appendChild(el('div', 'muted', 'claim ' + c.id));
  return box;
}
// Claims grouped by the study they cite (each study once, with its records), then the claims citing none.
function claimsGrouped(pairs, parent) {
  var groups = {}, order = [];
  pairs.forEach(function (p) {
    var k = p[1].study || '';
    if (!groups[k]) { groups[k] = []; order.push(k); }
    groups[k].push(p);
  });
  order.sort(function (a, b) { return (a === '') - (b === ''); });
  order.forEach(function (k) {
    var g = el('section', 'study-group'); g.dataset.study = k;
    if (k) { g.appendChild(studyHead(k)); } else { g.appendChild(el('div', 'study-head muted', 'Not tied to a study')); }
    groups[k].forEach(function (p) { g.appendChild(claimBox(p[1], p[0])); });
    parent.appendChild(g);
  });
}
function clearCard() { while (card.firstChild) { card.removeChild(card.firstChild); } card.className = ''; card.scrollTop = 0; }
function closeButton() {
  var b = el('button', 'close', '\u2715'); b.type = 'button'; b.title = 'close the card (Escape)';
  b.setAttribute('aria-label', 'close the card');
  b.addEventListener('click', closeCard);
  return b;
}
function placeholder() {
  clearCard(); delete card.dataset.node; delete card.dataset.edge;
}
function showNode(id) {
  var n = BY_ID[id]; if (!n) { return; }
  var cd = DATA.cards[id] || {};
  clearCard();
  card.dataset.node = id; delete card.dataset.edge;
  card.appendChild(closeButton());
  card.appendChild(kindChip(n.kind));
  if (id === DATA.focus) { card.appendChild(chip('focus of this page', '#111111')); }
  card.appendChild(el('h2', null, n.kind === 'study' || n.kind === 'source' ? articleName(id, n.label) : n.label));
  card.appendChild(el('div', 'muted', 'id: ' + id));
  if (n.kind === 'condition') { conditionPanel(id); return; }
  if (cd.d) { card.appendChild(el('p', null, cd.d)); }
  if (cd.s) { card.appendChild(dl([['also called', cd.s.join('; ')]])); }
  if (cd.f) { card.appendChild(dl(cd.f)); }
  if (cd.l) {
    card.appendChild(el('div', 'h', 'Primary records and identifiers'));
    var ul = el('ul');
    cd.l.forEach(function (l) {
      var li = el('li'); li.appendChild(el('span', 'muted', l[0] + ': ')); li.appendChild(linkOrText(l[2], l[1]));
      ul.appendChild(li);
    });
    card.appendChild(ul);
  }
  if (claimsByStudy[id]) {
    card.appendChild(el('div', 'h', 'Claims citing this study (' + claimsByStudy[id].length + ')'));
    claimsByStudy[id].forEach(function (ec) { card.appendChild(claimBox(ec[1], ec[0])); });
  }
  if (cd.v) {
    card.appendChild(el('div', 'h', 'Stated values'));
    cd.v.forEach(function (c) { card.appendChild(claimBox(c, null)); });
  }
  linksList(id);
}
function linksList(id) {
  var mine = edgesOf[id] || [];
  if (!mine.length) { return; }
  card.appendChild(el('div', 'h', 'Links (' + mine.length + ')'));
  var list = el('ul');
  mine.slice(0, 60).forEach(function (e) {
    var li = el('li'); li.appendChild(jumpEdge(e, edgeSummary(e).split('  [')[0])); list.appendChild(li);
  });
  if (mine.length > 60) { list.appendChild(el('li', 'muted', (mine.length - 60) + ' more')); }
  card.appendChild(list);
}
function showEdge(id) {
  var e = EDGE_BY_ID[id]; if (!e) { return; }
  clearCard();
  card.dataset.edge = id; delete card.dataset.node;
  card.appendChild(closeButton());
  card.appendChild(chip(e.layer + (isEvidence(e) ? ' evidence' : ''), '#536171'));
  var h = el('h2'); h.appendChild(jump(e.from)); h.appendChild(document.createTextNode(' \u2014 ' +
    e.pred.replace(/_/g, ' ') + ' \u2192 ')); h.appendChild(jump(e.to));
  card.appendChild(h);
  if (e.claims.length) {
    var p = el('p'); p.appendChild(dirMark(e.dir, true));
    p.appendChild(document.createTextNode(' ' + e.claims.length + ' claim' + (e.claims.length > 1 ? 's' : '') +
      '; best evidence: ' + (LEVEL_LABEL[e.level] || e.level) + '; overall: ' + (DIR_LABEL[e.dir] || e.dir) +
      (e.disputed ? '. The graph does not assert this (disputed).' : '.')));
    card.appendChild(p);
    claimsGrouped(e.claims.map(function (ci) { return [e, DATA.claims[ci]]; }), card);
  } else {
    card.appendChild(el('p', 'muted', 'A structural edge, not itself evidence.'));
  }
  if (e.basis) { card.appendChild(dl([['basis', e.basis]])); }
}

// The condition panel: the verdict slot, the independent studies by design, trials still running,
// mechanism paths from the drug, and every claim grouped by study.
function conditionClaims(id) {
  var rows = [];
  (edgesOf[id] || []).forEach(function (e) {
    e.claims.forEach(function (ci) { rows.push([e, DATA.claims[ci]]); });
  });
  rows.sort(function (a, b) {
    return ((LEVEL_RANK[a[1].level] || 99) - (LEVEL_RANK[b[1].level] || 99)) || (a[1].id < b[1].id ? -1 : 1);
  });
  return rows;
}
function studiesOf(id, rows) {
  var found = {};
  (edgesOf[id] || []).forEach(function (e) {
    var o = other(e, id); if (BY_ID[o] && BY_ID[o].kind === 'study') { found[o] = found[o] || []; }
  });
  rows.forEach(function (r) { if (r[1].study && BY_ID[r[1].study]) { (found[r[1].study] = found[r[1].study] || []).push(r[1]); } });
  return Object.keys(found).sort().map(function (s) {
    var claims = found[s], dirs = {};
    claims.forEach(function (c) { dirs[c.direction] = 1; });
    var ds = Object.keys(dirs), x = factsOf(s);
    var n = parseInt(x.n, 10);
    if (isNaN(n)) { claims.forEach(function (c) { var m = parseInt((c.fields || {}).n, 10); if (!isNaN(m)) { n = Math.max(isNaN(n) ? 0 : n, m); } }); }
    var best = claims.reduce(function (b, c) { return (LEVEL_RANK[c.level] || 99) < (LEVEL_RANK[b] || 99) ? c.level : b; }, '');
    return {id: s, dir: ds.length === 1 ? ds[0] : (ds.length ? 'mixed' : null), n: isNaN(n) ? null : n,
      design: x.design || '', status: x.status || '', level: best, claims: claims.length};
  });
}
function designGroup(s) {
  for (var i = 0; i < DESIGN_GROUPS.length - 1; i++) {
    if (DESIGN_GROUPS[i][1][s.design]) { return i; }
  }
  for (var j = 0; j < DESIGN_GROUPS.length - 1; j++) {
    if ((!s.design || s.design === 'unknown') && DESIGN_GROUPS[j][2][s.level]) { return j; }
  }
  return DESIGN_GROUPS.length - 1;
}
function studyEntry(s) {
  var row = el('li', 'study-entry'); row.dataset.study = s.id; row.dataset.direction = s.dir || 'none';
  if (s.dir) { row.appendChild(dirMark(s.dir, true)); } else { row.appendChild(el('span', 'dir big muted', '\u25cb')); }
  var main = el('div', 'entry-main');
  main.appendChild(jump(s.id, articleName(s.id, BY_ID[s.id].label)));
  var meta = el('div', 'muted');
  meta.textContent = (s.dir ? DIR_LABEL[s.dir] : 'no claim on this condition') + ' \u00b7 ' +
    (s.n !== null ? s.n.toLocaleString() + ' participants' : 'participants not recorded') +
    (s.status && s.status !== 'published' ? ' \u00b7 ' + s.status.replace(/_/g, ' ') : '');
  main.appendChild(meta);
  var bar = el('span', 'n-bar'); bar.style.width = (s.n ? 6 + 28 * Math.log10(s.n + 1) : 2) + 'px';
  bar.style.background = s.dir ? dirColor(s.dir) : '#c3c9d2'; bar.title = s.n !== null ? 'n = ' + s.n : 'n unknown';
  main.appendChild(bar);
  row.appendChild(main);
  return row;
}
function verdictSlot(id) {
  var box = el('section', 'verdict'); box.id = 'verdict';
  box.appendChild(el('div', 'h', 'Verdict'));
  var v = (DATA.cards[id] || {}).verdict;
  if (!v) { box.appendChild(el('p', 'muted', 'No verdict computed')); return box; }
  box.appendChild(el('p', 'statement', v.statement));
  if (v.certainty) { box.appendChild(dl([['certainty', v.certainty]])); }
  if (v.reasons && v.reasons.length) {
    var ul = el('ul', 'reasons'); v.reasons.forEach(function (r) { ul.appendChild(el('li', null, r)); });
    box.appendChild(ul);
  }
  return box;
}
function conditionPanel(id) {
  var cd = DATA.cards[id] || {};
  card.classList.add('condition');
  if (cd.d) { card.appendChild(el('p', null, cd.d)); }
  if (cd.s) { card.appendChild(dl([['also called', cd.s.join('; ')]])); }
  card.appendChild(verdictSlot(id));
  var rows = conditionClaims(id), studies = studiesOf(id, rows);
  var indep = studies.filter(function (s) { return !/review|meta_analysis/.test(s.design); });
  var people = indep.reduce(function (t, s) { return t + (s.n || 0); }, 0);
  var sec = el('section', 'studies'); sec.id = 'independent-studies';
  sec.appendChild(el('div', 'h', 'Independent studies (' + indep.length + ')'));
  sec.appendChild(el('p', 'muted', indep.length ? indep.length + ' stud' + (indep.length === 1 ? 'y' : 'ies') +
    ', ' + people.toLocaleString() + ' participants recorded; reviews not counted. Bar length: participants.' :
    'No primary study of this condition in the graph.'));
  DESIGN_GROUPS.forEach(function (g, i) {
    var mine = indep.filter(function (s) { return designGroup(s) === i; });
    if (!mine.length) { return; }
    mine.sort(function (a, b) { return (b.n || 0) - (a.n || 0) || (a.id < b.id ? -1 : 1); });
    sec.appendChild(el('div', 'group', g[0]));
    var ul = el('ul', 'entries'); mine.forEach(function (s) { ul.appendChild(studyEntry(s)); });
    sec.appendChild(ul);
  });
  sec.appendChild(dirKey());
  card.appendChild(sec);
  runningTrials(studies);
  mechanismSection(id);
  var all = el('section', 'claims');
  all.appendChild(el('div', 'h', 'Claims about ' + BY_ID[id].label + ', by study (' + rows.length + ')'));
  claimsGrouped(rows, all);
  card.appendChild(all);
  if (cd.v) {
    card.appendChild(el('div', 'h', 'Stated values'));
    cd.v.forEach(function (c) { card.appendChild(claimBox(c, null)); });
  }
  if (cd.l) {
    var ids = el('p', 'muted'); ids.appendChild(document.createTextNode('identifiers: '));
    cd.l.forEach(function (l, i) { if (i) { ids.appendChild(document.createTextNode(' \u00b7 ')); } ids.appendChild(linkOrText(l[2], l[1])); });
    card.appendChild(ids);
  }
}
function dirKey() {
  var k = el('div', 'dir-key muted');
  Object.keys(DIR).forEach(function (d) {
    var s = el('span'); s.appendChild(dirMark(d)); s.appendChild(document.createTextNode(' ' + DIR_LABEL[d] + '  '));
    k.appendChild(s);
  });
  return k;
}
function runningTrials(studies) {
  var sec = el('section', 'running'); sec.id = 'running-trials';
  sec.appendChild(el('div', 'h', 'Trials still running'));
  var running = studies.filter(function (s) { return RUNNING[s.status]; });
  var unknown = studies.filter(function (s) {
    return (!s.status || s.status === 'unknown') && ((DATA.cards[s.id] || {}).l || []).some(function (l) { return /^NCT/.test(l[1]); });
  });
  if (!running.length) { sec.appendChild(el('p', 'muted', 'None recorded as running.')); }
  var ul = el('ul', 'entries');
  running.forEach(function (s) { ul.appendChild(studyEntry(s)); });
  sec.appendChild(ul);
  if (unknown.length) {
    sec.appendChild(el('div', 'group', 'Registered, status not known'));
    var u2 = el('ul', 'entries'); unknown.forEach(function (s) { u2.appendChild(studyEntry(s)); });
    sec.appendChild(u2);
  }
  card.appendChild(sec);
}
function mechanismSection(id) {
  var sec = el('section', 'mechanisms'); sec.id = 'mechanism-paths';
  var paths = mechanismPaths(id);
  sec.appendChild(el('div', 'h', 'Mechanism paths from the drug (' + paths.length + ')'));
  if (!paths.length) { sec.appendChild(el('p', 'muted', 'No chain of mechanistic links reaches this condition.')); }
  var ol = el('ol', 'paths');
  paths.forEach(function (p) {
    var li = el('li', 'path');
    p.nodes.forEach(function (nid, i) {
      if (i) {
        var hop = p.hops[i - 1];
        var a = jumpEdge(hop, ' \u2192 ' + hop.pred.replace(/_/g, ' ') + ' \u2192 '); a.className = 'link hop';
        if (hop.claims.length) { a.title = 'weakest: ' + (LEVEL_LABEL[hop.level] || hop.level); }
        li.appendChild(a);
      }
      li.appendChild(jump(nid));
    });
    if (p.via) { li.appendChild(el('span', 'muted', ' (a broader condition: ' + BY_ID[id].label + ' is a kind of ' + BY_ID[p.via].label + ')')); }
    ol.appendChild(li);
  });
  sec.appendChild(ol);
  card.appendChild(sec);
}
