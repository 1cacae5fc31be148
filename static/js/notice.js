/* The notice page: find in the notice, and the table of contents following the reader.
 *
 * Without this script the find box is a plain form (?q= reloads the page with the words
 * marked by the server). With it, typing marks matches at once, Enter / ↓ / ↑ step
 * through them, Esc clears. Matching ignores case, full/half width and white space, like
 * the server's search; traditional/simplified folding is the server's job (submit the form).
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-find]");
  var scopes = Array.prototype.slice.call(document.querySelectorAll("[data-find-scope]"));
  if (!form || !scopes.length) return;

  var input = form.querySelector("input[type=search]");
  var counter = form.querySelector("[data-find-count]");
  var nav = form.querySelector("[data-find-nav]");
  var hits = [];      // one entry per match: the <mark> elements that show it
  var current = -1;
  var searched = null;  // the words the current marks are for
  var MAX_HITS = 2000;
  var BLOCKS = "p, li, h1, h2, h3, h4, h5, dd, dt, td, th";

  function fold(ch) {
    var n = ch.normalize ? ch.normalize("NFKC") : ch;
    n = n.toLowerCase();
    return n.length === 1 ? n : ch.toLowerCase();
  }

  function clearMarks() {
    scopes.forEach(function (scope) {
      var marks = scope.querySelectorAll("mark");
      Array.prototype.forEach.call(marks, function (mark) {
        var parent = mark.parentNode;
        while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
        parent.removeChild(mark);
        parent.normalize();
      });
    });
    hits = [];
    current = -1;
  }

  // Text nodes grouped by their nearest block, so a match may cross inline tags but not paragraphs.
  function textGroups(scope) {
    var groups = new Map();
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (!node.nodeValue.trim()) return NodeFilter.FILTER_REJECT;  // white space never matters to a match
        return node.parentElement.closest(".visually-hidden, .para-link, .problem-tools, script, style")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var node;
    while ((node = walker.nextNode())) {
      var block = node.parentElement.closest(BLOCKS) || scope;
      if (!groups.has(block)) groups.set(block, []);
      groups.get(block).push(node);
    }
    return Array.from(groups.values());
  }

  function findIn(nodes, needle) {
    // Folded characters without white space, each remembering its node and offset.
    var chars = [], where = [];
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      for (var i = 0; i < text.length; i++) {
        if (/\s/.test(text[i])) continue;
        chars.push(fold(text[i]));
        where.push([node, i]);
      }
    });
    var hay = chars.join("");
    var found = [];
    var at = hay.indexOf(needle);
    while (at !== -1 && hits.length + found.length < MAX_HITS) {
      found.push([where[at], where[at + needle.length - 1]]);
      at = hay.indexOf(needle, at + needle.length);
    }
    return found;
  }

  function wrap(start, end) {
    // Mark from start=[node, offset] to end=[node, offset] inclusive, node by node.
    var marks = [];
    var startNode = start[0], endNode = end[0];
    var nodes = [];
    var walker = document.createTreeWalker(startNode.parentNode.closest(BLOCKS) || document.body, NodeFilter.SHOW_TEXT);
    walker.currentNode = startNode;
    var node = startNode;
    while (node) {
      nodes.push(node);
      if (node === endNode) break;
      node = walker.nextNode();
    }
    nodes.forEach(function (textNode, index) {
      var from = index === 0 ? start[1] : 0;
      var to = textNode === endNode ? end[1] + 1 : textNode.nodeValue.length;
      if (to <= from) return;
      var range = document.createRange();
      range.setStart(textNode, from);
      range.setEnd(textNode, to);
      var mark = document.createElement("mark");
      mark.className = "find-hit";
      range.surroundContents(mark);
      marks.push(mark);
    });
    return marks;
  }

  function find(raw) {
    clearMarks();
    searched = raw;
    var needle = Array.from(raw.replace(/\s+/g, "")).map(fold).join("");
    if (!needle) { report(); return; }
    scopes.forEach(function (scope) {
      textGroups(scope).forEach(function (nodes) {
        // Wrap from the last match back, so earlier offsets stay valid.
        var found = findIn(nodes, needle);
        var marksFound = [];
        for (var i = found.length - 1; i >= 0; i--) marksFound.unshift(wrap(found[i][0], found[i][1]));
        hits = hits.concat(marksFound);
      });
    });
    report();
  }

  function adoptServerMarks() {
    hits = [];
    searched = input.value;
    scopes.forEach(function (scope) {
      Array.prototype.forEach.call(scope.querySelectorAll("mark"), function (mark) { hits.push([mark]); });
    });
    report();
  }

  function report() {
    var total = hits.length;
    nav.hidden = total < 1;
    if (!input.value.trim()) counter.textContent = "";
    else if (!total) counter.textContent = "没有找到";
    else if (current < 0) counter.textContent = "本页共 " + total + " 处";
    else counter.textContent = "第 " + (current + 1) + " / " + total + " 处";
  }

  function go(step) {
    if (!hits.length) return;
    if (current >= 0) hits[current].forEach(function (m) { m.classList.remove("find-current"); });
    current = (current + step + hits.length) % hits.length;
    var marks = hits[current];
    marks.forEach(function (m) { m.classList.add("find-current"); });
    var details = marks[0].closest("details");
    if (details) details.open = true;
    marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    report();
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { find(input.value); }, 160);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    if (input.value !== searched) find(input.value);
    go(1);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; clearMarks(); searched = ""; report(); }
    else if (event.key === "Enter" && event.shiftKey) { event.preventDefault(); go(-1); }
  });
  form.querySelector("[data-find-next]").addEventListener("click", function () { go(1); });
  form.querySelector("[data-find-prev]").addEventListener("click", function () { go(-1); });
  if (input.value.trim()) adoptServerMarks();

  // The table of contents marks the problem being read.
  var toc = document.querySelector(".toc");
  if (toc && "IntersectionObserver" in window) {
    var links = new Map();
    Array.prototype.forEach.call(toc.querySelectorAll("a[href^='#problem-'], a[href^='#category-']"), function (a) {
      links.set(a.getAttribute("href").slice(1), a);
    });
    var active = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var link = links.get(entry.target.id);
        if (!link || link === active) return;
        if (active) active.classList.remove("toc-current");
        link.classList.add("toc-current");
        active = link;
        var box = toc.getBoundingClientRect(), row = link.getBoundingClientRect();
        if (getComputedStyle(toc).position === "sticky" && (row.top < box.top || row.bottom > box.bottom)) {
          toc.scrollTop += row.top - box.top - box.height / 3;
        }
      });
    }, { rootMargin: "-15% 0px -70% 0px" });
    links.forEach(function (_, id) {
      var target = document.getElementById(id);
      if (target) observer.observe(target);
    });
  }
})();
