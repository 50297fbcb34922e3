import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RedlineConsent
import RedlineManifest

/// The consent API: record a decision, read the latest state, export and erase a subject's records.
struct ConsentRoutes: Sendable {
    static let maxBodyBytes = 16 * 1024

    let catalog: SiteCatalog
    let store: any ConsentStore
    let writer: GroupCommitWriter
    let metrics: ServerMetrics
    let retention: AddressRetention
    let addressKey: Data
    /// The banner versions a record may name.
    let notices: ShownNotices
    /// The server's clock: which versions are in force, when a record was made.
    var clock = ServerClock.system

    func add(to router: Router<ServerContext>) {
        router.post("/api/v1/consent") { request, context in try await record(request, context: context) }
        // Before `:subject`, which would take "region" for a subject id.
        router.get("/api/v1/consent/region") { request, context in try region(request, context: context) }
        router.get("/api/v1/consent/:subject") { _, context in try await state(subject: context.parameters.require("subject")) }
        router.get("/api/v1/subjects/:subject/records") { _, context in try await export(subject: context.parameters.require("subject")) }
        router.delete("/api/v1/subjects/:subject") { _, context in try await erase(subject: context.parameters.require("subject")) }
    }

    // MARK: POST /api/v1/consent

    func record(_ request: Request, context: ServerContext) async throws -> Response {
        let json = try await Self.readJSON(request)
        let policy = ConsentPolicy(manifest: catalog.manifest, clock: clock)
        let now = policy.now
        let parsed: ConsentRequest
        switch ConsentRequest.parse(json, policy: policy, noticeProblem: { notices.problem(version: $0, locale: $1, now: now) }) {
        case let .success(value): parsed = value
        case let .failure(problems): throw APIError.validation(problems.items)
        }
        let submission = makeSubmission(parsed, policy: policy, request: request, context: context, now: now)
        let result: AppendResult
        do {
            result = try await writer.submit(submission)
        } catch is WriterClosed {
            throw APIError(.serviceUnavailable, code: "shutting_down", message: "The server is shutting down; nothing was recorded. Try again.",
                           headers: [.retryAfter: "1"])
        }
        switch result.outcome {
        case .created:
            metrics.consentRecorded(method: parsed.method.rawValue, outcome: "created")
            return Self.receipt(result.record.receipt, status: .created)
        case .replayed:
            metrics.consentRecorded(method: parsed.method.rawValue, outcome: "replayed")
            return Self.receipt(result.record.receipt, status: .ok)
        case .conflict:
            metrics.consentRecorded(method: parsed.method.rawValue, outcome: "conflict")
            throw APIError(.conflict, code: "idempotency_key_reused",
                           message: "This idempotency key was already used for a different decision; send a new key for a new decision.")
        }
    }

    /// The evidence to store: the client's decision completed with what only the server knows.
    private func makeSubmission(_ parsed: ConsentRequest, policy: ConsentPolicy, request: Request, context: ServerContext,
                                now: Date) -> ConsentSubmission {
        let gpcSent = request.headers[.secGPC]?.trimmingCharacters(in: .whitespaces) == "1"
        let honourGPC = gpcSent || parsed.method == .gpc
        // Every category is listed explicitly: required ones granted, GPC ones denied under
        // the signal, the rest as the person chose; anything they did not grant is denied.
        var granted: [String] = []
        var denied: [String] = []
        for category in policy.consent.categories {
            let allowed = category.required || (parsed.granted.contains(category.id) && !(honourGPC && category.gpc))
            if allowed { granted.append(category.id) } else { denied.append(category.id) }
        }
        let onlyRequired = policy.consent.categories.filter { granted.contains($0.id) }.allSatisfy(\.required)
        let event = parsed.event ?? (onlyRequired && parsed.method != .gpc ? ConsentEvent.refused : nil)
        let personal = PersonalFields(
            subject: parsed.subject, pagePath: Self.pagePath(fromReferer: request.headers[.referer]),
            browser: BrowserFamily.of(request.headers[.userAgent]),
            ipToken: retention.token(for: context.clientAddress, key: addressKey))
        let validUntil = UTCTime.timestamp(now.addingTimeInterval(Double(policy.consent.maxAgeDays) * 86_400))
        return ConsentSubmission(
            event: event, method: parsed.method, validUntil: validUntil, granted: granted, denied: denied, policies: parsed.policies,
            notice: parsed.notice, gpc: GPCSignal(sent: gpcSent, honoured: honourGPC && policy.consent.categories.contains(where: \.gpc)),
            idempotencyKey: parsed.idempotencyKey, personal: personal,
            jurisdiction: VisitorRegion.of(request, context: context, consent: catalog.manifest.consent), gpp: parsed.gpp)
    }

    // MARK: GET /api/v1/consent/region

    /// The visitor's region and mode, for the banner: how to ask, or whether to. Never cached
    /// (``json(_:status:)`` says `no-store`): it depends on the proxy's header.
    func region(_ request: Request, context: ServerContext) throws -> Response {
        let jurisdiction = VisitorRegion.of(request, context: context, consent: catalog.manifest.consent)
        return try Self.json(jurisdiction, status: .ok)
    }

    // MARK: GET /api/v1/consent/{subject}

    func state(subject: String) async throws -> Response {
        let records = try await store.records(subject: subject)
        guard let latest = records.last else { throw APIError.notFound("No consent is recorded for this subject.") }
        let policy = ConsentPolicy(manifest: catalog.manifest, clock: clock)
        let now = policy.now
        let evidence = latest.evidence
        let changes = policy.changes(since: evidence.policies.map { ($0.id, $0.version) })
        let expired = policy.isExpired(validUntil: evidence.validUntil, now: now)
        var reasons: [String] = []
        if !changes.isEmpty { reasons.append("material-change") }
        if expired { reasons.append("expired") }
        let followUp = ConsentPolicy.FollowUp(reasons: reasons, mode: evidence.jurisdiction?.mode)
        let state = ConsentState(
            subject: subject, receiptId: evidence.recordId, recordedAt: evidence.occurredAt, event: evidence.event,
            method: evidence.method, granted: evidence.granted, denied: evidence.denied, policies: evidence.policies,
            notice: evidence.notice, gpc: evidence.gpc, validUntil: evidence.validUntil, expired: expired,
            reconsentRequired: followUp == .ask, followUp: followUp, reasons: reasons, changes: changes,
            jurisdiction: evidence.jurisdiction)
        return try Self.json(state, status: .ok)
    }

    // MARK: GET /api/v1/subjects/{subject}/records

    func export(subject: String) async throws -> Response {
        let records = try await store.records(subject: subject)
        guard !records.isEmpty else { throw APIError.notFound("No records are kept for this subject.") }
        return try Self.json(SubjectExport(subject: subject, records: records.map(ExportedRecord.init)), status: .ok)
    }

    // MARK: DELETE /api/v1/subjects/{subject}

    func erase(subject: String) async throws -> Response {
        let erased = try await store.erase(subject: subject)
        guard erased > 0 else { throw APIError.notFound("No records are kept for this subject.") }
        return try Self.json(Erasure(subject: subject, erasedRecords: erased,
                                     note: "Personal fields are removed; the evidence chain keeps only their salted digest."), status: .ok)
    }

    // MARK: Helpers

    /// The request body as parsed JSON, with 413, 415 and 400 answers for too large, not JSON and malformed bodies.
    static func readJSON(_ request: Request) async throws -> JSONValue {
        try await readJSON(request, optional: false)!
    }

    /// The same, or nil when the request has no body at all (a body is optional for some actions).
    static func readJSON(_ request: Request, optional: Bool) async throws -> JSONValue? {
        try RequestBody.refuseDeclaredLength(of: request, over: maxBodyBytes, tooLarge: APIError.bodyTooLarge)
        // A required body is refused for its type before it is read; an optional one once it is known not to be empty.
        if !optional { try RequestBody.requireJSONType(request) }
        let buffer = try await RequestBody.collect(request, maxBytes: maxBodyBytes, tooLarge: APIError.bodyTooLarge)
        if optional {
            if buffer.readableBytes == 0 { return nil }
            try RequestBody.requireJSONType(request)
        }
        return try RequestBody.json(buffer)
    }

    static func pagePath(fromReferer referer: String?) -> String? {
        guard let referer, let components = URLComponents(string: referer), !components.path.isEmpty else { return nil }
        return String(components.path.prefix(512))
    }

    /// The hot path's answer, written without JSONEncoder.
    static func receipt(_ receipt: Receipt, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: Canonical.json(receipt))))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

// MARK: Response bodies (documented in OpenAPIDocument)

struct ConsentState: Encodable {
    let subject, receiptId, recordedAt: String
    let event: ConsentEvent
    let method: ConsentMethod
    let granted, denied: [String]
    let policies: [PolicyReference]
    let notice: NoticeReference?
    let gpc: GPCSignal
    let validUntil: String?
    let expired, reconsentRequired: Bool
    /// `ask` (opt-in: reconsentRequired), `inform` (opt-out, notice: tell the person what changed), or `none`.
    let followUp: ConsentPolicy.FollowUp
    let reasons: [String]
    let changes: [ConsentPolicy.Change]
    let jurisdiction: Jurisdiction?
}

struct SubjectExport: Encodable {
    let subject: String
    let records: [ExportedRecord]
}

/// One record as the person may take it away: the evidence, its proof, and what was kept about them.
struct ExportedRecord: Encodable {
    let receipt: Receipt
    let evidence: ConsentEvidence
    let pagePath: String?
    let browser: String?
    let ipToken: String?

    init(_ record: ConsentRecord) {
        receipt = record.receipt
        evidence = record.evidence
        pagePath = record.personal?.pagePath
        browser = record.personal?.browser
        ipToken = record.personal?.ipToken
    }
}

struct Erasure: Encodable {
    let subject: String
    let erasedRecords: Int
    let note: String
}
