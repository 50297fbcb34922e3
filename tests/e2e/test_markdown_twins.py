"""Markdown twins on the built sample site: every published policy version, translation, docs page
and change notice has an `index.md` (drafts none) whose front matter `sha256` and `url` are what
`manifest.json` lists for its text, both ways over the whole site, and whose body is the author's
Markdown with links made absolute; `llms.txt` follows llmstxt.org and `llms-full.txt` is its twins
in order; `redline serve` answers `Accept: text/markdown` with the twin's bytes, anything else with
the page (`Vary: Accept`); and in Chromium "Copy page" copies exactly the twin, or shows it selected
where the browser refuses the clipboard, in the page's language."""
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from browser import Browser, chromium_paths
from conftest import ROOT
from helpers import request

NOW, BASE = "2026-11-21", "https://legal.parcelbird.example/"
MARKDOWN, HTML = "text/markdown; charset=utf-8", "text/html; charset=utf-8"
LONG = 300  # seconds: only a hung test ever gets near it, never a slow machine's answer


@pytest.fixture
def public(run, workdir):
    """The sample site (conftest's `workdir`, a fresh copy) built for NOW."""
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    return workdir / "public"


def split_twin(text: str) -> tuple[dict, str]:
    """(front matter, body); every value must be a JSON-style string or a bare boolean."""
    assert text.startswith("---\n"), text[:80]
    head, body = text[4:].split("\n---\n", 1)
    meta = {key: json.loads(value) for key, value in (line.split(": ", 1) for line in head.split("\n"))}
    assert all(isinstance(value, (str, bool)) for value in meta.values()), head
    return meta, body


def twins(public) -> dict[str, str]:
    """Every twin of the published site (not the as-of snapshots under .redline/), by path."""
    return {p.relative_to(public).as_posix(): p.read_text() for p in public.rglob("index.md")
            if ".redline" not in p.relative_to(public).parts}


def local(url: str) -> str:
    """An absolute URL under the baseURL as a file in public/ (a folder's is its index.html)."""
    assert url.startswith(BASE), url
    path = url[len(BASE):].split("#")[0]
    return path + "index.html" if path.endswith("/") or not path else path


KEYS = {"docs": ({"title", "docsVersion", "path", "status", "sha256", "url"}, {"lastUpdated"}),  # (required, optional)
        "notice": ({"title", "document", "version", "previous", "effective", "status", "material", "locale", "summary",
                    "sha256", "url", "versionUrl", "previousUrl"}, set()),
        "policy": ({"title", "document", "version", "effective", "status", "material", "locale", "binding", "sha256", "url"},
                   {"summary", "changes"})}


def test_every_twin_carries_the_manifests_hash_and_url_and_every_manifest_text_has_its_twin(public):
    # Every text the manifest names, by URL: policy versions, translations, docs pages.
    manifest, entries, found = json.loads((public / "manifest.json").read_text()), {}, twins(public)
    for document in manifest["documents"]:
        for version in document["versions"]:
            entries[version["url"]] = {"sha256": version["sha256"], "document": document, "version": version}
            for locale, translation in version.get("translations", {}).items():
                entries[translation["url"]] = {"sha256": translation["sha256"], "document": document,
                                               "version": version, "locale": locale, "translation": translation}
    for docs in manifest["docs"]:
        entries |= {page["url"]: {"sha256": page["sha256"], "docs": docs, "page": page} for page in docs["pages"]}
    canonical, aliases, notices = set(), {}, set()
    for path, text in found.items():
        meta, body = split_twin(text)
        # One H1, first: the title (no sample page brings its own); every link absolute, to a real file.
        prose = re.sub(r"^```.*?^```", "", body, flags=re.M | re.S)
        assert re.findall(r"^# .*", prose, re.M) == ["# " + meta["title"]] and body.startswith("\n# "), path
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            assert (public / local(target)).exists(), f"{path}: {target} is not absolute or leads nowhere"
        kind = "docs" if "docsVersion" in meta else "notice" if "previous" in meta else "policy"
        assert KEYS[kind][0] <= meta.keys() <= KEYS[kind][0] | KEYS[kind][1], path
        # A change notice names the text of the version it introduces; every other twin its own.
        entry = entries[meta.get("versionUrl", meta["url"])]
        assert meta["sha256"] == entry["sha256"], path
        # A twin lives at its own page's URL, or is the same bytes at the URL of what is in force.
        own = local(meta["url"]).removesuffix("index.html") + "index.md"
        if path == own:
            canonical.add(meta["url"])
        else:
            assert text == found[own], path
            aliases[path] = meta["url"]
        if kind == "docs":
            page, docs = entry["page"], entry["docs"]
            status = "deprecated" if page["deprecated"] else "latest" if docs["latest"] else "older"
            assert (meta["title"], meta["docsVersion"], meta["path"], meta["status"]) == (page["title"], docs["version"], page["path"], status), path
            continue
        version, translation = entry["version"], entry.get("translation")
        assert (meta["document"], meta["version"], meta["effective"], meta["status"], meta["material"], meta["locale"]) == (entry[
            "document"]["id"], version["effective"], version["effective"], version["status"], version["material"], entry.get("locale", "en-GB")), path
        assert meta.get("summary") == (translation or version)["summary"], path
        if kind == "notice":
            assert meta["previous"] == entries[meta["previousUrl"]]["version"]["effective"] < meta["effective"], path
            assert translation or meta["url"] == version["changesUrl"], path
            notices.add(meta["url"])
        else:
            assert (meta["title"], meta["binding"]) == ((translation or version)["title"], not translation), path
            assert translation or meta.get("changes") == version["changesUrl"], path
    # The other way round: every text in the manifest has its twin, every version after the first
    # its change notice (a translation after an earlier one in its language, a localized one), and
    # each policy, translation and the docs a twin at their own URL: the text in force.
    assert canonical - notices == set(entries)
    expected_notices = {v["changesUrl"] for d in manifest["documents"] for v in d["versions"] if v["changesUrl"]}
    expected_aliases = {"docs/index.md": next(d for d in manifest["docs"] if d["latest"])["url"]}
    for document in manifest["documents"]:
        in_force = [v for v in document["versions"] if v["status"] != "upcoming"]
        expected_aliases[f"{document['id']}/index.md"] = in_force[-1]["url"]
        for locale in {locale for v in document["versions"] for locale in v.get("translations", {})}:
            translated = [v for v in document["versions"] if locale in v.get("translations", {})]
            expected_notices |= {f"{BASE}{locale}/{document['id']}/changes/{v['effective']}/" for v in translated[1:]}
            expected_aliases[f"{locale}/{document['id']}/index.md"] = [
                v for v in in_force if locale in v.get("translations", {})][-1]["translations"][locale]["url"]
    assert notices == expected_notices
    assert aliases == expected_aliases


def test_a_twin_is_the_authors_markdown_with_links_made_absolute(public):
    source = lambda path: (ROOT / "content" / path).read_text().split("\n---\n", 1)[1]  # noqa: E731 (after the front matter)
    body = lambda path: split_twin((public / path).read_text())[1]  # noqa: E731
    # A policy version: its title as the H1, then the file's text exactly.
    assert body("privacy/2026-06-01/index.md") == "\n# Privacy Policy\n" + source("policies/privacy/2026-06-01.md")
    # A docs page whose links lead to another version, to a source file and to a page below it.
    expected = source("docs/v1/index.md").replace("(../v2/)", f"({BASE}docs/v2/)").replace(
        "(authentication.md)", f"({BASE}docs/v1/authentication/)").replace("(shipments/create/)", f"({BASE}docs/v1/shipments/create/)")
    assert expected.count(BASE) == 3 and body("docs/v1/index.md") == "\n# Parcelbird API v1\n" + expected


def test_drafts_have_no_twin_even_in_a_drafts_build(run, workdir):
    (workdir / "content/policies/terms/2027-01-01.md").write_text(
        "---\ntitle: Terms of Service\neffective: 2027-01-01\nmaterial: true\nsummary: Not agreed yet.\ndraft: true\n---\n\nDraft terms.\n")
    (workdir / "content/docs/v2/beta.md").write_text("---\ntitle: Beta\ndraft: true\n---\n\nNot yet.\n")
    assert (result := run("build", "--now", NOW, "--drafts", "--output", "review")).returncode == 0, result.stderr
    for page in ["terms/2027-01-01/", "terms/changes/2027-01-01/", "docs/v2/beta/"]:
        # The draft is built (marked DRAFT), with no twin, and links none.
        assert not re.search("text/markdown|copy-page", (workdir / "review" / page / "index.html").read_text()), page
        assert not (workdir / "review" / page / "index.md").exists(), page
    for llms in ["llms.txt", "llms-full.txt", "docs/v2/llms.txt", "docs/v2/llms-full.txt"]:
        assert not re.search("2027-01-01|Not agreed yet|/beta/", (workdir / "review" / llms).read_text()), llms


def parse_llms(text: str) -> tuple[str, str, dict[str, list[str]]]:
    """Checks the llmstxt.org structure; returns (H1, summary, {H2 section: linked URLs})."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0].startswith("# ") and lines[1] == "" and lines[2].startswith("> "), text[:200]
    assert [line for line in lines if line.startswith("# ")] == [lines[0]], "exactly one H1, first"
    sections, current = {}, None
    for line in lines[3:]:  # prose (no headings) until the first H2
        if line.startswith("#"):
            assert line.startswith("## "), f"after the summary only H2 sections: {line!r}"
            current = sections.setdefault(line[3:], [])
        elif line and current is not None:
            item = re.fullmatch(r"- \[[^\]]+\]\((\S+)\)(: .+)?", line)
            assert item, f"a section holds only `- [name](url)` or `- [name](url): notes` items: {line!r}"
            current.append(item.group(1))
    assert sections and all(sections.values()), "H2 sections, none empty"
    return lines[0][2:], lines[2][2:], sections


def test_llms_txt_follows_the_proposal_and_llms_full_txt_is_its_twins_in_order(public):
    manifest = json.loads((public / "manifest.json").read_text())
    description = re.search(r"^description: (.+)$", (ROOT / "content/site.yaml").read_text(), re.M).group(1)
    documents, versions = manifest["documents"], [v for d in manifest["documents"] for v in d["versions"]]
    year_ago = (date.fromisoformat(NOW) - timedelta(days=365)).isoformat()
    for folder in ["", *(f"docs/{d['version']}/" for d in manifest["docs"])]:
        title, summary, sections = parse_llms((public / folder / "llms.txt").read_text())
        links = [url for urls in sections.values() for url in urls]
        assert len(links) == len(set(links)), folder
        for url in links:
            assert (public / local(url)).is_file(), f"{folder}llms.txt links {url}, which is not in public/"
        if folder:
            docs = next(d for d in manifest["docs"] if folder == f"docs/{d['version']}/")
            assert title == f"{manifest['site']['title']}: API documentation {docs['version']}"
            assert set(links) == {page["url"] + "index.md" for page in docs["pages"]}
        else:
            assert (title, summary) == (manifest["site"]["title"], description)
            must = {d["url"] for d in documents} | {v["url"] for v in versions if v["status"] == "upcoming"}
            must |= {page["url"] for page in next(d for d in manifest["docs"] if d["latest"])["pages"]}
            must |= {v["changesUrl"] for v in versions if v["changesUrl"] and v["effective"] >= year_ago}
            must |= {f"{BASE}{locale}/{d['id']}/" for d in documents for v in d["versions"]  # translations in force
                     if v["status"] != "upcoming" for locale in v.get("translations", {})}
            assert {url + "index.md" for url in must} <= set(links)
            assert sections["Optional"] == [d["url"] + "llms.txt" for d in manifest["docs"] if not d["latest"]]
        # llms-full.txt: whole twins, in the order linked, nothing else between them.
        full, position = (public / folder / "llms-full.txt").read_text(), 0
        for url in (url for url in links if url.endswith("/index.md")):
            found = full.find(twin := (public / local(url)).read_text(), position)
            assert found >= 0, f"{folder}llms-full.txt lacks {url}, or has it out of order"
            assert full[position:found].strip() == "", f"{folder}llms-full.txt has more than twins before {url}"
            position = found + len(twin)
        assert full[position:].strip() == "", f"{folder}llms-full.txt has more than twins at its end"


def test_the_server_answers_markdown_to_whoever_asks_for_it_and_the_page_to_everyone_else(public, serve):
    twin, html, base = (public / "privacy/index.md").read_text(), (public / "privacy/index.html").read_text(), serve().base
    varies = lambda headers: "accept" in [v.strip().lower() for v in (headers["Vary"] or "").split(",")]  # noqa: E731
    for method in ("GET", "HEAD"):
        status, headers, body = request(method, base + "/privacy/", headers={"Accept": "text/markdown"})
        assert (status, headers["Content-Type"], headers["Content-Location"], int(headers["Content-Length"])) == (
            200, MARKDOWN, "/privacy/index.md", len(twin.encode())) and varies(headers) and body == (twin if method == "GET" else "")
        status, headers, body = request(method, base + "/privacy/index.md")
        assert (status, headers["Content-Type"], body) == (200, MARKDOWN, twin if method == "GET" else "")
    # A browser's Accept, a client that takes anything, none at all, and an 8 kB one that asks for
    # Markdown first: the HTML page (a header that long is not read, and not an error either).
    huge = ("text/markdown, " + ", ".join(f"application/x-filler-{n};q=0.1" for n in range(400)))[:8192].rsplit(",", 1)[0]
    for accept in ["text/html,text/markdown;q=0.9", "*/*", None, huge]:
        status, headers, body = request("GET", base + "/privacy/", headers={"Accept": accept} if accept else {})
        assert (status, headers["Content-Type"], body) == (200, HTML, html), accept and accept[:40]
        assert varies(headers) and headers["Content-Location"] is None
    for path in ["/", "/search/"]:  # pages with no twin stay HTML whatever is asked
        status, headers, body = request("GET", base + path, headers={"Accept": "text/markdown"})
        assert (status, headers["Content-Type"]) == (200, HTML) and body.startswith("<!doctype html>"), path


class PageActions(HTMLParser):
    """A page's <link rel=alternate type=text/markdown>, and in p.page-actions its Markdown link and Copy page button."""
    alternates, links, buttons, inside = (), (), (), False

    def handle_starttag(self, tag, attrs):
        attrs, self.inside = dict(attrs), self.inside or (tag == "p" and ("class", "page-actions") in attrs)
        self.alternates += (attrs["href"],) if tag == "link" and attrs.get("type") == "text/markdown" and attrs.get("rel") == "alternate" else ()
        self.links += (attrs["href"],) if self.inside and attrs.get("class") == "markdown-link" else ()
        self.buttons += ((attrs["data-markdown"], "hidden" in attrs),) if self.inside and attrs.get("class") == "copy-page" else ()

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "p"


def test_every_page_with_a_twin_links_it_and_no_other_page_claims_one(public):
    found = twins(public)
    for page in (p for p in public.rglob("index.html") if ".redline" not in p.relative_to(public).parts):
        (parser := PageActions()).feed(page.read_text())
        twin = page.relative_to(public).as_posix().removesuffix("index.html") + "index.md"
        if twin not in found:
            assert not (parser.alternates or parser.links or parser.buttons), page
            continue
        # /docs/ names v2's landing twin, the same bytes as its own: what matters is the text.
        (href,) = set(parser.alternates) or {"(no <link rel=alternate type=text/markdown>)"}
        assert parser.links == (href,) and parser.buttons == ((href, True),), page  # hidden until copy-page.js runs
        assert found.get(href.lstrip("/")) == found[twin], page


@pytest.fixture
def chromium(public, serve):
    """A reader of the built site who has answered the banner (so it covers no button) and lets it use the clipboard."""
    try:
        chromium_paths()
    except RuntimeError as error:
        pytest.skip(f"Copy page is tried in Chromium, which is absent: {error}")
    browser = Browser(serve().base)
    browser.driver.set_script_timeout(LONG)
    browser.open("/")
    browser.wait(browser.banner, timeout=LONG).find_element("css selector", "[data-action=reject-all]").click()
    browser.wait(lambda: (browser.cookie_state() or {}).get("receipt"), timeout=LONG, message="the choice was not recorded")
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": browser.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield browser
    browser.quit()


def click_copy_page(browser: Browser, path: str, label: str, before_click: str = "") -> str:
    """Opens the page, clicks its Copy page button once the script has shown it; returns the status it says."""
    browser.open(path)
    button = browser.wait(lambda: browser.find("button.copy-page").is_displayed() and browser.find("button.copy-page"),
                          timeout=LONG, message="copy-page.js did not show the button")
    assert button.text == label
    browser.js(before_click)
    button.click()
    return browser.wait(lambda: browser.find(".copy-page-status").text, timeout=LONG, message="no status after the click")


def test_copy_page_puts_exactly_the_twin_on_the_clipboard(chromium, public, tmp_path):
    clipboard = lambda: chromium.driver.execute_async_script(  # noqa: E731
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('readText failed: ' + e));")
    assert click_copy_page(chromium, "/docs/v2/webhooks/", "Copy page") == "Copied as Markdown."
    assert clipboard() == (public / "docs/v2/webhooks/index.md").read_text()
    chromium.screenshot(tmp_path / "docs-page-copy-button.png")  # for people to see the Markdown link, button and status
    # The German page in its own words, copying its own twin.
    assert click_copy_page(chromium, "/de/privacy/", "Seite kopieren") == "Als Markdown kopiert."
    assert clipboard() == (public / "de/privacy/index.md").read_text()


def test_without_a_clipboard_the_twin_is_shown_selected_for_copying_by_hand(chromium, public):
    said = click_copy_page(chromium, "/privacy/changes/2027-03-01/", "Copy page",
                           before_click="Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});")
    assert said.startswith("Your browser did not let the page copy")
    value, start, end, length = chromium.js(
        "const box = document.querySelector('textarea.copy-page-text');"
        "return [box.value, box.selectionStart, box.selectionEnd, box.value.length];")
    assert value == (public / "privacy/changes/2027-03-01/index.md").read_text()
    assert (start, end) == (0, length), "the whole Markdown is selected"
