"""Deterministic synthetic content for the build benchmark: N docs versions x M pages plus
policy versions, ~6 KB of Markdown each, in Redline's content layout."""
import random
from pathlib import Path

WORDS = ("account address agreement api authentication billing carrier consent contract customer data "
         "delivery deletion document endpoint error event export information key label limit notice parcel "
         "payment period personal policy postage privacy processing provider purpose request response retention "
         "right security service shipment storage subject supplier token tracking transfer update user version "
         "webhook within without written").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def body(rng: random.Random, target_bytes: int = 6000) -> str:
    parts, size, section = [], 0, 0
    while size < target_bytes:
        section += 1
        block = [f"## Section {section}: {rng.choice(WORDS)} {rng.choice(WORDS)}", "", paragraph(rng), ""]
        kind = section % 4
        if kind == 0:
            block += [f"- {sentence(rng)}" for _ in range(4)] + [""]
        elif kind == 1:
            block += ["| Field | Type | Notes |", "|---|---|---|"]
            block += [f"| `{rng.choice(WORDS)}` | string | {sentence(rng)} |" for _ in range(3)] + [""]
        elif kind == 2:
            block += ["```json", '{"id": "%s", "status": "%s"}' % (rng.choice(WORDS), rng.choice(WORDS)), "```", ""]
        else:
            block += [f"### Detail {section}", "", paragraph(rng), ""]
        text = "\n".join(block)
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def generate(root: Path, docs_versions: int = 10, pages_per_version: int = 1000, policy_versions: int = 20,
             sections: int = 20) -> int:
    rng = random.Random(20261121)
    content = root / "content"
    (content / "policies" / "privacy").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text("title: Benchmark\nbaseURL: https://bench.example/\nlanguage: en\n")
    count = 0
    for index in range(policy_versions):
        year, month = 2020 + index // 12, index % 12 + 1
        day = f"{year}-{month:02d}-01"
        material = index % 3 == 0
        front = f"---\ntitle: Privacy Policy\neffective: {day}\nmaterial: {str(material).lower()}\n"
        if material:
            front += "summary: A material change.\n"
        (content / "policies" / "privacy" / f"{day}.md").write_text(front + "---\n" + body(rng))
        count += 1
    per_section = max(1, pages_per_version // sections)
    for version in range(1, docs_versions + 1):
        for page in range(pages_per_version):
            folder = content / "docs" / f"v{version}" / f"section-{page // per_section:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            text = f"---\ntitle: Page {page} of v{version}\nweight: {page % per_section}\n---\n" + body(rng)
            (folder / f"page-{page:04d}.md").write_text(text)
            count += 1
    return count
