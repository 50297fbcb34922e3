import Mustache

/// What a template sees: typed values in layers, a page's own over what its kind of page shares
/// over the chrome every page has. A name is looked up in `top` first, then `below`, so a page
/// needs to say only what it adds. Values are read by property name (Mustache's reflection), and
/// a nil optional counts as absent, as a missing dictionary key did.
struct TemplateContext<Top, Below>: MustacheParent {
    var top: Top
    var below: Below

    func child(named name: String) -> Any? {
        TemplateValue.named(name, in: top) ?? TemplateValue.named(name, in: below)
    }
}

/// A page's context: its own values over the chrome.
typealias PageContext<Page> = TemplateContext<Page, ChromeContext>

enum TemplateValue {
    /// The property `name` of `object`, unwrapped; nil when it has none or it is nil.
    static func named(_ name: String, in object: Any) -> Any? {
        if let parent = object as? MustacheParent { return parent.child(named: name) }
        return property(name, of: object)
    }

    /// The stored property `name` of `object` by reflection, unwrapped; nil when it has none or it is nil.
    static func property(_ name: String, of object: Any) -> Any? {
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else { return nil }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

/// A link a template lists: `{{title}}` to `{{url}}`.
struct Link {
    let title: String
    let url: String
}
