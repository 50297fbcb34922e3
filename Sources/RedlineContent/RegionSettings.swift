import RedlineManifest

/// `consent.regions` and `consent.regionHeader` of site.yaml: which mode of consent the law
/// where the visitor is asks for.
///
///     regions:
///       EEA: opt-in
///       GB: opt-in
///       US-CA: opt-out
///       default: notice
///
/// Keys are ISO 3166-1 (`DE`) or ISO 3166-2 (`US-CA`) codes or a named group (`EEA`, `EU`);
/// `default` is everywhere else (opt-in when not given). A code listed on its own wins over a
/// group that contains it.
enum RegionSettings {
    static let elsewhereKey = "default"

    static func read(_ section: inout FieldReader) -> RegionRules? {
        let header = readHeader(&section)
        guard section.fields["regions"] != nil else {
            if header != nil {
                section.warning("regionHeader", "'regionHeader' is ignored without 'regions'")
            }
            return nil
        }
        guard var regions = section.nested("regions") else {
            section.error("regions", "'regions' must map regions to modes, e.g. 'EEA: opt-in' then 'US-CA: opt-out'")
            return nil
        }
        var rules = RegionRules(modes: [:], header: header ?? RegionRules.defaultHeader)
        var explicit: [String: ConsentMode] = [:]
        for key in regions.fields.keys.sorted() {
            guard let mode = readMode(key, from: &regions) else { continue }
            if key == elsewhereKey {
                rules.elsewhere = mode
            } else if let members = RegionCatalog.groups[key] {
                // Groups first, so a country listed on its own overrides its group.
                for member in members where explicit[member] == nil { rules.modes[member] = mode }
            } else if RegionCatalog.isKnown(key) {
                explicit[key] = mode
            } else {
                regions.error(key, unknownRegion(key))
            }
        }
        rules.modes.merge(explicit) { _, own in own }
        if regions.fields.isEmpty {
            regions.error(nil, "'regions' names no region; list at least one, e.g. 'EEA: opt-in'")
        }
        section.append(regions.diagnostics)
        return rules
    }

    private static func readHeader(_ section: inout FieldReader) -> String? {
        guard let header = section.string("regionHeader") else { return nil }
        // An HTTP field name (RFC 9110 token); the proxy sets it, the server reads it.
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard header.count <= 64, header.allSatisfy(allowed.contains) else {
            section.error("regionHeader", "'\(header)' is not a header name: use letters, digits and '-', e.g. 'CF-IPCountry'")
            return nil
        }
        return header
    }

    private static func readMode(_ key: String, from regions: inout FieldReader) -> ConsentMode? {
        guard let name = regions.string(key, required: true) else { return nil }
        if let mode = ConsentMode(rawValue: name) { return mode }
        let names = ConsentMode.allCases.map(\.rawValue)
        let closest = names.min { $0.editDistance(to: name) < $1.editDistance(to: name) }
        let hint = closest.flatMap { $0.editDistance(to: name) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
        regions.error(key, "'\(name)' is not a mode\(hint): use one of \(names.joined(separator: ", "))")
        return nil
    }

    private static func unknownRegion(_ key: String) -> String {
        let upper = key.uppercased()
        if upper != key, RegionCatalog.isKnown(upper) || RegionCatalog.groups[upper] != nil {
            return "'\(key)' is not a region code: write it in capitals, '\(upper)'"
        }
        let groups = RegionCatalog.groups.keys.sorted().joined(separator: ", ")
        return "'\(key)' is not a region: use an ISO 3166 country code ('DE'), a subdivision code ('US-CA'), a group (\(groups)) or '\(elsewhereKey)'"
    }
}
