/// The admin statistics page's script: reads the form, asks the stats API with the key typed
/// in, and draws inline SVG charts with a table beside each. Elements are made with the DOM,
/// never from HTML text, so nothing the API returns can run as markup.
enum AdminPageScript {
    static let source = #"""
    "use strict";
    (function () {
      const SVG = "http://www.w3.org/2000/svg";
      let key = "";

      function el(name, attrs, text) {
        const node = name.startsWith("svg:") ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
        for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
        if (text !== undefined) node.textContent = String(text);
        return node;
      }

      function percent(rate) { return rate === null || rate === undefined ? "n/a" : Math.round(rate * 100) + " %"; }
      function regionName(r) { return (r.region ? r.region : "unknown") + " · " + r.mode; }
      function noticeName(r) { return r.notice ? r.notice : "none named"; }

      function status(text, isError) {
        const node = document.getElementById("status");
        node.textContent = text;
        node.className = isError ? "error" : "";
      }

      function table(headers, rows) {
        const t = el("table");
        const head = el("tr");
        headers.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
        t.appendChild(el("thead")).appendChild(head);
        const body = t.appendChild(el("tbody"));
        rows.forEach(function (cells) {
          const tr = body.appendChild(el("tr"));
          cells.forEach(function (c, i) { tr.appendChild(el(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {}, c)); });
        });
        return t;
      }

      function legend(svg, x, y, items) {
        items.forEach(function (item, i) {
          svg.appendChild(el("svg:rect", { x: x + i * 170, y: y, width: 12, height: 12, class: "key-" + item[0] }));
          svg.appendChild(el("svg:text", { x: x + i * 170 + 18, y: y + 11 }, item[1]));
        });
      }

      function dailyChart(days) {
        const width = 720, height = 260, left = 48, bottom = 40, top = 30;
        const max = Math.max(1, ...days.map(function (d) { return Math.max(d.impressions, d.decisions); }));
        const svg = el("svg:svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-labelledby": "daily-svg-title" });
        svg.appendChild(el("svg:title", { id: "daily-svg-title" }, "Impressions and decisions per day, " + days.length + " days; the table below has the numbers"));
        legend(svg, left, 4, [["impressions", "Impressions"], ["decisions", "Decisions"]]);
        const plot = height - bottom - top, slot = (width - left - 10) / Math.max(1, days.length);
        const bar = Math.max(2, Math.min(24, slot / 2 - 2));
        svg.appendChild(el("svg:line", { x1: left, y1: top + plot, x2: width - 10, y2: top + plot, class: "axis" }));
        svg.appendChild(el("svg:text", { x: 4, y: top + 10 }, max));
        svg.appendChild(el("svg:text", { x: 4, y: top + plot }, 0));
        days.forEach(function (d, i) {
          const x = left + i * slot + slot / 2 - bar;
          [["impressions", d.impressions, 0], ["decisions", d.decisions, bar]].forEach(function (b) {
            const h = plot * b[1] / max;
            const rect = svg.appendChild(el("svg:rect", { x: x + b[2], y: top + plot - h, width: bar, height: h, class: "bar-" + b[0] }));
            rect.appendChild(el("svg:title", {}, d.day + ": " + b[1] + " " + b[0]));
          });
          if (days.length <= 12 || i % Math.ceil(days.length / 12) === 0) {
            svg.appendChild(el("svg:text", { x: left + i * slot + slot / 2, y: height - bottom + 16, "text-anchor": "middle" }, d.day.slice(5)));
          }
        });
        return svg;
      }

      function rateChart(id, rows, name) {
        const width = 720, row = 44, left = 200, top = 30, scale = width - left - 70;
        const height = top + Math.max(1, rows.length) * row + 10;
        const svg = el("svg:svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-labelledby": id + "-svg-title" });
        svg.appendChild(el("svg:title", { id: id + "-svg-title" }, "Interaction and acceptance rates, " + rows.length + " rows; the table below has the numbers"));
        legend(svg, left, 4, [["interaction", "Interaction rate"], ["acceptance", "Acceptance rate"]]);
        rows.forEach(function (r, i) {
          const y = top + i * row;
          svg.appendChild(el("svg:text", { x: 4, y: y + 22 }, name(r)));
          [["interaction", r.interactionRate, 2], ["acceptance", r.acceptanceRate, 22]].forEach(function (b) {
            const w = b[1] === null ? 0 : scale * Math.min(1, b[1]);
            const rect = svg.appendChild(el("svg:rect", { x: left, y: y + b[2], width: w, height: 18, class: "bar-" + b[0] }));
            rect.appendChild(el("svg:title", {}, name(r) + ": " + b[0] + " rate " + percent(b[1])));
            svg.appendChild(el("svg:text", { x: left + w + 6, y: y + b[2] + 14 }, percent(b[1])));
          });
        });
        return svg;
      }

      function rateRows(rows, name) {
        return rows.map(function (r) {
          return [name(r), r.impressions, r.decisions, r.accepted, percent(r.interactionRate), percent(r.acceptanceRate)];
        });
      }

      function place(id, node) {
        const holder = document.getElementById(id);
        holder.replaceChildren(node);
      }

      function show(stats) {
        const totals = document.getElementById("totals");
        totals.replaceChildren();
        [["Period", stats.from + " to " + stats.to], ["Impressions", stats.reach.impressions], ["Decisions", stats.total],
         ["Interaction rate", percent(stats.reach.interactionRate)], ["Acceptance rate", percent(stats.reach.acceptanceRate)]]
          .forEach(function (pair) { totals.appendChild(el("dt", {}, pair[0])); totals.appendChild(el("dd", {}, pair[1])); });
        const rateHeaders = ["", "Impressions", "Decisions", "Accepted all", "Interaction rate", "Acceptance rate"];
        place("daily-chart", dailyChart(stats.daily));
        place("daily-table", table(["Day", "Impressions", "Decisions", "Accepted all"],
          stats.daily.map(function (d) { return [d.day, d.impressions, d.decisions, d.accepted]; })));
        place("region-chart", rateChart("region", stats.byRegion, regionName));
        place("region-table", table(["Region · mode"].concat(rateHeaders.slice(1)), rateRows(stats.byRegion, regionName)));
        place("notice-chart", rateChart("notice", stats.byNotice, noticeName));
        place("notice-table", table(["Banner text"].concat(rateHeaders.slice(1)), rateRows(stats.byNotice, noticeName)));
        document.getElementById("report").hidden = false;
      }

      // "Was this page helpful?" on the docs: counts per page, and the latest comments (as text, never as HTML).
      async function showFeedback() {
        const response = await fetch("/api/v1/admin/feedback", {
          headers: { Authorization: "Bearer " + key }, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
        if (!response.ok) return;
        const feedback = await response.json();
        place("feedback-table", table(["Page", "Version", "Helpful", "Not helpful"],
          feedback.pages.map(function (p) { return [p.page, p.version, p.helpful, p.notHelpful]; })));
        place("feedback-comments", table(["Page", "Day", "Answer", "Comment"],
          feedback.comments.map(function (c) { return [c.page, c.day, c.helpful ? "helpful" : "not helpful", c.comment]; })));
      }

      async function load(event) {
        event.preventDefault();
        const form = event.target;
        key = form.elements.key.value.trim() || key;
        const query = new URLSearchParams();
        if (form.elements.from.value) query.set("from", form.elements.from.value);
        if (form.elements.to.value) query.set("to", form.elements.to.value);
        status("Loading…", false);
        try {
          const response = await fetch("/api/v1/admin/consent/stats?" + query, {
            headers: { Authorization: "Bearer " + key }, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
          const body = await response.json();
          if (!response.ok) {
            status((body.error && body.error.message) || ("The server answered " + response.status), true);
            return;
          }
          show(body);
          status("Showing " + body.from + " to " + body.to + ".", false);
          await showFeedback();
        } catch (error) {
          status("Could not read the statistics: " + error.message, true);
        }
      }

      document.addEventListener("DOMContentLoaded", function () {
        document.getElementById("stats-form").addEventListener("submit", load);
      });
    })();
    """#
}
