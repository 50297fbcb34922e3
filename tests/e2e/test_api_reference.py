"""The API reference built from each docs version's OpenAPI file, and docs/<version>/changes/."""
import re
import xml.etree.ElementTree as ElementTree

NOW = "2026-11-21"


def page(workdir, path):
    return (workdir / "public" / path / "index.html").read_text()


def test_each_tag_gets_a_page_with_every_operation_and_the_pages_join_navigation_search_and_sitemap(run, workdir):
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr

    index = page(workdir, "docs/v2/reference")
    assert '<a href="/docs/v2/reference/shipments/">Shipments</a>' in index and '<a href="/docs/v2/reference/events/">Events</a>' in index
    assert '<a href="/docs/v2/openapi.yaml">download</a>' in index and (workdir / "public/docs/v2/openapi.yaml").exists()
    assert "<code>bearerAuth</code>: HTTP bearer token" in index

    shipments = page(workdir, "docs/v2/reference/shipments")
    # Every operation of the tag, by its summary, with method and path.
    headings = re.findall(r'<h2 id="(?!toc-title)([^"]+)">\s*([^<]+?)\s*</h2>', shipments)
    assert [text for _, text in headings] == ["List shipments", "Create a shipment", "Get a shipment", "Cancel a shipment"]
    assert "<strong><code>DELETE /shipments/{id}</code></strong>" in shipments
    # Parameters, the request body's fields from $refs (nested objects, arrays of objects, enums), responses.
    assert "<td><code>limit</code> · query</td>\n<td>integer</td>\n<td>≥ 1; ≤ 100; default <code>20</code>.</td>" in shipments
    assert "<code>carrier</code> <em>string</em> · <strong>required</strong> · one of <code>&quot;royalmail&quot;</code>, <code>&quot;dpd&quot;</code>" in shipments
    assert "<code>parcels</code> <em>array of Parcel</em> · <strong>required</strong> · at least 1 items" in shipments
    assert "<code>length</code> <em>integer</em>" in shipments, "a nested object's fields are listed inside it"
    assert "<code>id</code> <em>string</em> · <strong>required</strong> · read-only" in shipments
    assert "<code>422</code> The carrier refused the address or a parcel. (<code>application/problem+json</code>: Problem)" in shipments
    # The generated curl request, highlighted like any code block, with the spec's own example body.
    curl = re.search(r'<pre><code class="language-bash">(.*?)</code></pre>', shipments, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", curl).replace("&quot;", '"').replace("&#39;", "'")
    assert text.startswith("curl -X GET 'https://api.parcelbird.example/v2/shipments' \\\n  -H \"Authorization: Bearer $TOKEN\"")
    assert 'class="nb"' in curl or 'class="s' in curl, "the example is highlighted"
    assert '"postcode": "NW1 6XE"' in re.sub(r"<[^>]+>", "", shipments).replace("&quot;", '"')

    events = page(workdir, "docs/v2/reference/events")
    assert "One of: <strong>TrackingEvent</strong>" in events and "<strong>LabelEvent</strong>" in events, "oneOf shows each alternative"

    # Navigation, version switcher, search, sitemap.
    assert '<a href="/docs/v2/reference/shipments/" aria-current="page">Shipments</a>' in shipments
    assert '<a href="/docs/v1/reference/shipments/">v1</a>' in shipments, "the switcher keeps the reader on the same reference page"
    assert "page not in v1" in events
    sitemap = (workdir / "public/sitemap.xml").read_text()
    assert "https://legal.parcelbird.example/docs/v2/reference/shipments/" in sitemap
    assert "https://legal.parcelbird.example/docs/v2/changes/" in sitemap
    sections = "".join(p.read_text() for p in (workdir / "public/search/sections").glob("*.json"))
    assert "/docs/v2/reference/shipments/" in sections


def test_the_changes_page_lists_the_apis_breaking_changes_with_links_to_both_references_and_a_feed(run, workdir):
    assert run("build", "--now", NOW).returncode == 0
    changes = page(workdir, "docs/v2/changes")
    breaking = changes[changes.index("Breaking changes"):changes.index("Other changes")]
    assert ('<span class="breaking-badge">Breaking</span> <code>POST /shipments</code>: request field values removed <code>carrier</code> '
            '(&quot;evri&quot;) · <a href="/docs/v2/reference/shipments/#create-a-shipment">v2 reference</a> · '
            '<a href="/docs/v1/reference/shipments/#create-a-shipment">v1 reference</a>') in breaking
    assert "<code>GET /labels/{id}</code>: operation removed" in breaking
    other = changes[changes.index("Other changes"):changes.index('id="pages-changed"')]
    assert "<code>DELETE /shipments/{id}</code>: operation added" in other
    assert '<a href="/docs/v2/webhooks/">Webhooks</a>' in changes, "pages added since v1"
    assert "<ins" in changes and "<del" in changes, "changed pages come with their redline"
    assert '<a href="/docs/v2/changes/" aria-current="page">What changed since v1</a>' in changes
    assert not (workdir / "public/docs/v1/changes").exists(), "the first version has nothing to compare with"

    feed = ElementTree.parse(workdir / "public/docs/v2/changes/feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 18
    titles = [entry.find(f"{atom}title").text for entry in entries]
    assert "Breaking: POST /shipments: request field made required: `to.country`" in titles
    assert sum(1 for entry in entries if entry.find(f"{atom}category").get("term") == "breaking") == 12
    assert len({entry.find(f"{atom}id").text for entry in entries}) == 18


def test_a_broken_openapi_file_is_a_check_error_at_its_line_and_stops_the_build(run, workdir):
    spec = workdir / "content/docs/v2/openapi.yaml"
    text = spec.read_text()
    line = text.splitlines().index("            schema: { $ref: \"#/components/schemas/NewShipment\" }") + 1
    spec.write_text(text.replace('$ref: "#/components/schemas/NewShipment"', '$ref: "#/components/schemas/NewShipmnt"'))
    result = run("check", "--now", NOW)
    assert result.returncode == 1
    assert f"content/docs/v2/openapi.yaml:{line}: error: invalid OpenAPI document:" in result.stderr, result.stderr
    assert "NewShipmnt" in result.stderr or "components/schemas" in result.stderr

    spec.write_text("openapi: 3.1.0\ninfo:\n  title: [unclosed\n")
    result = run("build", "--now", NOW)
    assert result.returncode == 1 and "content/docs/v2/openapi.yaml:4: error: invalid OpenAPI document: not valid YAML" in result.stderr, result.stderr
    assert not (workdir / "public").exists()

    # A page where the reference goes is refused rather than silently replaced.
    spec.write_text(text)
    (workdir / "content/docs/v2/reference.md").write_text("---\ntitle: Mine\n---\n\nx\n")
    result = run("check", "--now", NOW)
    assert "content/docs/v2/reference.md: error: 'reference/' is where the API reference from openapi.yaml goes" in result.stderr, result.stderr


def test_a_version_that_rewrote_many_pages_marks_the_first_25_and_lists_the_rest(run, workdir):
    for version, word in (("v1", "old"), ("v2", "new")):
        folder = workdir / f"content/docs/{version}/many"
        folder.mkdir()
        for n in range(30):
            (folder / f"page-{n:02}.md").write_text(f"---\ntitle: Page {n:02}\nweight: {n}\n---\n\nThe {word} text of page {n}.\n")
    assert run("build", "--now", NOW).returncode == 0
    changes = page(workdir, "docs/v2/changes")
    assert all(f'<a href="/docs/v2/many/page-{n:02}/">Page {n:02}</a>' in changes for n in range(30)), "every changed page is listed"
    assert changes.count('<details class="docs-page-redline">') == 25
    assert "redline diff docs v1 v2" in changes and "The " in changes
    text = run("diff", "docs", "v1", "v2").stdout
    assert all(f"== many/page-{n:02} ==" in text for n in range(30)), "the command prints every redline"
