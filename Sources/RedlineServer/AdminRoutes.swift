import Foundation
import HTTPTypes
import Hummingbird
import RedlineConsent
import RedlineNotices
import RedlineMail
import RedlineManifest
import Synchronization

/// `/api/v1/admin/`: users and change-notice campaigns, for the operator's own service.
struct AdminRoutes: Sendable {
    let catalog: SiteCatalog
    let store: any NoticeStore
    let consents: any ConsentStore
    let composer: NoticeComposer
    let transport: any MailTransport
    let clock: ServerClock
    /// Flushed before the statistics are read, so they include every impression answered so far.
    var impressions: ImpressionTally? = nil

    func add(to router: Router<ServerContext>) {
        let admin = router.group("/api/v1/admin").add(middleware: AdminAuthMiddleware(store: store))
        admin.put("/users/:userId") { request, context in try await putUser(request, userId: context.parameters.require("userId")) }
        admin.get("/users/:userId") { _, context in try await getUser(context.parameters.require("userId")) }
        admin.delete("/users/:userId") { _, context in try await deleteUser(context.parameters.require("userId")) }
        admin.post("/campaigns") { request, _ in try await createCampaign(request) }
        admin.get("/campaigns") { _, _ in try await listCampaigns() }
        admin.get("/campaigns/:id") { _, context in try await campaign(context.parameters.require("id")) }
        admin.post("/campaigns/:id/approve") { request, context in
            try await approve(request, id: context.parameters.require("id"), by: context.adminKeyName ?? "api")
        }
        admin.post("/campaigns/:id/cancel") { _, context in try await cancel(context.parameters.require("id")) }
        admin.post("/campaigns/:id/test") { request, context in try await testSend(request, id: context.parameters.require("id")) }
        admin.get("/users") { request, _ in try await listUsers(request) }
        admin.get("/consent/stats") { request, _ in try await consentStats(request) }
    }

    // MARK: Consent statistics

    /// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both optional: the last 30 days by the server's clock.
    func consentStats(_ request: Request) async throws -> Response {
        let today = UTCTime.day(clock.now())
        let from = request.uri.queryParameters.get("from") ?? UTCTime.day(clock.now().addingTimeInterval(-29 * 86_400))
        let to = request.uri.queryParameters.get("to") ?? today
        var problems: [FieldProblem] = []
        for (name, day) in [("from", from), ("to", to)] where !UTCTime.isDay(day) {
            problems.append(FieldProblem(field: name, message: "must be a date such as 2026-11-01"))
        }
        if problems.isEmpty, from > to { problems.append(FieldProblem(field: "from", message: "must not be after 'to'")) }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        var counted: [ImpressionCount] = []
        if let impressions {
            try await impressions.flush()
            counted = try await impressions.counts(from: from, to: to)
        }
        return try ConsentRoutes.json(ConsentStats.count(try await consents.allStoredRows(), impressions: counted, from: from, to: to),
                                      status: .ok)
    }

    // MARK: Users

    func putUser(_ request: Request, userId: String) async throws -> Response {
        guard case let .object(body) = try await ConsentRoutes.readJSON(request) else {
            throw APIError.validation([FieldProblem(field: "body", message: "must be an object with 'email' and 'locale'")])
        }
        var problems = ProblemList()
        let email = problems.string(body, "email", maxLength: 254)
        let locale = problems.string(body, "locale", maxLength: 35)
        var subject: String?
        if let raw = body["subject"], !raw.isNull {
            subject = problems.string(body, "subject", maxLength: 128)
        }
        for key in body.keys where !["email", "locale", "subject"].contains(key) {
            problems.add(key, "is not a field of a user")
        }
        let all = problems.items + UserValidation.problems(userId: userId, email: email, locale: locale, subject: subject)
        guard all.isEmpty, let email, let locale else { throw APIError.validation(all) }
        let (user, created) = try await store.putUser(UserInput(userId: userId, email: email, locale: locale, subject: subject))
        return try ConsentRoutes.json(user, status: created ? .created : .ok)
    }

    func getUser(_ userId: String) async throws -> Response {
        guard let user = try await store.user(userId) else { throw APIError.notFound("No user '\(userId)' is registered.") }
        return try ConsentRoutes.json(user, status: .ok)
    }

    func deleteUser(_ userId: String) async throws -> Response {
        guard try await store.deleteUser(userId) else { throw APIError.notFound("No user '\(userId)' is registered.") }
        return Response(status: .noContent)
    }

    // MARK: Campaigns

    func createCampaign(_ request: Request) async throws -> Response {
        guard case let .object(body) = try await ConsentRoutes.readJSON(request) else {
            throw APIError.validation([FieldProblem(field: "body", message: "must be an object with 'document' and 'version'")])
        }
        var problems = ProblemList()
        let document = problems.string(body, "document", maxLength: 128)
        let version = problems.string(body, "version", maxLength: 32)
        guard problems.isEmpty, let document, let version else { throw APIError.validation(problems.items) }
        switch NoticePlanner.draft(catalog.manifest, document: document, version: version) {
        case let .failure(refusal):
            throw APIError(.unprocessableContent, code: "not_announceable", message: refusal.message,
                           details: [FieldProblem(field: "version", message: refusal.message)])
        case let .success(draft):
            let (campaign, created) = try await store.createCampaign(draft, trigger: .manual)
            return try ConsentRoutes.json(campaign, status: created ? .created : .ok)
        }
    }

    func listCampaigns() async throws -> Response {
        try ConsentRoutes.json(CampaignList(campaigns: try await store.campaigns()), status: .ok)
    }

    func campaign(_ id: String) async throws -> Response {
        guard let number = Int64(id), let campaign = try await store.campaign(number) else {
            throw APIError.notFound("No campaign '\(id)'.")
        }
        return try ConsentRoutes.json(campaign, status: .ok)
    }

    struct CampaignList: Encodable {
        let campaigns: [CampaignStatus]
    }

    // MARK: Review

    /// `{"sendAt"?: "2027-02-01T09:00:00Z"}`: approve now, or to start at that time.
    func approve(_ request: Request, id: String, by approver: String) async throws -> Response {
        let number = try campaignNumber(id)
        var sendAt: Date?
        if let body = try await Self.optionalObject(request) {
            var problems = ProblemList()
            if let raw = body["sendAt"], !raw.isNull {
                if let text = problems.string(body, "sendAt", maxLength: 40) {
                    sendAt = ISO8601DateFormatter().date(from: text)
                    if sendAt == nil { problems.add("sendAt", "must be a time such as 2027-02-01T09:00:00Z") }
                }
            }
            for key in body.keys where key != "sendAt" { problems.add(key, "is not a field of an approval") }
            guard problems.isEmpty else { throw APIError.validation(problems.items) }
        }
        do {
            return try ConsentRoutes.json(try await store.approve(number, by: approver, sendAfter: sendAt, now: clock.now()), status: .ok)
        } catch let error as NoticeStoreError {
            throw Self.apiError(error)
        }
    }

    func cancel(_ id: String) async throws -> Response {
        do {
            return try ConsentRoutes.json(try await store.cancel(try campaignNumber(id), now: clock.now()), status: .ok)
        } catch let error as NoticeStoreError {
            throw Self.apiError(error)
        }
    }

    /// `{"to": "reviewer@example.com", "locale"?: "de"}`: the message a recipient would get, marked as a test, to one reviewer.
    func testSend(_ request: Request, id: String) async throws -> Response {
        let number = try campaignNumber(id)
        guard case let .object(body) = try await ConsentRoutes.readJSON(request) else {
            throw APIError.validation([FieldProblem(field: "body", message: "must be an object with 'to'")])
        }
        var problems = ProblemList()
        let to = problems.string(body, "to", maxLength: 254)
        var locale: String?
        if let raw = body["locale"], !raw.isNull { locale = problems.string(body, "locale", maxLength: 35) }
        for key in body.keys where !["to", "locale"].contains(key) { problems.add(key, "is not a field of a test send") }
        let address = to.flatMap { MailAddress($0) }
        if to != nil && address == nil { problems.add("to", "is not an e-mail address") }
        guard problems.isEmpty, let address else { throw APIError.validation(problems.items) }
        do {
            let messageID = try await NoticeReview.sendTest(campaign: number, to: address, locale: locale, store: store,
                                                            composer: composer, transport: transport)
            return try ConsentRoutes.json(TestSent(campaign: number, messageId: messageID), status: .ok)
        } catch NoticeReview.Failure.noSuchCampaign {
            throw APIError.notFound("No campaign '\(id)'.")
        } catch let NoticeReview.Failure.refused(reply) {
            throw APIError(.badGateway, code: "mail_server_refused", message: "The mail server did not take the test message: \(reply)")
        }
    }

    struct TestSent: Encodable {
        let campaign: Int64
        let messageId: String
    }

    // MARK: Users

    /// `?limit=100&after=<userId>`: active users in the order they were registered, and how many there are.
    func listUsers(_ request: Request) async throws -> Response {
        let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 100
        guard (1...1000).contains(limit) else {
            throw APIError.validation([FieldProblem(field: "limit", message: "must be 1–1000")])
        }
        let after = request.uri.queryParameters.get("after")
        let users = try await store.users(limit: limit, after: after)
        return try ConsentRoutes.json(UserList(users: users, count: try await store.activeUserCount(),
                                               next: users.count == limit ? users.last?.userId : nil), status: .ok)
    }

    struct UserList: Encodable {
        let users: [UserRecord]
        let count: Int
        /// Pass as `after` for the next page; absent on the last.
        let next: String?
    }

    private func campaignNumber(_ id: String) throws -> Int64 {
        guard let number = Int64(id) else { throw APIError.notFound("No campaign '\(id)'.") }
        return number
    }

    static func apiError(_ error: NoticeStoreError) -> any Error {
        switch error {
        case .noSuchCampaign: return APIError.notFound(error.description)
        case .campaignCancelled: return APIError(.conflict, code: "campaign_cancelled", message: error.description)
        case .keyNameTaken: return APIError(.conflict, code: "conflict", message: error.description)
        // A damaged row is the server's problem, not the caller's: as it is, so the middleware logs it and answers 500.
        case .unknownValue: return error
        }
    }

    /// The body's object, or nil when there is no body.
    static func optionalObject(_ request: Request) async throws -> [String: JSONValue]? {
        guard let value = try await ConsentRoutes.readJSON(request, optional: true) else { return nil }
        guard case let .object(body) = value else { throw APIError.validation([FieldProblem(field: "body", message: "must be an object")]) }
        return body
    }
}

/// `Authorization: Bearer <key>` for every admin request. Missing, malformed, unknown,
/// wrong and revoked keys get the same 401, so an answer never tells whether a key exists.
/// What a key check may cost is bounded where bcrypt runs (``KeyCheckBudget``, per client,
/// off the event loops): a client over its budget gets 429 at once, and others are unaffected.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let store: any NoticeStore

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let scheme = "bearer "
        let presented = header.lowercased().hasPrefix(scheme) ? String(header.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces) : ""
        guard !presented.isEmpty else { throw Self.unauthorized }
        let key: APIKeyInfo?
        do {
            key = try await store.authenticate(presented, client: context.clientAddress ?? "unknown")
        } catch let refused as KeyCheckRefused {
            throw Self.tooMany(retryAfter: refused.retryAfter)
        }
        guard let key else { throw Self.unauthorized }
        var context = context
        context.adminKeyName = key.name
        return try await next(request, context)
    }

    static let unauthorized = APIError(.unauthorized, code: "unauthorized", message: "A valid API key is required: Authorization: Bearer <key>.",
                                       headers: [.wwwAuthenticate: "Bearer realm=\"redline-admin\""])

    static func tooMany(retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, code: "too_many_key_checks",
                 message: "Too many API keys checked from here; wait before trying again.", headers: [.retryAfter: String(seconds)])
    }
}
