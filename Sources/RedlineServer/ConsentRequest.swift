import Foundation
import RedlineConsent
import RedlineManifest

/// `POST /api/v1/consent`, checked field by field so that one answer lists every problem.
struct ConsentRequest {
    static let methods = ConsentMethod.allCases.map(\.rawValue)
    /// `expired` is the server's to decide, never a client's.
    static let clientEvents = ConsentEvent.fromClients.map(\.rawValue)

    var subject: String
    var granted: [String]
    var denied: [String]
    var method: ConsentMethod
    var event: ConsentEvent?
    /// The versions shown, each with the SHA-256 of the text shown: found while checking, so a
    /// reference that passed the checks has its hash.
    var policies: [PolicyReference]
    var notice: NoticeReference?
    var idempotencyKey: String?
    /// The GPP string the page signalled after the decision, kept as sent.
    var gpp: String?

    /// Reads and checks `json` against `policy`; every problem found, or the request.
    /// - Parameter noticeProblem: why a banner version and language cannot have been shown, or nil.
    static func parse(_ json: JSONValue, policy: ConsentPolicy,
                      noticeProblem: (_ version: String, _ locale: String) -> (field: String, message: String)? = { _, _ in nil })
        -> Result<ConsentRequest, ProblemList> {
        var problems = ProblemList()
        guard let body = json.object else {
            problems.add("", "the body must be a JSON object")
            return .failure(problems)
        }
        let subject = problems.string(body, "subject", maxLength: 128, pattern: Identifier.hasAllowedCharacters,
                                      patternMessage: "may contain only letters, digits, '-', '_', '.' and ':'")
        let granted = problems.stringArray(body, "granted")
        let denied = problems.stringArray(body, "denied")
        let methodName = problems.string(body, "method", maxLength: 32)
        let method = methodName.flatMap(ConsentMethod.init(rawValue:))
        if let methodName, method == nil {
            problems.add("method", "must be one of \(methods.joined(separator: ", ")), not '\(methodName)'")
        }
        var event: ConsentEvent?
        if body["event"] != nil, let value = problems.string(body, "event", maxLength: 32) {
            event = ConsentEvent(rawValue: value).flatMap { ConsentEvent.fromClients.contains($0) ? $0 : nil }
            if event == nil {
                problems.add("event", "must be one of \(clientEvents.joined(separator: ", ")), not '\(value)'")
            }
        }
        checkCategories(granted: granted ?? [], denied: denied ?? [], policy: policy, problems: &problems)
        let policies = parsePolicies(body["policies"], policy: policy, problems: &problems)
        var notice: NoticeReference?
        if let raw = body["notice"], !raw.isNull {
            if let object = raw.object {
                let version = problems.string(object, "version", path: "notice.version", maxLength: 64)
                let locale = problems.string(object, "locale", path: "notice.locale", maxLength: 35, pattern: LanguageTag.isValid,
                                             patternMessage: "must be a language tag such as 'en' or 'en-GB'")
                if let version, let locale {
                    notice = NoticeReference(version: version, locale: locale)
                    if let problem = noticeProblem(version, locale) { problems.add(problem.field, problem.message) }
                }
            } else {
                problems.add("notice", "must be an object with 'version' and 'locale'")
            }
        } else {
            // A record proves what the person was shown: without the banner's version it proves nothing.
            problems.add("notice", "is required: the version and locale of the banner the person answered (consent/config.json's notice)")
        }
        var idempotencyKey: String?
        if let raw = body["idempotencyKey"], !raw.isNull {
            idempotencyKey = problems.string(body, "idempotencyKey", maxLength: 255)
        }
        var gpp: String?
        if let raw = body["gpp"], !raw.isNull, let value = problems.string(body, "gpp", maxLength: GPPString.maxLength) {
            if let problem = GPPString.problem(value) { problems.add("gpp", problem) } else { gpp = value }
        }
        guard problems.isEmpty, let subject, let granted, let denied, let method, let policies else { return .failure(problems) }
        return .success(ConsentRequest(subject: subject, granted: granted, denied: denied, method: method, event: event,
                                       policies: policies, notice: notice, idempotencyKey: idempotencyKey, gpp: gpp))
    }

    private static func checkCategories(granted: [String], denied: [String], policy: ConsentPolicy, problems: inout ProblemList) {
        for (field, ids) in [("granted", granted), ("denied", denied)] {
            for (index, id) in ids.enumerated() where policy.category(id) == nil {
                let known = policy.consent.categories.map(\.id).joined(separator: ", ")
                problems.add("\(field)[\(index)]", "unknown category '\(id)'; this site has \(known)")
            }
        }
        for id in Set(granted).intersection(denied).sorted() {
            problems.add("denied", "'\(id)' is both granted and denied")
        }
        for id in denied where policy.category(id)?.required == true {
            problems.add("denied", "'\(id)' is strictly necessary and cannot be denied")
        }
    }

    private static func parsePolicies(_ raw: JSONValue?, policy: ConsentPolicy, problems: inout ProblemList) -> [PolicyReference]? {
        guard let raw, !raw.isNull else {
            problems.add("policies", "is required: the policy versions the person was shown, e.g. [{\"id\": \"privacy\", \"version\": \"2026-06-01\"}]")
            return nil
        }
        guard let entries = raw.array, !entries.isEmpty else {
            problems.add("policies", "must be a non-empty array of {\"id\", \"version\"}")
            return nil
        }
        var result: [PolicyReference] = []
        for (index, entry) in entries.enumerated() {
            let path = "policies[\(index)]"
            guard let object = entry.object else {
                problems.add(path, "must be an object with 'id' and 'version'")
                continue
            }
            guard let id = problems.string(object, "id", path: "\(path).id", maxLength: 128),
                  let version = problems.string(object, "version", path: "\(path).version", maxLength: 32) else { continue }
            guard let document = policy.manifest.document(id) else {
                problems.add("\(path).id", "unknown policy '\(id)'; this site has \(policy.manifest.documents.map(\.id).joined(separator: ", "))")
                continue
            }
            guard let found = Day(version).flatMap(document.version) else {
                problems.add("\(path).version", "'\(id)' has no version '\(version)'; it has \(document.versions.map(\.effective.description).joined(separator: ", "))")
                continue
            }
            // The language of the text shown, when it was a translation: its own SHA-256 goes in the record.
            var locale: String?
            var sha256 = found.sha256
            if let value = object["locale"], !value.isNull {
                guard let tag = problems.string(object, "locale", path: "\(path).locale", maxLength: 35, pattern: LanguageTag.isValid,
                                                patternMessage: "must be a language tag such as 'de'") else { continue }
                guard let translation = found.translations[tag] else {
                    let known = found.translations.keys.sorted()
                    problems.add("\(path).locale", "'\(id)' \(version) has no '\(tag)' text" + (known.isEmpty ? "" : "; it has \(known.joined(separator: ", "))"))
                    continue
                }
                locale = tag
                sha256 = translation.sha256
            }
            if result.contains(where: { $0.id == id }) {
                problems.add("\(path).id", "'\(id)' is listed twice")
                continue
            }
            result.append(PolicyReference(id: id, version: version, sha256: sha256, locale: locale))
        }
        return result
    }

}

/// Problems found so far, with helpers that read typed fields and record what is wrong with them.
struct ProblemList: Error, Sendable {
    private(set) var items: [FieldProblem] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        items.append(FieldProblem(field: field, message: message))
    }

    mutating func string(_ object: [String: JSONValue], _ key: String, path: String? = nil, maxLength: Int,
                         pattern: ((String) -> Bool)? = nil, patternMessage: String = "") -> String? {
        let path = path ?? key
        guard let raw = object[key], !raw.isNull else {
            add(path, "is required")
            return nil
        }
        guard let value = raw.string else {
            add(path, "must be a string")
            return nil
        }
        if value.isEmpty {
            add(path, "must not be empty")
            return nil
        }
        if value.count > maxLength {
            add(path, "must be at most \(maxLength) characters")
            return nil
        }
        if let pattern, !pattern(value) {
            add(path, patternMessage)
            return nil
        }
        return value
    }

    mutating func stringArray(_ object: [String: JSONValue], _ key: String) -> [String]? {
        guard let raw = object[key], !raw.isNull else {
            add(key, "is required (an empty array is fine)")
            return nil
        }
        guard let values = raw.array else {
            add(key, "must be an array of category ids")
            return nil
        }
        var strings: [String] = []
        for (index, value) in values.enumerated() {
            guard let string = value.string else {
                add("\(key)[\(index)]", "must be a string")
                continue
            }
            strings.append(string)
        }
        return strings
    }
}
