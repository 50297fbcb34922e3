import Foundation
import RedlineContent
import RedlineDiff
import RedlineMarkdown
import RedlineOutput
import RedlineParallel

/// A policy version compared with the one before it: what the change notice, the feeds,
/// the manifest and `check` all report.
struct PolicyChange: Sendable {
    let document: PolicyDocument
    let version: PolicyVersion
    let previous: PolicyVersion
    let redline: Redline
    let html: RedlineHTML

    var key: String { "\(document.id)/\(version.effective)" }

    /// `version` compared with `previous`, reading the texts from the given files (a version's own,
    /// or its translations'), each with the cookie table of its day.
    static func compare(_ environment: RenderEnvironment, document: PolicyDocument, previous: PolicyVersion, previousSource: SourceFile,
                        version: PolicyVersion, source: SourceFile) throws(DiagnosticsError) -> PolicyChange {
        let old = CookieTable.expand(try RenderEnvironment.readBody(of: previousSource), site: environment.site, on: previous.effective)
        let new = CookieTable.expand(try RenderEnvironment.readBody(of: source), site: environment.site, on: version.effective)
        let redline = RedlineDiffer.diff(old: old, new: new)
        // Links mean what they do on the version's own pages: relative to the policy's folder.
        let resolver = LinkResolver(pagePath: environment.urls.policy(document.id), sourceFolderPath: environment.urls.policy(document.id))
        let html = RedlineHTML(redline, renderer: environment.markdown, reservedAnchors: PageChrome.reservedAnchors,
                               resolveLink: { resolver.resolve($0) })
        return PolicyChange(document: document, version: version, previous: previous, redline: redline, html: html)
    }
}

/// [diff]: every consecutive pair of versions of every policy, in parallel.
struct PolicyChanges: Sendable {
    private let byKey: [String: PolicyChange]

    static func compute(_ environment: RenderEnvironment) -> (PolicyChanges, [Diagnostic]) {
        var pairs: [(PolicyDocument, PolicyVersion, PolicyVersion)] = []
        for document in environment.corpus.policies {
            for (previous, version) in zip(document.versions, document.versions.dropFirst()) {
                pairs.append((document, previous, version))
            }
            // A draft is compared with the published version it would follow.
            for draft in document.drafts {
                if let previous = document.versions.last(where: { $0.effective < draft.effective }) { pairs.append((document, previous, draft)) }
            }
        }
        let results = parallelMap(pairs) { document, previous, version -> Result<PolicyChange, DiagnosticsError> in
            do throws(DiagnosticsError) {
                return .success(try PolicyChange.compare(environment, document: document, previous: previous, previousSource: previous.source,
                                                         version: version, source: version.source))
            } catch {
                return .failure(error)
            }
        }
        var byKey: [String: PolicyChange] = [:]
        var diagnostics: [Diagnostic] = []
        for result in results {
            switch result {
            case let .success(change): byKey[change.key] = change
            case let .failure(error): diagnostics += error.diagnostics
            }
        }
        return (PolicyChanges(byKey: byKey), diagnostics)
    }

    func change(_ documentID: String, _ effective: Day) -> PolicyChange? {
        byKey["\(documentID)/\(effective)"]
    }

    /// Every change, newest effective date first.
    var all: [PolicyChange] {
        byKey.values.sorted { ($0.version.effective, $0.document.id) > ($1.version.effective, $1.document.id) }
    }
}
