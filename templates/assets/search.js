// Redline search: instant results from the static index under search/. Plain JavaScript,
// no framework, no build step. Without it the search page still lists every page as links.
//
// The index (written by `redline build`, see RedlineSearch) is split so a search fetches
// little: meta.json, the term shards a query's words fall in, and the section chunks of the
// results shown. Every word typed matches terms it begins ("retent" finds "retention"); a
// result must match every word; a match in a heading or title outranks one in the text.
(function () {
  "use strict";

  var results = document.getElementById("search-results");
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var allPages = document.getElementById("all-pages");
  if (!results || !form || !input || !window.fetch || !String.prototype.normalize) return;

  var status = document.getElementById("search-status");
  var list = results.querySelector(".result-list");
  var indexURL = new URL(results.getAttribute("data-index"), location.href);
  var PAGE = 10;
  var MAX_TERMS_PER_WORD = 50;
  var MAX_SHARDS_PER_WORD = 3;
  var meta = null;
  var files = {};
  var latest = 0;
  var shown = PAGE;

  // ---- the same terms as SearchText.words in Swift -------------------------------------

  function normalize(text) {
    return text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase().replace(/ς/g, "σ");
  }

  function words(text) {
    var seen = {};
    return normalize(text).split(/[^\p{L}\p{N}]+/u).map(function (word) {
      return Array.from(word).slice(0, 32).join("");
    }).filter(function (word) {
      if (Array.from(word).length < 2 || seen[word]) return false;
      seen[word] = true;
      return true;
    });
  }

  // ---- fetching ------------------------------------------------------------------------

  function load(path) {
    var url = new URL(path, indexURL);
    if (meta) url.searchParams.set("v", meta.id);
    var key = url.href;
    if (!files[key]) {
      files[key] = fetch(url.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
      files[key].catch(function () { delete files[key]; });
    }
    return files[key];
  }

  function loadMeta() {
    return meta ? Promise.resolve(meta) : load("meta.json").then(function (loaded) {
      if (loaded.version !== 1) throw new Error("unknown index format " + loaded.version);
      meta = loaded;
      return meta;
    });
  }

  // The shards whose term range can hold words starting with `prefix`.
  function shardsFor(prefix) {
    var starts = meta.shards;
    var low = 0, high = starts.length - 1, first = 0;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (starts[middle] <= prefix) { first = middle; low = middle + 1; } else { high = middle - 1; }
    }
    var numbers = [first];
    for (var next = first + 1; next < starts.length && starts[next].indexOf(prefix) === 0 && numbers.length < MAX_SHARDS_PER_WORD; next++) {
      numbers.push(next);
    }
    return numbers;
  }

  // ---- postings (PostingList in Swift) ---------------------------------------------------

  function decode(text) {
    var ids = [];
    if (!text) return ids;
    var bytes = atob(text.slice(1));
    var i, byte;
    if (text[0] === "d") {
      var previous = -1, gap = 0, scale = 1;
      for (i = 0; i < bytes.length; i++) {
        byte = bytes.charCodeAt(i);
        gap += (byte & 0x7f) * scale;
        if (byte & 0x80) { scale *= 128; continue; }
        previous += gap + 1;
        ids.push(previous);
        gap = 0;
        scale = 1;
      }
    } else if (text[0] === "b") {
      for (i = 0; i < bytes.length; i++) {
        byte = bytes.charCodeAt(i);
        for (var bit = 0; byte && bit < 8; bit++) if (byte & (1 << bit)) ids.push(i * 8 + bit);
      }
    }
    return ids;
  }

  // Section number → score for one word: heading 3, text 1; a longer term the word only
  // begins counts 60%, so "data" ranks "data" above "database".
  function scoresFor(word) {
    return Promise.all(shardsFor(word).map(function (n) { return load("terms/" + n + ".json"); })).then(function (shards) {
      var scores = new Map();
      var matched = 0;
      shards.forEach(function (rows) {
        for (var r = 0; r < rows.length && matched < MAX_TERMS_PER_WORD; r++) {
          var term = rows[r][0];
          if (term.indexOf(word) !== 0) continue;
          matched++;
          var factor = term === word ? 1 : 0.6;
          [[rows[r][1], 1], [rows[r][2], 3]].forEach(function (pair) {
            decode(pair[0]).forEach(function (id) { scores.set(id, (scores.get(id) || 0) + pair[1] * factor); });
          });
        }
      });
      return scores;
    });
  }

  function rank(perWord) {
    perWord.sort(function (a, b) { return a.size - b.size; });
    var ranked = [];
    perWord[0].forEach(function (score, id) {
      for (var w = 1; w < perWord.length; w++) {
        var other = perWord[w].get(id);
        if (other === undefined) return;
        score += other;
      }
      ranked.push({ id: id, score: score });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return ranked;
  }

  // Looks sections up in their chunks: [{url, title, label}, [page, anchor, heading, snippet], ...].
  function describe(ids) {
    var chunkNumbers = [];
    ids.forEach(function (id) {
      var n = Math.floor(id / meta.chunkSize);
      if (chunkNumbers.indexOf(n) < 0) chunkNumbers.push(n);
    });
    return Promise.all(chunkNumbers.map(function (n) { return load("sections/" + n + ".json"); })).then(function (chunks) {
      var byChunk = {};
      chunkNumbers.forEach(function (n, i) {
        var pages = [], sections = [];
        chunks[i].forEach(function (entry) { (Array.isArray(entry) ? sections : pages).push(entry); });
        byChunk[n] = { pages: pages, sections: sections };
      });
      return ids.map(function (id) {
        var chunk = byChunk[Math.floor(id / meta.chunkSize)];
        var section = chunk.sections[id % meta.chunkSize];
        var page = chunk.pages[section[0]];
        return { url: page.u + (section[1] ? "#" + section[1] : ""), title: page.t, label: page.l, heading: section[2], snippet: section[3] };
      });
    });
  }

  // ---- showing ---------------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The snippet as text nodes, with the words that match the query in <mark>.
  function highlighted(snippet, queryWords) {
    var paragraph = element("p", "result-snippet");
    (snippet.match(/[\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+/gu) || []).forEach(function (piece) {
      var folded = normalize(piece);
      var hit = queryWords.some(function (word) { return folded.indexOf(word) === 0; });
      paragraph.appendChild(hit ? element("mark", null, piece) : document.createTextNode(piece));
    });
    return paragraph;
  }

  function show(query, queryWords, ranked, found) {
    list.textContent = "";
    found.forEach(function (result) {
      var item = element("li", "result");
      var link = element("a", "result-link");
      link.href = result.url;
      link.appendChild(element("span", "result-title", result.title));
      if (result.heading) {
        link.appendChild(element("span", "result-separator", " › "));
        link.appendChild(element("span", "result-heading", result.heading));
      }
      item.appendChild(link);
      item.appendChild(element("p", "result-label", result.label));
      if (result.snippet) item.appendChild(highlighted(result.snippet, queryWords));
      list.appendChild(item);
    });
    var count = ranked.length;
    status.textContent = count === 0 ? "No results for “" + query + "”. Try fewer or shorter words, or browse all pages below."
      : (count === 1 ? "1 result" : count + " results") + " for “" + query + "”" +
        (found.length < count ? ", showing the first " + found.length + "." : ".");
    var more = results.querySelector(".more-results");
    if (found.length < count) {
      if (!more) {
        more = element("button", "more-results", "Show more results");
        more.type = "button";
        more.addEventListener("click", function () { shown += PAGE; run(false); });
        results.appendChild(more);
      }
    } else if (more) {
      more.remove();
    }
  }

  function setVisible(searching) {
    results.hidden = !searching;
    if (allPages) allPages.hidden = searching;
  }

  function run(resetPaging) {
    var query = input.value.trim();
    var queryWords = words(query);
    var ticket = ++latest;
    if (resetPaging) shown = PAGE;
    updateAddress(query);
    if (!query) { setVisible(false); return; }
    setVisible(true);
    if (!queryWords.length) {
      list.textContent = "";
      status.textContent = "Type at least two letters or digits.";
      return;
    }
    loadMeta().then(function () {
      return Promise.all(queryWords.map(scoresFor));
    }).then(function (perWord) {
      var ranked = rank(perWord).filter(function (r) { return inScope(r.id); });
      return describe(ranked.slice(0, shown).map(function (r) { return r.id; })).then(function (found) {
        if (ticket === latest) show(query, queryWords, ranked, found);
      });
    }).catch(function () {
      if (ticket !== latest) return;
      list.textContent = "";
      status.textContent = "Search is not available right now. Every page is listed below.";
      if (allPages) allPages.hidden = false;
    });
  }

  function updateAddress(query) {
    var url = new URL(location.href);
    var version = scope ? scope.value : "";
    if ((url.searchParams.get("q") || "") === query && (url.searchParams.get("version") || "") === version) return;
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    if (version) url.searchParams.set("version", version); else url.searchParams.delete("version");
    history.replaceState(null, "", url.href);
  }

  // ---- the version filter: meta.scopes gives each docs version's section ids ------------

  var scope = document.getElementById("search-scope");
  var scopeBox = scope && scope.closest(".search-scope");
  var latestVersion = scopeBox ? scopeBox.getAttribute("data-latest") : null;

  function within(id, ranges) {
    return ranges.some(function (range) { return id >= range[0] && id < range[1]; });
  }

  // By default older docs versions are left out; "all" keeps everything; a version keeps only it.
  function inScope(id) {
    if (!scope || !meta || !meta.scopes || scope.value === "all") return true;
    var owner = null;
    meta.scopes.forEach(function (s) { if (within(id, s.ranges)) owner = s.name; });
    if (scope.value === "") return owner === null || owner === latestVersion;
    return owner === scope.value;
  }

  if (scope) {
    var wanted = new URL(location.href).searchParams.get("version");
    if (wanted && Array.prototype.some.call(scope.options, function (o) { return o.value === wanted; })) scope.value = wanted;
    scopeBox.hidden = false;
    scope.addEventListener("change", function () { run(true); });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(true); }, 80);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });

  var initial = new URL(location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    run(true);
  }
  loadMeta().catch(function () { /* reported when a search needs it */ });
})();
