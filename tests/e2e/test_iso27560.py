"""`redline consent export --format iso27560`: ISO/IEC TS 27560 consent records and receipts in the
W3C Data Privacy Vocabulary, validated against DPV itself (tests/e2e/fixtures/dpv/dpv.ttl) and the
fields the DPVCG's 27560 guide (https://w3id.org/dpv/guides/consent-27560) says MUST be present."""
import json
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from helpers import request
from test_trust import consent

DPV = rdflib.Namespace("https://w3id.org/dpv#")
DCAM = rdflib.Namespace("http://purl.org/dc/dcam/")
VOCABULARY = Path(__file__).parent / "fixtures" / "dpv" / "dpv.ttl"


@pytest.fixture(scope="module")
def dpv() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(VOCABULARY, format="turtle")
    return graph


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


def ancestors(dpv: rdflib.Graph, concept) -> set:
    """The concept and everything DPV files it under: broader concepts, superclasses, and the
    categories it is an instance of (DPV's statuses and legal bases are both)."""
    seen, todo = set(), [concept]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate in (SKOS.broader, RDFS.subClassOf, RDF.type):
            todo.extend(dpv.objects(node, predicate))
    return seen


def problems_against_dpv(export: rdflib.Graph, dpv: rdflib.Graph) -> list[str]:
    """Every DPV term the export uses must be one DPV defines, as a class where it is a type and as
    a property where it is a predicate, and an object must be of the range DPV gives the property."""
    problems = []
    classes = set(dpv.subjects(RDF.type, RDFS.Class))
    properties = set(dpv.subjects(RDF.type, RDF.Property))
    for subject, predicate, value in export:
        if predicate == RDF.type and str(value).startswith(str(DPV)) and value not in classes:
            problems.append(f"{value} is not a DPV class")
        if str(predicate).startswith(str(DPV)):
            if predicate not in properties:
                problems.append(f"{predicate} is not a DPV property")
                continue
            ranges = set(dpv.objects(predicate, DCAM.rangeIncludes))
            if not ranges or isinstance(value, rdflib.Literal):
                continue
            kinds = set(export.objects(value, RDF.type)) | ({value} if str(value).startswith(str(DPV)) else set())
            if not any(ancestors(dpv, kind) & ranges for kind in kinds):
                problems.append(f"{predicate} of {subject} is {value}, not of its range {sorted(map(str, ranges))}")
    return problems


def test_the_export_is_iso_27560_in_dpv_and_keeps_every_state_of_a_person(site, serve, run, workdir, dpv):
    server = serve()
    base = consent("alice", site)
    assert request("POST", server.base + "/api/v1/consent", base)[0] == 201
    # Alice changes her mind: analytics withdrawn. Bob refuses everything.
    assert request("POST", server.base + "/api/v1/consent", {**base, "granted": [], "denied": ["analytics", "marketing"]})[0] == 201
    bob = {**consent("bob", site), "granted": [], "denied": ["analytics", "marketing"], "method": "reject-all"}
    status, _, bob_receipt = request("POST", server.base + "/api/v1/consent", bob)
    assert status == 201
    # Carol is erased: her record stays, as nobody's.
    assert request("POST", server.base + "/api/v1/consent", consent("carol", site))[0] == 201
    assert request("DELETE", server.base + "/api/v1/subjects/carol")[0] in (200, 204)
    server.stop()

    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", "2020-01-01", "--to", "2099-12-31",
                 "--format", "iso27560", "--out", "records.jsonld")
    assert result.returncode == 0, result.stderr
    assert "consent record" in result.stdout and "receipt" in result.stdout
    text = (workdir / "records.jsonld").read_text()
    export = rdflib.Graph()
    export.parse(data=text, format="json-ld")

    assert problems_against_dpv(export, dpv) == []
    records = list(export.subjects(RDF.type, DPV.ConsentRecord))
    receipts = list(export.subjects(RDF.type, DPV.ConsentReceipt))
    assert len(receipts) == 4
    # Strictly necessary cookies need no consent: one record per person and optional category.
    assert len(records) == 3 * 2, sorted(map(str, records))

    by_category = {str(record).rsplit(":", 1)[1]: record for record in records if "subject:alice" in str(record)}
    states = sorted(export.objects(by_category["analytics"], DPV.hasConsentStatus),
                    key=lambda state: str(export.value(state, DPV.isIndicatedAtTime)))
    assert [set(export.objects(state, RDF.type)) for state in states] == [{DPV.ConsentGiven}, {DPV.ConsentWithdrawn}]
    bob_states = [set(export.objects(s, RDF.type)) for r in records if "subject:bob" in str(r) for s in export.objects(r, DPV.hasConsentStatus)]
    assert bob_states == [{DPV.ConsentRefused}, {DPV.ConsentRefused}]

    # What the guide says MUST be there, on every record and every state.
    versions = {f"{d['id']}/{v['effective']}": v for d in site["documents"] for v in d["versions"]}
    for record in records:
        for predicate in (DCTERMS.identifier, DCTERMS.conformsTo, DCTERMS.created, DPV.hasDataSubject, DPV.hasDataController, DPV.hasProcess):
            assert export.value(record, predicate) is not None, f"{record} has no {predicate}"
        assert str(export.value(record, DCTERMS.conformsTo)) == "https://w3id.org/dpv/schema/dpv-27560#record"
        for state in export.objects(record, DPV.hasConsentStatus):
            assert export.value(state, DPV.isIndicatedAtTime).datatype == rdflib.XSD.dateTime
            assert export.value(state, DPV.isIndicatedBy) == DPV.DataSubject
            notices = list(export.objects(state, DPV.hasNotice))
            assert notices, f"{state} names no notice"
            for notice in notices:
                # The notice is the exact text shown: its SHA-256, as the manifest has it.
                version = versions[str(export.value(notice, DCTERMS.identifier))]
                assert str(export.value(notice, DPV.hasIdentifier)) == "sha256:" + version["sha256"]
                assert str(notice) == version["url"]
    bob_receipt_node = rdflib.URIRef(f"urn:redline:receipt:{bob_receipt['receiptId']}")
    assert str(export.value(bob_receipt_node, DPV.hasIdentifier)) == "sha256:" + bob_receipt["entryHash"]
    assert len(list(export.objects(bob_receipt_node, DPV.hasRecordOfActivity))) == 2
    # Carol's record says nothing about whose it was.
    assert "carol" not in text and any(str(export.value(r, DPV.hasDataSubject)).startswith("urn:redline:erased:") for r in records)


def test_the_validation_catches_what_is_not_dpv(dpv):
    """The check above is not vacuous: a made-up term, a property used as a class, and a value
    outside a property's range are each reported."""
    bad = rdflib.Graph()
    bad.parse(format="json-ld", data=json.dumps({
        "@context": {"dpv": "https://w3id.org/dpv#"},
        "@graph": [
            {"@id": "urn:a", "@type": "dpv:ConsentRecrod", "dpv:hasConsentStatus": {"@id": "dpv:Marketing"}},
            {"@id": "urn:b", "@type": "dpv:hasNotice", "dpv:hasConsentStatuses": "x"},
        ]}))
    found = problems_against_dpv(bad, dpv)
    assert any("ConsentRecrod is not a DPV class" in p for p in found), found
    assert any("hasNotice is not a DPV class" in p for p in found), found
    assert any("hasConsentStatuses is not a DPV property" in p for p in found), found
    assert any("hasConsentStatus of urn:a is https://w3id.org/dpv#Marketing" in p for p in found), found


def test_a_bad_format_or_a_missing_site_is_a_clear_error(site, run):
    refused = run("consent", "export", "--db", "data/redline.sqlite", "--from", "2020-01-01", "--to", "2099-12-31",
                  "--format", "rdf", "--out", "x.jsonld")
    assert refused.returncode != 0 and "--format must be bundle or iso27560" in refused.stderr
