(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sscguard-data').textContent);
  var rank = {info: 0, low: 1, medium: 2, high: 3, critical: 4};
  var table = document.getElementById('findings-table');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById('filter');
  var minsev = document.getElementById('minsev');
  var shown = document.getElementById('shown-count');

  function applyFilter() {
    var needle = filter.value.toLowerCase();
    var floor = rank[minsev.value] || 0;
    var n = 0;
    rows.forEach(function (row) {
      var ok = (rank[row.getAttribute('data-severity')] >= floor) &&
        (needle === '' || row.textContent.toLowerCase().indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  filter.addEventListener('input', applyFilter);
  minsev.addEventListener('change', applyFilter);

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    if (!th.classList.contains('sortable')) { return; }
    th.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var numeric = th.getAttribute('data-type') === 'number';
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute('data-sort') || a.cells[index].textContent;
        var y = b.cells[index].getAttribute('data-sort') || b.cells[index].textContent;
        var cmp = numeric ? (Number(x) - Number(y)) : x.localeCompare(y);
        return asc ? cmp : -cmp;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  // Timeline: one lane per kind of event, one dot per timed piece of evidence.
  var svgNS = 'http://www.w3.org/2000/svg';
  var svg = document.getElementById('chart');
  var events = data.events;
  var lanes = ['file change', 'request', 'process', 'other'];
  var W = 1000, H = 220, left = 110, right = 20, top = 20, laneH = 42;
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  function el(name, attrs, text) {
    var node = document.createElementNS(svgNS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    svg.appendChild(node);
    return node;
  }
  lanes.forEach(function (lane, i) {
    var y = top + i * laneH + laneH / 2;
    el('text', {x: 8, y: y + 4, 'class': 'lane', 'font-size': 12, fill: '#5b6670'}, lane);
    el('line', {x1: left, x2: W - right, y1: y, y2: y, stroke: '#dde2e6'});
  });
  if (events.length === 0) {
    el('text', {x: left, y: H / 2, 'font-size': 13, fill: '#5b6670'}, 'no timed events in this report');
    return;
  }
  var times = events.map(function (e) { return Date.parse(e.time); }).filter(function (t) { return !isNaN(t); });
  var t0 = Math.min.apply(null, times), t1 = Math.max.apply(null, times);
  if (t1 === t0) { t1 = t0 + 1000; }
  var colors = {critical: '#8b0000', high: '#c62828', medium: '#b26a00', low: '#1565c0', info: '#607d8b'};
  events.forEach(function (e) {
    var t = Date.parse(e.time);
    if (isNaN(t)) { return; }
    var lane = Math.max(0, lanes.indexOf(e.lane));
    var x = left + (W - left - right) * (t - t0) / (t1 - t0);
    var y = top + lane * laneH + laneH / 2;
    var dot = el('circle', {cx: x.toFixed(1), cy: y, r: 6, fill: colors[e.severity] || '#607d8b',
      'class': 'event', 'data-rule': e.rule});
    var tip = document.createElementNS(svgNS, 'title');
    tip.textContent = e.time + '  ' + e.rule + '  ' + e.subject;
    dot.appendChild(tip);
  });
  el('text', {x: left, y: H - 6, 'font-size': 11, fill: '#5b6670'}, new Date(t0).toISOString());
  el('text', {x: W - right, y: H - 6, 'font-size': 11, fill: '#5b6670', 'text-anchor': 'end'},
     new Date(t1).toISOString());
}());
