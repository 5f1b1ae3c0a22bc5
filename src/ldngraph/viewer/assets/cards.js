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
// An article's name with its date when the graph knows it: a source article's published date (ldn:published,
// "not before 2019" when only a bound is known), a study's year unless its name says it.
function articleName(id, label) {
  var name = label || (BY_ID[id] ? BY_ID[id].label : id);
  var source = BY_ID[id] && BY_ID[id].kind === 'source';
  var date = source ? fieldOf(id, 'published') || fieldOf(id, 'date') : fieldOf(id, 'year') || fieldOf(id, 'published');
  return date && name.indexOf(date) < 0 ? name + ' (' + date + ')' : name;
}
function findingWords(f) { return FINDING[f] ? FINDING[f][2] : (f ? f.replace(/_/g, ' ') : 'no finding recorded'); }
function findingMark(f, large) {
  var k = FINDING[f] || ['\u00b7', '#66717f'];
  var s = el('span', 'dir' + (large ? ' big' : ''), k[0]);
  s.style.color = k[1]; s.title = findingWords(f); s.dataset.finding = f || 'none';
  return s;
}
function leadMark() { var c = chip('unverified lead (V2)', '#8a3f8f'); c.classList.add('v2'); c.title = 'seen only in a secondary source: shown, never counted'; return c; }
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
  if (fieldOf(id, 'verification') === 'V2') { card.appendChild(leadMark()); }
  if (cd.d) { card.appendChild(el('p', null, cd.d)); }
  if (cd.s) { card.appendChild(dl([['also called', cd.s.join('; ')]])); }
  if (n.kind === 'study') { studyEvidence(id); }
  if (cd.f) { if (n.kind === 'study') { card.appendChild(el('div', 'h', 'Facts')); } card.appendChild(dl(cd.f)); }
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
// A study's card: its finding and status, arms, outcomes with their results, primary records (each URL a link,
// the date seen, V or an "unverified lead (V2)" mark) and the source articles that report it, with their dates.
function studyEvidence(id) {
  var x = factsOf(id), ev = (DATA.cards[id] || {}).ev || {};
  var head = el('p', 'finding'); head.id = 'study-finding';
  head.appendChild(findingMark(x.finding, true));
  head.appendChild(document.createTextNode(' finding: ' + findingWords(x.finding) +
    (x.status ? ' \u00b7 status ' + x.status.replace(/_/g, ' ') + (x.status_as_of ? ' as of ' + x.status_as_of : '') : '') +
    (x.published ? ' \u00b7 published ' + x.published : '')));
  card.appendChild(head);
  if (ev.arms && ev.arms.length) {
    var arms = el('section', 'arms'); arms.id = 'study-arms';
    arms.appendChild(el('div', 'h', 'Arms (' + ev.arms.length + ')'));
    var al = el('ul', 'entries');
    ev.arms.forEach(function (a) {
      var li = el('li', 'arm'); li.dataset.arm = a.id;
      var role = jump(a.id, (a.arm_role || 'arm').replace(/_/g, ' ')); role.classList.add('role-tag'); li.appendChild(role);
      if (a.regimen) { li.appendChild(jump(a.regimen[0], a.regimen[1])); }
      var therapy = a.therapy && a.therapy !== 'not_applicable' ? a.therapy.replace(/_/g, '-') : '';
      li.appendChild(el('span', 'muted', ' ' + [therapy, a.n_randomised ? 'n = ' + a.n_randomised : (a.n_analysed ? 'n = ' + a.n_analysed + ' analysed' : 'n not recorded')]
        .filter(Boolean).join(' \u00b7 ')));
      if (a.background) { li.appendChild(el('div', 'muted', 'with ' + a.background)); }
      al.appendChild(li);
    });
    arms.appendChild(al); card.appendChild(arms);
  }
  if (ev.outcomes && ev.outcomes.length) {
    var outs = el('section', 'outcomes'); outs.id = 'study-outcomes';
    outs.appendChild(el('div', 'h', 'Outcomes and results (' + ev.outcomes.length + ')'));
    var ul = el('ul', 'entries');
    ev.outcomes.forEach(function (o) {
      var li = el('li', 'outcome'); li.dataset.outcome = o.id;
      var what = el('div');
      what.appendChild(el('span', 'role-tag', (o.outcome_role || 'outcome').replace(/_/g, '-')));
      what.appendChild(jump(o.id, o.measure));
      what.appendChild(el('span', 'muted', [o.timepoint, o.domain, o.better ? o.better + ' is better' : ''].filter(Boolean).join(' \u00b7 ')
        .replace(/^(.)/, ' $1')));
      li.appendChild(what);
      if (!o.results.length) { li.appendChild(el('div', 'muted', 'no result in the graph')); }
      o.results.forEach(function (r) { li.appendChild(resultLine(r, true)); });
      ul.appendChild(li);
    });
    outs.appendChild(ul); card.appendChild(outs);
  }
  if (ev.records && ev.records.length) {
    var recs = el('section', 'records'); recs.id = 'primary-records';
    recs.appendChild(el('div', 'h', 'Primary records (' + ev.records.length + ')'));
    var rl = el('ul', 'entries');
    ev.records.forEach(function (r) { rl.appendChild(recordEntry(r)); });
    recs.appendChild(rl); card.appendChild(recs);
  }
  var sources = (edgesOf[id] || []).filter(function (e) { return e.from === id && e.pred === 'reported_in'; });
  if (sources.length) {
    var src = el('section', 'sources'); src.id = 'source-articles';
    src.appendChild(el('div', 'h', 'Source articles that report it (' + sources.length + ')'));
    var sl = el('ul');
    sources.forEach(function (e) { var li = el('li'); li.appendChild(jump(e.to, articleName(e.to))); sl.appendChild(li); });
    src.appendChild(sl); card.appendChild(src);
  }
  if (hasDetails && (ev.arms || ev.outcomes || ev.records)) {
    var draw = el('button', null, 'Draw its arms, outcomes and records'); draw.type = 'button'; draw.id = 'draw-details';
    draw.addEventListener('click', function () {
      state.details = true; state.view = 'all'; state.cond = ''; state.sel = {n: id}; syncControls(); commit(true, {relayout: true});
    });
    card.appendChild(draw);
  }
}
// One result: its direction (mark and colour), its numbers in words, and an "unverified lead (V2)" mark.
function resultLine(r, withLabel, markedAbove) {
  var d = el('div', 'result'); d.dataset.result = r.id; d.dataset.direction = r.direction || 'none';
  d.appendChild(findingMark(r.direction));
  d.appendChild(el('span', 'numbers', ' ' + r.numbers));
  d.appendChild(el('span', 'muted', ' \u2192 ' + findingWords(r.direction)));
  if (r.verification === 'V2' && !markedAbove) { d.appendChild(document.createTextNode(' ')); d.appendChild(leadMark()); }
  if (withLabel && r.note) { d.appendChild(el('div', 'muted note', r.note)); }
  if (withLabel && r.record) {
    var from = el('div', 'muted'); from.appendChild(document.createTextNode('read from '));
    from.appendChild(jump(r.record[0], r.record[1])); d.appendChild(from);
  }
  return d;
}
// A URL as a link's text: without its scheme, cut to 90 characters (and by the card's width) (the full URL is the link and its title).
function shortUrl(u) { var s = u.replace(/^https?:\/\//, ''); return s.length > 90 ? s.slice(0, 89) + '\u2026' : s; }
// One primary record: its name, type, every URL where it was seen (a link only if http(s)), the date seen, V or V2.
function recordEntry(r) {
  var li = el('li', 'record'); li.dataset.record = r.id; li.dataset.verification = r.verification || '';
  var top = el('div'); top.appendChild(jump(r.id, r.label));
  if (r.record_type) { top.appendChild(el('span', 'muted', ' \u00b7 ' + r.record_type.replace(/_/g, ' '))); }
  if (r.published) { top.appendChild(el('span', 'muted', ' \u00b7 published ' + r.published)); }
  li.appendChild(top);
  var urls = el('div', 'urls');
  (r.urls || []).forEach(function (u) {
    var a = linkOrText(u[1], safeUrl(u[1]) ? shortUrl(u[0]) : u[0]); a.classList.add('record-url'); a.title = u[0];
    urls.appendChild(a);
  });
  if ((r.urls || []).length) { li.appendChild(urls); }
  var meta = el('div', 'muted');
  meta.appendChild(el('span', 'seen', r.seen ? 'seen ' + r.seen : 'date seen not recorded'));
  if (r.link_strength) { meta.appendChild(document.createTextNode(' \u00b7 link to the study: ' + r.link_strength)); }
  if (r.verification === 'V') { meta.appendChild(document.createTextNode(' \u00b7 primary record (V)')); }
  li.appendChild(meta);
  if (r.verification === 'V2') { li.appendChild(leadMark()); }
  return li;
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
  if (v.certainty) {
    var c = el('p', 'certainty'); c.dataset.certainty = v.certainty;
    c.appendChild(el('span', 'muted', 'certainty ')); c.appendChild(el('strong', null, v.certainty));
    box.appendChild(c);
  }
  if (v.n_studies !== undefined && v.n_studies !== '') {
    box.appendChild(el('p', 'muted', 'From ' + v.n_studies + ' independent stud' + (v.n_studies === '1' ? 'y' : 'ies') +
      (v.participants ? ' (' + v.participants + ' participants)' : '') + ', each counted once; reviews never counted.' +
      (v.regimens_counted ? ' Counted: ' + v.regimens_counted + '.' : '')));
  }
  if (v.reasons && v.reasons.length) {
    box.appendChild(el('div', 'sub', 'Why'));
    var ul = el('ul', 'reasons'); v.reasons.forEach(function (r) { ul.appendChild(el('li', null, r)); });
    box.appendChild(ul);
  }
  return box;
}
// The studies a verdict names, by role (docs/verdicts.md), each once, with its finding and its main results.
var ROLE_GROUPS = [
  ['counted', 'Counted', 'the body of evidence'],
  ['context', 'Context', 'weaker designs, not counted'],
  ['apart', 'Shown apart', 'other dose bands or combinations, not counted'],
  ['lead', 'Leads', 'results seen only in secondary sources: unverified, never counted']
];
function mainResults(sid) {
  var outs = ((DATA.cards[sid] || {}).ev || {}).outcomes || [], all = [], main = [];
  outs.forEach(function (o) {
    o.results.forEach(function (r) {
      all.push([o, r]); if (o.outcome_role === 'primary' || o.outcome_role === 'co_primary') { main.push([o, r]); }
    });
  });
  return {main: main.length ? main : all.slice(0, 1), total: all.length};
}
function verdictEntry(sid, role) {
  var x = factsOf(sid), row = el('li', 'study-entry');
  row.dataset.study = sid; row.dataset.role = role; row.dataset.finding = x.finding || 'none';
  row.appendChild(findingMark(x.finding, true));
  var main = el('div', 'entry-main');
  main.appendChild(jump(sid, BY_ID[sid] ? articleName(sid) : sid));
  var n = parseInt(x.n, 10);
  var meta = [fieldOf(sid, 'design'), isNaN(n) ? 'n unknown' : n.toLocaleString() + ' participants', findingWords(x.finding)];
  if (role === 'running' || !x.finding || x.finding === 'no_data') {
    meta.push('status ' + (x.status || 'unknown').replace(/_/g, ' ') + (x.status_as_of ? ' as of ' + x.status_as_of : ''));
  }
  if (x.published) { meta.push('published ' + x.published); }
  main.appendChild(el('div', 'muted', meta.filter(Boolean).join(' \u00b7 ')));
  if (role === 'lead') { main.appendChild(leadMark()); }
  var res = mainResults(sid);
  res.main.forEach(function (p) {
    var line = resultLine(p[1], false, role === 'lead');
    line.insertBefore(el('span', 'muted', ' ' + (p[0].outcome_role || '').replace(/_/g, '-') + ' ' + p[0].measure +
      (p[0].timepoint ? ' (' + p[0].timepoint + ')' : '') + ':'), line.childNodes[1]);
    main.appendChild(line);
  });
  if (res.total > res.main.length) {
    main.appendChild(el('div', 'muted', (res.total - res.main.length) + ' more result' +
      (res.total - res.main.length > 1 ? 's' : '') + ' on its card'));
  }
  if (!isNaN(n)) {
    var bar = el('span', 'n-bar'); bar.style.width = (6 + 28 * Math.log10(n + 1)) + 'px';
    bar.style.background = (FINDING[x.finding] || [0, '#c3c9d2'])[1]; bar.title = 'n = ' + n;
    main.appendChild(bar);
  }
  row.appendChild(main);
  return row;
}
function verdictStudies(v) {
  var sec = el('section', 'studies'); sec.id = 'independent-studies';
  var counted = (v.roles.counted || []).length;
  sec.appendChild(el('div', 'h', 'Independent studies (' + counted + ' counted)'));
  var any = false;
  ROLE_GROUPS.forEach(function (g) {
    var ids = (v.roles[g[0]] || []).filter(function (s) { return BY_ID[s]; });
    if (!ids.length) { return; }
    any = true;
    ids.sort(function (a, b) { return (parseInt(factsOf(b).n, 10) || 0) - (parseInt(factsOf(a).n, 10) || 0) || (a < b ? -1 : 1); });
    var head = el('div', 'group'); head.dataset.role = g[0];
    head.appendChild(document.createTextNode(g[1] + ' (' + ids.length + ') ')); head.appendChild(el('span', 'muted', g[2]));
    sec.appendChild(head);
    var ul = el('ul', 'entries'); ids.forEach(function (s) { ul.appendChild(verdictEntry(s, g[0])); });
    sec.appendChild(ul);
  });
  if (!any) { sec.appendChild(el('p', 'muted', 'No study of LDN with a result for this condition in the graph.')); }
  sec.appendChild(findingKey());
  return sec;
}
function findingKey() {
  var k = el('div', 'dir-key muted');
  ['benefit', 'no_difference', 'mixed', 'harm', 'uncertain'].forEach(function (f) {
    var s = el('span'); s.appendChild(findingMark(f)); s.appendChild(document.createTextNode(' ' + findingWords(f) + '  '));
    k.appendChild(s);
  });
  return k;
}
function verdictRunning(v) {
  var sec = el('section', 'running'); sec.id = 'running-trials';
  sec.appendChild(el('div', 'h', 'Trials still running'));
  var ids = (v.roles.running || []).filter(function (s) { return BY_ID[s]; });
  sec.appendChild(el('p', 'muted', ids.length ? 'Registered and not reported yet.' : 'None recorded as running.'));
  var ul = el('ul', 'entries'); ids.forEach(function (s) { ul.appendChild(verdictEntry(s, 'running')); });
  sec.appendChild(ul);
  return sec;
}
// Lines of the verdict as a list; "article 001: ..." names the source article, with its date.
function verdictList(id, title, lines) {
  var sec = el('section', 'verdict-list'); sec.id = id;
  sec.appendChild(el('div', 'h', title));
  var ul = el('ul', id === 'articles-claimed' ? 'entries' : null);
  lines.forEach(function (line) {
    var li = el('li'), m = /^article (\S+?):\s*(.*)$/.exec(line), src = null;
    if (m) {
      DATA.nodes.forEach(function (n) { if (!src && n[2] === 'source' && (n[0] === m[1] || n[0].indexOf(m[1] + '_') === 0)) { src = n[0]; } });
    }
    if (src) { li.appendChild(jump(src, articleName(src))); li.appendChild(el('div', 'muted', m[2])); }
    else { li.textContent = line; }
    ul.appendChild(li);
  });
  sec.appendChild(ul);
  return sec;
}
function conditionPanel(id) {
  var cd = DATA.cards[id] || {}, v = cd.verdict;
  card.classList.add('condition');
  if (cd.d) { card.appendChild(el('p', null, cd.d)); }
  if (cd.s) { card.appendChild(dl([['also called', cd.s.join('; ')]])); }
  card.appendChild(verdictSlot(id));
  var rows = conditionClaims(id), studies = studiesOf(id, rows);
  if (v && v.roles) {
    card.appendChild(verdictStudies(v));
    card.appendChild(verdictRunning(v));
    if (v.review_checks.length) { card.appendChild(verdictList('review-checks', 'Systematic reviews, checked against the verdict', v.review_checks)); }
    if (v.articles_claimed.length) { card.appendChild(verdictList('articles-claimed', 'What the source articles claimed', v.articles_claimed)); }
  } else {
    claimStudies(studies);
    runningTrials(studies);
  }
  mechanismSection(id);
  // The articles' own claims: behind the verdict, one click away (open by default when there is no verdict).
  var all = el('details', 'claims'); all.id = 'condition-claims'; all.open = !v;
  all.appendChild(el('summary', 'h', 'Claims the source articles make about ' + BY_ID[id].label + ', by study (' + rows.length + ')'));
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
// Without a computed verdict (a merged or synthetic graph): the studies the claims cite, grouped by design.
function claimStudies(studies) {
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
