import Crypto
import Foundation
import RedlineParallel

/// Policies: `policies/<id>/<date>.md` and its translations `<date>.<locale>.md`.
extension ContentLoader {
    /// A policy's files as found in its folder: versions, translations and the files beside them.
    private struct PolicyFiles {
        var versions: [(id: String, name: String, source: SourceFile)] = []
        var translations: [(id: String, name: String, source: SourceFile)] = []
        var assetsByID: [String: [String]] = [:]
    }

    static func loadPolicies(_ root: ContentRoot, languages: [String], sitePath: String,
                             diagnostics: inout [Diagnostic]) -> [PolicyDocument] {
        let files = policyFiles(root, diagnostics: &diagnostics)
        let versionsByID = parseVersions(files.versions, diagnostics: &diagnostics)
        let translationsByID = parseTranslations(files.translations, of: versionsByID, languages: languages, sitePath: sitePath,
                                                 diagnostics: &diagnostics)
        return versionsByID.map {
            PolicyDocument(id: $0.key, versions: $0.value, assets: files.assetsByID[$0.key] ?? [], directory: root.absolute("policies/\($0.key)"),
                           translations: translationsByID[$0.key] ?? [])
        }
    }

    /// Walks `policies/`: one folder per policy, with a valid id that is not one of the site's own pages.
    private static func policyFiles(_ root: ContentRoot, diagnostics: inout [Diagnostic]) -> PolicyFiles {
        var files = PolicyFiles()
        for id in root.children("policies") {
            let folder = "policies/\(id)"
            guard root.isDirectory(folder) else {
                diagnostics.append(.error(root.display(folder), line: nil, "policies/ holds one folder per policy, e.g. policies/privacy/2026-04-17.md"))
                continue
            }
            if !isValidPolicyID(id) {
                diagnostics.append(.error(root.display(folder), line: nil, "policy id '\(id)' must be lower-case letters, digits and hyphens"))
                continue
            }
            if reservedPolicyIDs.contains(id) {
                diagnostics.append(.error(root.display(folder), line: nil, "policy id '\(id)' is reserved for the site's own pages; rename the folder"))
                continue
            }
            for name in root.children(folder) {
                let relative = "\(folder)/\(name)"
                if isMarkdown(name) {
                    if translationName(name) != nil {
                        files.translations.append((id, name, root.source(relative)))
                    } else {
                        files.versions.append((id, name, root.source(relative)))
                    }
                } else if PolicyDocument.reservedNames.contains(name) || Day(name) != nil {
                    diagnostics.append(.error(root.display(relative), line: nil,
                                              "'\(name)' is a name the policy's own pages use; put files in a folder such as images/"))
                } else {
                    // Images and other files beside the versions are published under the policy's URL.
                    files.assetsByID[id, default: []] += root.isDirectory(relative) ? root.descendants(relative).map { "\(name)/\($0)" } : [name]
                }
            }
        }
        return files
    }

    /// Every version file parsed, on every core; two versions of one policy on the same day is an error.
    private static func parseVersions(_ files: [(id: String, name: String, source: SourceFile)],
                                      diagnostics: inout [Diagnostic]) -> [String: [PolicyVersion]] {
        let parsed = parallelMap(files) { file in
            parsePolicyVersion(documentID: file.id, fileName: file.name, source: file.source)
        }
        var versionsByID: [String: [PolicyVersion]] = [:]
        for (version, problems) in parsed {
            diagnostics += problems
            guard let version else { continue }
            if let twin = versionsByID[version.documentID, default: []].first(where: { $0.effective == version.effective }) {
                diagnostics.append(.error(version.source.displayPath, line: version.fieldLines["effective"] ?? 1,
                                          "two versions take effect on \(version.effective): this file and \(twin.source.displayPath)"))
                continue
            }
            versionsByID[version.documentID, default: []].append(version)
        }
        return versionsByID
    }

    /// Every translation parsed: each translates a version beside it, into one of site.yaml's languages.
    private static func parseTranslations(_ files: [(id: String, name: String, source: SourceFile)], of versionsByID: [String: [PolicyVersion]],
                                          languages: [String], sitePath: String, diagnostics: inout [Diagnostic]) -> [String: [PolicyTranslation]] {
        var translationsByID: [String: [PolicyTranslation]] = [:]
        for file in files {
            let (translation, problems) = parseTranslation(documentID: file.id, fileName: file.name, source: file.source)
            diagnostics += problems
            guard let translation else { continue }
            let versions = versionsByID[file.id, default: []]
            if !versions.contains(where: { $0.effective == translation.effective }) {
                diagnostics.append(.error(file.source.displayPath, line: nil,
                                          "translates the version effective \(translation.effective), but there is no \(translation.effective).md beside it"))
            } else if !languages.contains(translation.locale) {
                diagnostics.append(.error(file.source.displayPath, line: nil,
                                          "'\(translation.locale)' is not one of site.yaml's languages: add it to 'languages' in \(sitePath)"))
            } else {
                translationsByID[file.id, default: []].append(translation)
            }
        }
        return translationsByID
    }

    /// `2026-06-01.de.md` → (2026-06-01, "de"); nil for any other name.
    static func translationName(_ fileName: String) -> (day: Day, locale: String)? {
        let stem = markdownStem(fileName)
        guard let dot = stem.firstIndex(of: "."), let day = Day(stem[..<dot]) else { return nil }
        let locale = String(stem[stem.index(after: dot)...])
        return LanguageTag.isValid(locale) ? (day, locale) : nil
    }

    /// Parses a translation: `title` is required, `effective` (when given) must be the file name's date.
    static func parseTranslation(documentID: String, fileName: String, source: SourceFile) -> (PolicyTranslation?, [Diagnostic]) {
        let path = source.displayPath
        guard let (day, locale) = translationName(fileName) else { return (nil, [.error(path, line: nil, "not a translation's name")]) }
        var source = source
        let text: String
        do {
            (text, source.digest) = try readTextAndDigest(source.absolutePath)
        } catch {
            return (nil, [.error(path, line: nil, error.localizedDescription)])
        }
        let frontMatter: FrontMatter
        do {
            frontMatter = try FrontMatter.parse(text, path: path)
        } catch {
            return (nil, error.diagnostics)
        }
        var reader = FieldReader(path: path, fields: frontMatter.fields)
        let title = reader.string("title", required: true)
        let summary = reader.string("summary")
        if let effective = reader.day("effective"), effective != day {
            reader.error("effective", "'effective' is \(effective) but the file name says \(day): a translation has its version's date")
        }
        if reader.fields["material"] != nil || reader.fields["published"] != nil {
            reader.warning(reader.fields["material"] != nil ? "material" : "published",
                           "'material' and 'published' come from the version's own file (\(day).md); here they are ignored")
        }
        reader.warnAboutUnknownKeys(allowed: PolicyTranslation.frontMatterKeys.union(["material", "published"]))
        guard let title, !reader.diagnostics.hasErrors else { return (nil, reader.diagnostics) }
        return (PolicyTranslation(documentID: documentID, locale: locale, effective: day, title: title, summary: summary, source: source),
                reader.diagnostics)
    }

    /// Parses one policy version; every problem in it is returned, not only the first.
    public static func parsePolicyVersion(documentID: String, fileName: String, source: SourceFile) -> (PolicyVersion?, [Diagnostic]) {
        let path = source.displayPath
        let stem = markdownStem(fileName)
        let nameDay = Day(stem)
        var problems: [Diagnostic] = []
        if nameDay == nil {
            problems.append(.error(path, line: nil, "file name must be the effective date, as YYYY-MM-DD.md"))
        }
        let text: String
        var source = source
        do {
            (text, source.digest) = try readTextAndDigest(source.absolutePath)
        } catch {
            return (nil, problems + [.error(path, line: nil, error.localizedDescription)])
        }
        let frontMatter: FrontMatter
        do {
            frontMatter = try FrontMatter.parse(text, path: path)
        } catch {
            return (nil, problems + error.diagnostics)
        }
        var reader = FieldReader(path: path, fields: frontMatter.fields)
        let title = reader.string("title", required: true)
        let effective = reader.day("effective", required: true)
        let material = reader.bool("material", required: true)
        let summary = reader.string("summary")
        let published = reader.day("published")
        let draft = reader.bool("draft") ?? false
        if let effective, let nameDay, effective != nameDay {
            reader.error("effective", "'effective' is \(effective) but the file name says \(nameDay): they must match")
        }
        if material == true && summary == nil {
            reader.error("material", "a material version needs a 'summary' that tells readers what changed")
        }
        if let published, let effective, published > effective {
            reader.warning("published", "'published' (\(published)) is after 'effective' (\(effective)): the change applied before anyone could read it")
        }
        if frontMatter.body.allSatisfy(\.isWhitespace) {
            reader.warning(nil, "the policy text is empty")
        }
        reader.warnAboutUnknownKeys(allowed: PolicyVersion.frontMatterKeys)
        problems += reader.diagnostics

        guard let title, let effective, let material, let nameDay, effective == nameDay,
              !problems.hasErrors else { return (nil, problems) }
        let version = PolicyVersion(documentID: documentID, effective: effective, title: title, material: material,
                                    summary: summary, published: published, source: source,
                                    fieldLines: frontMatter.fields.mapValues(\.line), draft: draft)
        return (version, problems)
    }
}
