import Foundation
import Hummingbird
import NIOCore

/// `/admin/consent/`: a page that charts the consent statistics for the operator. The page, its
/// script and its style sheet are static and hold no secret: the operator types an admin key,
/// the script (first-party, no inline code, so the site's Content-Security-Policy holds) sends
/// it to `GET /api/v1/admin/consent/stats` and keeps it only in memory. Built into the binary,
/// as the notice templates are, so the installed server needs no file beside it.
struct AdminPage: Sendable {
    static let path = "/admin/consent"

    func add(to router: Router<ServerContext>) {
        // Written out: a route takes a literal path, not `path` built into a string.
        router.get("/admin/consent") { _, _ in Self.file(Self.html, type: "text/html; charset=utf-8") }
        router.get("/admin/consent/stats.js") { _, _ in Self.file(AdminPageScript.source, type: "text/javascript; charset=utf-8") }
        router.get("/admin/consent/stats.css") { _, _ in Self.file(Self.css, type: "text/css; charset=utf-8") }
    }

    static func file(_ text: String, type: String) -> Response {
        // no-store: a page that is about to hold a key in a form is never kept by a shared cache.
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <meta name="referrer" content="no-referrer">
    <title>Consent statistics</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="\(path)/stats.css">
    <script src="\(path)/stats.js" defer></script>
    </head>
    <body>
    <main>
    <h1>Consent statistics</h1>
    <form id="stats-form" autocomplete="off">
      <p><label for="key">Admin API key</label>
      <input id="key" name="key" type="password" required spellcheck="false" aria-describedby="key-help">
      <span id="key-help" class="help">Made with <code>redline keys create</code>. Sent only to this server, kept only while the page is open.</span></p>
      <p><label for="from">From</label> <input id="from" name="from" type="date">
      <label for="to">to</label> <input id="to" name="to" type="date">
      <button type="submit">Show</button></p>
    </form>
    <p id="status" role="status" aria-live="polite"></p>
    <div id="report" hidden>
      <section aria-labelledby="totals-title"><h2 id="totals-title">In all</h2><dl id="totals"></dl></section>
      <section aria-labelledby="daily-title"><h2 id="daily-title">Impressions and decisions per day</h2>
        <div id="daily-chart" class="chart"></div>
        <details><summary>As a table</summary><div id="daily-table"></div></details></section>
      <section aria-labelledby="region-title"><h2 id="region-title">Rates by region and mode</h2>
        <div id="region-chart" class="chart"></div>
        <details><summary>As a table</summary><div id="region-table"></div></details></section>
      <section aria-labelledby="notice-title"><h2 id="notice-title">Rates by banner text</h2>
        <div id="notice-chart" class="chart"></div>
        <details><summary>As a table</summary><div id="notice-table"></div></details></section>
      <p class="help">Interaction rate: decisions ÷ impressions. Acceptance rate: decisions that granted every optional
      category ÷ decisions. Impressions are counted per day, region, mode and banner text only.</p>
      <section aria-labelledby="feedback-title"><h2 id="feedback-title">Docs feedback</h2>
        <p class="help">"Was this page helpful?" answers per docs page, and the latest comments. Nothing about who answered is kept.
        As CSV: <code>GET /api/v1/admin/feedback.csv</code> and <code>/api/v1/admin/feedback/comments.csv</code>.</p>
        <div id="feedback-table"></div>
        <h3>Latest comments</h3>
        <div id="feedback-comments"></div></section>
    </div>
    </main>
    </body>
    </html>
    """

    static let css = """
    body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
    main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
    h1 { font-size: 1.6rem; }
    h2 { font-size: 1.2rem; margin-top: 2rem; }
    label { font-weight: 600; margin-right: .3rem; }
    input, button { font: inherit; padding: .25rem .4rem; }
    button { cursor: pointer; }
    .help { color: #555; font-size: .9rem; display: block; }
    #status.error { color: #a4000f; font-weight: 600; }
    dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .chart svg { width: 100%; height: auto; max-width: 64rem; }
    .chart text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
    .bar-impressions, .key-impressions { fill: #9bb7d4; }
    .bar-decisions, .key-decisions { fill: #1d4e89; }
    .bar-interaction, .key-interaction { fill: #1d4e89; }
    .bar-acceptance, .key-acceptance { fill: #2e8540; }
    .axis { stroke: #767676; stroke-width: 1; }
    table { border-collapse: collapse; margin: .5rem 0; }
    th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: right; }
    th:first-child, td:first-child { text-align: left; }
    :focus-visible { outline: 3px solid #1d4e89; outline-offset: 2px; }
    """
}
