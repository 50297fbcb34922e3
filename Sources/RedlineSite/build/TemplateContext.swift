/// What a template sees: typed values in layers, a page's own over what its kind of page shares
/// over the chrome every page has. A name is looked up in `top` first, then `below`, so a page
/// needs to say only what it adds.
struct TemplateContext<Top, Below>: LayeredTemplateValues {
    var top: Top
    var below: Below

    func plainLayers() -> [String: Any] {
        var values = TemplateValue.plain(below) as? [String: Any] ?? [:]
        values.merge(TemplateValue.plain(top) as? [String: Any] ?? [:]) { _, own in own }
        return values
    }
}

/// A page's context: its own values over the chrome.
typealias PageContext<Page> = TemplateContext<Page, ChromeContext>

protocol LayeredTemplateValues {
    /// Every layer's values in one table, the upper layers' winning.
    func plainLayers() -> [String: Any]
}

/// A struct whose fields a template reads as if they were its parent's own (a version's labels).
protocol FlattenedInTemplates {}

/// A link a template lists: `{{title}}` to `{{url}}`.
struct Link {
    let title: String
    let url: String
}

/// The bridge to Mustache. Pages build typed values; the template engine gets them as the tables
/// it looks names up in, made once per page: looking each name up by reflection instead made
/// rendering a fifth slower. A nil optional is left out, as an absent key, so a section that
/// tests it is skipped and a name it does not have is looked up further out.
enum TemplateValue {
    static func plain(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double: return value
        case let layered as any LayeredTemplateValues: return layered.plainLayers()
        case let table as [String: String]: return table
        case let list as [Any]: return list.compactMap(plain)
        default: return plainStruct(value)
        }
    }

    private static func plainStruct(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { plain($0.value) }
        case .struct, .class:
            var table: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let field = plain(child.value) else { continue }
                if child.value is FlattenedInTemplates, let fields = field as? [String: Any] {
                    table.merge(fields) { own, _ in own }
                } else {
                    table[label] = field
                }
            }
            return table
        default: return value
        }
    }
}
